/**
 * Cross-checks one walkthrough: every reference resolves (steps, slots, articles, sections, documents),
 * every step is reachable, answers are typed, and no question asks the customer for a secret.
 */
import type { Condition, FactKind, Flow, FlowStep, QuestionStep } from './flow-schema.js';
import { ARTICLE_SECTIONS, type Article, type DocumentType } from './schema.js';

/** `{slot}` in flow text; `{{branding}}` is not a slot reference. */
export const SLOT_REFERENCE = /(?<!\{)\{([a-z][a-z0-9_]*)\}(?!\})/g;
/** `{slot|business_days_left}`: the business days left until a date answer ("3 business days from today"). */
export const DAYS_LEFT_REFERENCE = /\{([a-z][a-z0-9_]*)\|business_days_left\}/g;
const LIST_TYPES = new Set(['phone_list', 'item_list']);
const ASKS_FOR_SECRET =
  /(?<!never |not |don't |do not )\b(type|enter|send|give|tell|share|paste|provide|what is|what's)\b[^.?!]{0,40}\b(pin|passcode|password|ssn|social security)\b/i;

/** Which questions each notice fact can answer. */
const FACT_FITS: Record<FactKind, (step: QuestionStep) => boolean> = {
  numbers: (s) => s.type === 'phone_list',
  pilot: (s) => s.type === 'phone',
  btn: (s) => s.type === 'phone',
  carrier: (s) => s.type === 'carrier',
  resold: (s) => s.type === 'yes_no' || (s.type === 'choice' && ['yes', 'no'].every((v) => s.choices?.some((c) => c.id === v))),
  wrong_field: (s) => s.type === 'choice' || s.type === 'choice_some',
  services: (s) => s.type === 'item_list',
  paid: (s) => s.type === 'yes_no' || (s.type === 'choice' && (s.choices ?? []).some((c) => c.id === 'paid')),
  paid_on: (s) => s.type === 'date',
  requested_date: (s) => s.type === 'date',
  service_plans: (s) => s.type === 'choice_each' || (s.type === 'choice' && ['keep_all', 'some_port', 'some_disconnect'].every((v) => s.choices?.some((c) => c.id === v))),
  loa_problem: (s) => s.type === 'choice_some' && ['unsigned', 'too_old', 'wrong_signer'].every((v) => s.choices?.some((c) => c.id === v)),
  freeze_kind: (s) => s.type === 'choice' && ['mobile', 'landline'].every((v) => s.choices?.some((c) => c.id === v)),
  account_holder: (s) => s.type === 'choice' && ['left', 'roughly'].every((v) => s.choices?.some((c) => c.id === v)),
  holder_name: (s) => s.type === 'text',
  pending_kind: (s) => s.type === 'choice' && ['change_order', 'port_out'].every((v) => s.choices?.some((c) => c.id === v)),
  date_problem: (s) => s.type === 'choice' && ['too_soon', 'too_far', 'past', 'weekend'].every((v) => s.choices?.some((c) => c.id === v)),
  staying: (s) => s.type === 'phone_list' || s.type === 'yes_no',
  new_pilot: (s) => s.type === 'phone_from' || s.type === 'phone' || (s.type === 'choice' && (s.choices ?? []).some((c) => c.id === 'new_pilot')),
  lock_off: (s) => s.type === 'yes_no' || (s.type === 'choice' && ['done', 'not_yet'].every((v) => s.choices?.some((c) => c.id === v))),
  order: (s) => s.type === 'text' || s.type === 'yes_no',
  ticket: (s) => s.type === 'text' || s.type === 'yes_no',
};

/** The Spanish form of ASKS_FOR_SECRET. */
const ASKS_FOR_SECRET_ES =
  /(?<!nunca |no )\b(escriba|ingrese|introduzca|env[ií]e|d[ée]me|comparta|pegue|indique|cu[aá]l es)\b[^.?!]{0,40}\b(pin|c[oó]digo de acceso|contrase[ñn]a|seguro social)\b/i;

