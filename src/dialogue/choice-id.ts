/**
 * Choice ids: `<turn>.<action>[.<argument>]`. The turn makes a press on an old message recognisable as
 * stale; the action says what the choice does. One codec for every channel. Ids stay under 64 chars.
 */
export type ChoiceAction =
  | { kind: 'reason'; intent: string }
  | { kind: 'answer'; value: string }
  | { kind: 'switch'; intent: string }
  | { kind: 'stay' }
  | { kind: 'skip' }
  | { kind: 'menu' }
  /** The second page of the reason menu. */
  | { kind: 'more' }
  /** "I don't know what the notice says": where to find it, and the common reasons. */
  | { kind: 'unknown' }
  /** The reading of the notice is right: walk the reasons read (or the one suggested). */
  | { kind: 'confirm' }
  /** Walk every reason read and every possible one ("both", "all of them"). */
  | { kind: 'include' }
  /** The reading is wrong: pick the reason from the menu. */
  | { kind: 'other' }
  /** Ask for a person. */
  | { kind: 'person' }
  /** One tap on whether the walkthrough helped. */
  | { kind: 'rate'; value: 'helpful' | 'not_helpful' }
  /** The answer to the check-in a few days after the summary: did the resubmitted order go through? */
  | { kind: 'outcome'; value: 'fixed' | 'rejected' | 'pending' }
  | { kind: 'restart' };

const WITH_ARGUMENT = new Set(['reason', 'answer', 'switch', 'rate', 'outcome']);

export function encodeChoiceId(turn: number, action: ChoiceAction): string {
  switch (action.kind) {
    case 'reason':
    case 'switch':
      return `${turn}.${action.kind}.${action.intent}`;
    case 'answer':
      return `${turn}.answer.${action.value}`;
    case 'rate':
    case 'outcome':
      return `${turn}.${action.kind}.${action.value}`;
    default:
      return `${turn}.${action.kind}`;
  }
}

export function decodeChoiceId(id: string): { turn: number; action: ChoiceAction } | undefined {
  const match = /^(\d{1,9})\.([a-z]{1,10})(?:\.([a-z0-9_]{1,48}))?$/.exec(id);
  if (!match) return undefined;
  const [, turnText, kind, arg] = match;
  const turn = Number(turnText);
  if (WITH_ARGUMENT.has(kind!) !== (arg !== undefined)) return undefined;
  switch (kind) {
    case 'reason':
    case 'switch':
      return { turn, action: { kind, intent: arg! } };
    case 'answer':
      return { turn, action: { kind, value: arg! } };
    case 'rate':
      return arg === 'helpful' || arg === 'not_helpful' ? { turn, action: { kind, value: arg } } : undefined;
    case 'outcome':
      return arg === 'fixed' || arg === 'rejected' || arg === 'pending' ? { turn, action: { kind, value: arg } } : undefined;
    case 'stay':
    case 'skip':
    case 'menu':
    case 'more':
    case 'unknown':
    case 'confirm':
    case 'include':
    case 'other':
    case 'person':
    case 'restart':
      return { turn, action: { kind } };
    default:
      return undefined;
  }
}
