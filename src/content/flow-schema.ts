/**
 * Walkthroughs as data: each rejection intent's `flow:` in intents/<id>.yaml. Steps ask for one slot
 * (validated by type), show article sections, branch on structured conditions and record what the
 * fix summary will say. No expressions in strings: conditions are objects.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case');
const text = z.string().trim().min(1, 'must not be empty');

export const SLOT_TYPES = ['choice', 'yes_no', 'phone', 'phone_list', 'phone_from', 'carrier', 'date', 'text', 'item_list', 'choice_each', 'choice_some'] as const;

/**
 * Facts a notice or a message can state (src/nlu/notice-facts.ts). A question names the fact that
 * answers it (`fill:`), so the bot skips it when the customer already said it.
 */
export const FACT_KINDS = [
  'numbers',
  'pilot',
  'btn',
  'carrier',
  'resold',
  'order',
  'ticket',
  'wrong_field',
  'lock_off',
  'staying',
  'new_pilot',
  'services',
  'paid',
  'paid_on',
  'requested_date',
  'date_problem',
  'pending_kind',
  'account_holder',
  'holder_name',
  'service_plans',
  'freeze_kind',
  'loa_problem',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** A structured condition over slots. */
export type Condition =
  | { slot: string; is: string | boolean }
  | { slot: string; is_not: string | boolean }
  | { slot: string; in: string[] }
  | { slot: string; has: string }
  | { slot: string; answered: boolean }
  | { slot: string; member_of: string }
  /** A list slot holds at least this many items. */
  | { slot: string; count_at_least: number }
  | { all: Condition[] }
  | { any: Condition[] };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ slot: id, is: z.union([z.string(), z.boolean()]) }),
    z.strictObject({ slot: id, is_not: z.union([z.string(), z.boolean()]) }),
    z.strictObject({ slot: id, in: z.array(z.string()).min(1) }),
    z.strictObject({ slot: id, has: z.string() }),
    z.strictObject({ slot: id, answered: z.boolean() }),
    z.strictObject({ slot: id, member_of: id }),
    z.strictObject({ slot: id, count_at_least: z.number().int().min(1) }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
  ]),
);

const choiceSchema = z.strictObject({ id, label: text.max(75) });

/**
 * What a completed step adds to the fix summary. `{slot}` in text is replaced by the slot's value.
 * `es:` is the same line in Spanish, for customers who write in Spanish (a change keeps its field name
 * in English unless `es.field` is given: the order form the customer fills in is in English).
 */
export const recordSchema = z.union([
  z.strictObject({
    if: conditionSchema.optional(),
    change: z.strictObject({ field: text, value: text }),
    es: z.strictObject({ field: text.optional(), value: text }).optional(),
  }),
  z.strictObject({ if: conditionSchema.optional(), attach: id }),
  z.strictObject({ if: conditionSchema.optional(), carrier: text, es: text.optional() }),
  z.strictObject({
    if: conditionSchema.optional(),
    resubmit: text,
    es: text.optional(),
    /** The earliest resubmission, in business days from the day the summary is given: shown as a concrete date. */
    not_before_business_days: z.number().int().min(1).max(30).optional(),
  }),
  z.strictObject({ if: conditionSchema.optional(), note: text, es: text.optional() }),
]);
export type FlowRecord = z.infer<typeof recordSchema>;

const transitionSchema = z.strictObject({ if: conditionSchema.optional(), goto: id });

/** What every step may do: say something, show an article section, hand off to a person, record, move on. */
const stepShape = {
  /** Text said when the step is reached (before the question, if any). */
  say: text.optional(),
  /** An article section shown when the step is reached; `what_to_do` shows as numbered steps. */
  show: z.strictObject({ article: id, section: id }).optional(),
  /** Carrier-specific notes (PIN name, how to get it, lock to turn off) for the carrier in this slot. */
  carrier_help: id.optional(),
  /** This step needs a person from our team. */
  handoff: text.optional(),
  record: z.array(recordSchema).default([]),
  next: z.array(transitionSchema).default([]),
  end: z.boolean().optional(),
  /** The step's texts in Spanish, for customers who write in Spanish: each one only where the English exists. */
  es: z
    .strictObject({
      say: text.optional(),
      ask: text.optional(),
      why: text.optional(),
      handoff: text.optional(),
      choices: z.record(id, text.max(75)).optional(),
    })
    .optional(),
};