export function checkFlow(file: string, flow: Flow, refs: { articles: Map<string, Article>; documents: Map<string, DocumentType>; carrierIds: Set<string> }): string[] {
  const problems: string[] = [];
  const at = (stepId: string, field: string) => `${file}: flow.steps.${stepId}.${field}`;
  const steps = flow.steps;
  const slotTypes = new Map<string, string>();
  for (const step of Object.values(steps)) if (step.kind === 'question') slotTypes.set(step.slot, step.type);

  if (!steps[flow.start]) problems.push(`${file}: flow.start: no step "${flow.start}"`);

  const checkCondition = (stepId: string, field: string, condition: Condition) => {
    if ('all' in condition || 'any' in condition) {
      for (const c of 'all' in condition ? condition.all : condition.any) checkCondition(stepId, field, c);
      return;
    }
    if (!slotTypes.has(condition.slot)) problems.push(`${at(stepId, field)}: condition on unknown slot "${condition.slot}"`);
    if ('count_at_least' in condition && !LIST_TYPES.has(slotTypes.get(condition.slot) ?? '')) {
      problems.push(`${at(stepId, field)}: count_at_least needs a list slot, not "${condition.slot}"`);
    }
    // A question answered with one or more choices holds a list: its conditions ask what it has.
    if (('is' in condition || 'is_not' in condition || 'in' in condition) && slotTypes.get(condition.slot) === 'choice_some') {
      problems.push(`${at(stepId, field)}: "${condition.slot}" holds one or more choices: use "has", not "is", "is_not" or "in"`);
    }
    if ('member_of' in condition && !LIST_TYPES.has(slotTypes.get(condition.member_of) ?? '')) {
      problems.push(`${at(stepId, field)}: member_of "${condition.member_of}" is not a list slot`);
    }
  };
  const checkText = (stepId: string, field: string, value: string | undefined) => {
    for (const m of value?.matchAll(SLOT_REFERENCE) ?? []) {
      if (!slotTypes.has(m[1]!) && !(m[1] === 'item' && field === 'ask')) problems.push(`${at(stepId, field)}: refers to unknown slot {${m[1]}}`);
    }
    for (const m of value?.matchAll(DAYS_LEFT_REFERENCE) ?? []) {
      if (slotTypes.get(m[1]!) !== 'date') problems.push(`${at(stepId, field)}: {${m[1]}|business_days_left} needs a date slot`);
    }
  };

  for (const [stepId, step] of Object.entries(steps) as Array<[string, FlowStep]>) {
    if (step.kind === 'question') problems.push(...checkQuestion(stepId, step));
    if (step.show) {
      const article = refs.articles.get(step.show.article);
      if (!article) problems.push(`${at(stepId, 'show.article')}: unknown article "${step.show.article}"`);
      if (!(step.show.section in ARTICLE_SECTIONS))
        problems.push(`${at(stepId, 'show.section')}: unknown section "${step.show.section}" (one of ${Object.keys(ARTICLE_SECTIONS).join(', ')})`);
    }
    if (step.carrier_help && !slotTypes.has(step.carrier_help)) problems.push(`${at(stepId, 'carrier_help')}: unknown slot "${step.carrier_help}"`);
    checkText(stepId, 'say', step.say);
    if (step.kind === 'question') checkText(stepId, 'ask', step.ask);
    if (step.es) problems.push(...checkSpanish(stepId, step));
    checkText(stepId, 'handoff', step.handoff);
    step.next.forEach((t, i) => {
      if (!steps[t.goto]) problems.push(`${at(stepId, `next.${i}.goto`)}: no step "${t.goto}"`);
      if (t.if) checkCondition(stepId, `next.${i}.if`, t.if);
    });
    step.record.forEach((r, i) => {
      if (r.if) checkCondition(stepId, `record.${i}.if`, r.if);
      if ('attach' in r && !refs.documents.has(r.attach)) problems.push(`${at(stepId, `record.${i}.attach`)}: unknown document "${r.attach}"`);
      if ('change' in r) checkText(stepId, `record.${i}.change`, `${r.change.field} ${r.change.value}`);
      for (const key of ['carrier', 'resubmit', 'note'] as const) if (key in r) checkText(stepId, `record.${i}.${key}`, (r as unknown as Record<string, string>)[key]);
      if ('es' in r && r.es !== undefined) problems.push(...checkSpanishRecord(stepId, `record.${i}.es`, r));
    });
    if (!step.end && step.next.length === 0) problems.push(`${at(stepId, 'next')}: a step needs "next" or "end: true"`);
  }

  function checkQuestion(stepId: string, step: QuestionStep): string[] {
    const found: string[] = [];
    if (ASKS_FOR_SECRET.test(step.ask)) found.push(`${at(stepId, 'ask')}: must never ask the customer to type a PIN, SSN digits or a password`);
    if ((step.type === 'choice' || step.type === 'choice_each' || step.type === 'choice_some') && !step.choices)
      found.push(`${at(stepId, 'choices')}: a ${step.type} question needs choices`);
    if (step.date_rules && step.type !== 'date') found.push(`${at(stepId, 'date_rules')}: only a date question takes date rules`);
    if (step.type === 'phone_from' || step.type === 'choice_each') {
      if (!step.from || !LIST_TYPES.has(slotTypes.get(step.from) ?? '')) found.push(`${at(stepId, 'from')}: must name a list slot (phone_list or item_list)`);
    }
    if (step.fill && !FACT_FITS[step.fill](step)) found.push(`${at(stepId, 'fill')}: the fact "${step.fill}" cannot answer a ${step.type} question`);
    return found;
  }

  /** A record's Spanish line names the same answers as its English line. */
  function checkSpanishRecord(stepId: string, field: string, record: FlowStep['record'][number]): string[] {
    const english =
      'change' in record
        ? `${record.change.field} ${record.change.value}`
        : 'carrier' in record
          ? record.carrier
          : 'resubmit' in record
            ? record.resubmit
            : 'note' in record
              ? record.note
              : '';
    const spanish = 'change' in record ? `${record.es?.field ?? record.change.field} ${record.es?.value ?? ''}` : 'es' in record ? (record.es ?? '') : '';
    const slotsIn = (text: string) => [...new Set([...text.matchAll(SLOT_REFERENCE)].map((m) => m[1]))].sort().join(', ');
    checkText(stepId, field, spanish);
    return slotsIn(english) === slotsIn(spanish) ? [] : [`${at(stepId, field)}: must name the same answers as the English line ({${slotsIn(english)}}), not {${slotsIn(spanish)}}`];
  }

  function checkSpanish(stepId: string, step: FlowStep): string[] {
    const es = step.es!;
    const found: string[] = [];
    const english: Record<string, string | undefined> = {
      say: step.say,
      handoff: step.handoff,
      ask: step.kind === 'question' ? step.ask : undefined,
      why: step.kind === 'question' ? step.why : undefined,
    };
    for (const field of ['say', 'ask', 'why', 'handoff'] as const) {
      if (es[field] !== undefined && english[field] === undefined) found.push(`${at(stepId, `es.${field}`)}: there is no English ${field} to translate`);
      checkText(stepId, field === 'ask' ? 'ask' : `es.${field}`, es[field]);
    }
    if (es.ask && (ASKS_FOR_SECRET.test(es.ask) || ASKS_FOR_SECRET_ES.test(es.ask)))
      found.push(`${at(stepId, 'es.ask')}: must never ask the customer to type a PIN, SSN digits or a password`);
    if (es.choices) {
      const ids = step.kind === 'question' ? (step.choices ?? []).map((c) => c.id).sort() : [];
      if (Object.keys(es.choices).sort().join('|') !== ids.join('|'))
        found.push(`${at(stepId, 'es.choices')}: must give a label for exactly the step's choices (${ids.join(', ') || 'none'})`);
    }
    return found;
  }

  // Every step must be reachable from the start.
  const reachable = new Set<string>();
  const queue = [flow.start];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reachable.has(id) || !steps[id]) continue;
    reachable.add(id);
    for (const t of steps[id]!.next) queue.push(t.goto);
  }
  for (const stepId of Object.keys(steps)) if (!reachable.has(stepId)) problems.push(`${at(stepId, '')}: not reachable from flow.start`.replace(/\.: /, ': '));
  return problems;
}
