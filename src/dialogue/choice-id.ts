/**
 * Choice ids: `<turn>.<action>`. The turn makes a press on an old message recognisable as stale;
 * the action says what the choice does. One codec, used by every channel through the core.
 */
export type ChoiceAction =
  | { kind: 'topic'; intent: string }
  | { kind: 'section'; section: string }
  | { kind: 'menu' };

export function encodeChoiceId(turn: number, action: ChoiceAction): string {
  switch (action.kind) {
    case 'topic':
      return `${turn}.topic.${action.intent}`;
    case 'section':
      return `${turn}.section.${action.section}`;
    case 'menu':
      return `${turn}.menu`;
  }
}

export function decodeChoiceId(id: string): { turn: number; action: ChoiceAction } | undefined {
  const match = /^(\d{1,9})\.(topic|section|menu)(?:\.([a-z_]{1,64}))?$/.exec(id);
  if (!match) return undefined;
  const turn = Number(match[1]);
  const [, , kind, arg] = match;
  if (kind === 'menu') return arg ? undefined : { turn, action: { kind: 'menu' } };
  if (!arg) return undefined;
  return { turn, action: kind === 'topic' ? { kind: 'topic', intent: arg } : { kind: 'section', section: arg } };
}