/** What a question adds: the question, the slot its answer fills, and how the answer is typed and checked. */
const questionShape = {
  /** The question. A step without `ask` only informs and moves on. */
  ask: text.optional(),
  slot: id.optional(),
  type: z.enum(SLOT_TYPES).optional(),
  choices: z.array(choiceSchema).min(2).max(8).optional(),
  /** For phone_from: the list slot the answer must come from. For choice_each: the list slot to go through. */
  from: id.optional(),
  /** For date: which dates are acceptable, counted from the day the customer answers (UTC). */
  date_rules: z
    .strictObject({
      /** Today or later. */
      not_past: z.boolean().optional(),
      /** Monday to Friday (carriers move numbers on business days). */
      business_day: z.boolean().optional(),
      /** At most this many days from today. */
      max_days_ahead: z.number().int().positive().optional(),
    })
    .optional(),
  /** The notice fact that answers this question when the customer already stated it. */
  fill: z.enum(FACT_KINDS).optional(),
  /** Answer to "why do you need this?". */
  why: text.optional(),
  optional: z.boolean().optional(),
};

/**
 * A step as written in YAML, then told apart by kind: a `question` (ask, slot and type together) or an
 * `info` step (says, shows, records, hands off, and moves on). A question without its slot or type, or
 * an info step with question fields, is reported with its path.
 */
export const stepSchema = z
  .strictObject({ ...stepShape, ...questionShape })
  .superRefine((step, context) => {
    if (step.ask !== undefined && (step.slot === undefined || step.type === undefined)) {
      context.addIssue({ code: 'custom', path: ['ask'], message: 'a question needs "slot" and "type"' });
    }
    if (step.ask === undefined && (['slot', 'type', 'choices', 'from', 'date_rules', 'fill', 'why', 'optional'] as const).some((k) => step[k] !== undefined)) {
      context.addIssue({ code: 'custom', path: ['slot'], message: '"slot", "type", "choices", "from", "date_rules", "fill", "why" and "optional" need an "ask"' });
    }
  })
  .transform((step): FlowStep => {
    const { ask, slot, type, choices, from, date_rules, fill, why, optional, ...common } = step;
    if (ask !== undefined && slot !== undefined && type !== undefined) {
      return { kind: 'question', ...common, ask, slot, type, choices, from, date_rules, fill, why, optional };
    }
    return { kind: 'info', ...common };
  });

/** A step's texts in Spanish. */
export type StepSpanish = { say?: string; ask?: string; why?: string; handoff?: string; choices?: Record<string, string> };

type StepCommon = {
  es?: StepSpanish;
  say?: string;
  show?: { article: string; section: string };
  carrier_help?: string;
  handoff?: string;
  record: FlowRecord[];
  next: Array<z.infer<typeof transitionSchema>>;
  end?: boolean;
};
export type SlotType = (typeof SLOT_TYPES)[number];
export type DateRules = { not_past?: boolean; business_day?: boolean; max_days_ahead?: number };

/** A step that asks: its answer fills `slot`, typed and checked as `type`. */
export type QuestionStep = StepCommon & {
  kind: 'question';
  ask: string;
  slot: string;
  type: SlotType;
  choices?: Array<{ id: string; label: string }>;
  from?: string;
  date_rules?: DateRules;
  fill?: FactKind;
  why?: string;
  optional?: boolean;
};

/** A step that only informs (says, shows, records, hands off) and moves on. */
export type InfoStep = StepCommon & { kind: 'info' };

export type FlowStep = QuestionStep | InfoStep;

export const flowSchema = z.strictObject({
  start: id,
  /**
   * The customer may type the PIN itself while this walkthrough runs (it sends them to get one): a bare
   * code of 4-8 digits in their message is then taken for the PIN, never stored, and they are told where it goes.
   */
  expects_pin: z.boolean().optional(),
  steps: z.record(id, stepSchema),
});
export type Flow = z.output<typeof flowSchema>;
