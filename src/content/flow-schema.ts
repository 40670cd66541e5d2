/**
 * Walkthroughs as data: each rejection intent's `flow:` in intents/<id>.yaml. Steps ask for one slot
 * (validated by type), show article sections, branch on structured conditions and record what the
 * fix summary will say. No expressions in strings: conditions are objects.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case');
const text = z.string().trim().min(1, 'must not be empty');

export const SLOT_TYPES = ['choice', 'yes_no', 'phone', 'phone_list', 'phone_from', 'carrier', 'date', 'text', 'item_list', 'choice_each'] as const;

/**
 * Facts a notice or a message can state (src/nlu/notice-facts.ts). A question names the fact that
 * answers it (`fill:`), so the bot skips it when the customer already said it.
 */
export const FACT_KINDS = ['numbers', 'pilot', 'btn', 'carrier', 'resold', 'order', 'ticket', 'wrong_field'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** A structured condition over slots. */
export type Condition =
  | { slot: string; is: string | boolean }
  | { slot: string; is_not: string | boolean }
  | { slot: string; in: string[] }
  | { slot: string; has: string }
  | { slot: string; answered: boolean }
  | { slot: string; member_of: string }
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
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
  ]),
);

const choiceSchema = z.strictObject({ id, label: text.max(75) });

/** What a completed step adds to the fix summary. `{slot}` in text is replaced by the slot's value. */
export const recordSchema = z.union([
  z.strictObject({ if: conditionSchema.optional(), change: z.strictObject({ field: text, value: text }) }),
  z.strictObject({ if: conditionSchema.optional(), attach: id }),
  z.strictObject({ if: conditionSchema.optional(), carrier: text }),
  z.strictObject({ if: conditionSchema.optional(), resubmit: text }),
  z.strictObject({ if: conditionSchema.optional(), note: text }),
]);
export type FlowRecord = z.infer<typeof recordSchema>;

const transitionSchema = z.strictObject({ if: conditionSchema.optional(), goto: id });

export const stepSchema = z.strictObject({
  /** Text said when the step is reached (before the question, if any). */
  say: text.optional(),
  /** An article section shown when the step is reached; `what_to_do` shows as numbered steps. */
  show: z.strictObject({ article: id, section: id }).optional(),
  /** Carrier-specific notes (PIN name, how to get it, lock to turn off) for the carrier in this slot. */
  carrier_help: id.optional(),
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
  /** This step needs a person from our team. */
  handoff: text.optional(),
  record: z.array(recordSchema).default([]),
  next: z.array(transitionSchema).default([]),
  end: z.boolean().optional(),
});
export type FlowStep = z.infer<typeof stepSchema>;

export const flowSchema = z.strictObject({
  start: id,
  steps: z.record(id, stepSchema),
});
export type Flow = z.infer<typeof flowSchema>;
