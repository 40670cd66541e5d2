/**
 * Conversation state: versioned and parsed on every read. A value that does not parse (an older
 * version, corruption) is reported as `invalid`, never silently used.
 */
import { z } from 'zod';
import { noticeFactsSchema } from '../nlu/notice-facts.js';
import { flowStateSchema, type FlowState } from './flow-engine.js';

const choiceSchema = z.object({ id: z.string(), label: z.string() });

/** One line of the conversation as kept for a case file: redacted, trimmed. */
export const transcriptEntrySchema = z.object({
  at: z.string(),
  from: z.enum(['customer', 'bot', 'staff']),
  text: z.string(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

/** A case about this conversation: waiting for a person, or claimed by one (the bot is then quiet). */
export const handoffStateSchema = z.object({
  caseId: z.string(),
  status: z.enum(['waiting', 'claimed']),
  claimedBy: z.string().nullable(),
  openedAt: z.string(),
});
export type HandoffState = z.infer<typeof handoffStateSchema>;

/** The last lines of the conversation kept for a case file. */
export const TRANSCRIPT_LIMIT = 40;

export const conversationStateSchema = z.object({
  v: z.literal(2),
  /** Turn counter; choice ids carry the turn that offered them, so old buttons are recognised. */
  turn: z.number().int().nonnegative(),
  /** Choices offered by the last turn: the only ones a press may select. */
  offered: z.array(choiceSchema),
  /** Consecutive messages the bot did not understand (outside or inside a walkthrough). */
  misses: z.number().int().nonnegative(),
  /** The walkthrough in progress. */
  flow: flowStateSchema.nullable(),
  /** Walkthroughs paused when the customer switched to another reason, most recent last. */
  suspended: z.array(flowStateSchema),
  /** Reasons from the same notice still to walk through, in order. */
  queue: z.array(z.string()),
  /** Walkthroughs finished in this checklist, for the combined summary. */
  completed: z.array(flowStateSchema),
  /** A reason the customer was offered to switch to. */
  pendingSwitch: z.string().nullable(),
  handoff: handoffStateSchema.nullable().default(null),
  /** What the customer has told us (from the notice and later remarks): fills questions before they are asked. */
  facts: noticeFactsSchema.default({}),
  /** Reasons only guessed, not stated surely nor confirmed by the customer: the case file says "suspected". */
  suspected: z.array(z.string()).default([]),
  /** A reading of a notice waiting for the customer's confirmation: the reasons read, and the possible ones. */
  pendingReading: z
    .object({ reasons: z.array(z.string()), possible: z.array(z.string()) })
    .nullable()
    .default(null),
  /** The language the customer writes in, once it is clear (staff see it on the case). */
  language: z.enum(['en', 'es']).nullable().default(null),
  transcript: z.array(transcriptEntrySchema).default([]),
  /** The customer said whether the walkthrough helped: never asked again in this conversation. */
  rated: z.boolean().default(false),
  updatedAt: z.string(),
});

export type ConversationState = z.infer<typeof conversationStateSchema>;

export function freshState(): ConversationState {
  return {
    v: 2,
    turn: 0,
    offered: [],
    misses: 0,
    flow: null,
    suspended: [],
    queue: [],
    completed: [],
    pendingSwitch: null,
    handoff: null,
    facts: {},
    suspected: [],
    pendingReading: null,
    language: null,
    transcript: [],
    rated: false,
    updatedAt: new Date(0).toISOString(),
  };
}

export type LoadedState = { status: 'found'; state: ConversationState } | { status: 'absent' } | { status: 'invalid' };

export function parseState(raw: unknown): LoadedState {
  if (raw === undefined || raw === null) return { status: 'absent' };
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? { status: 'found', state: parsed.data } : { status: 'invalid' };
}

/** Caps on every list in the state: a state over them is trimmed (oldest first), never refused. */
export const STATE_LIMITS = {
  /** Paused walkthroughs (one per reason: switching back and forth never piles them up). */
  suspended: 6,
  /** Reasons a checklist can hold (there are 18). */
  reasons: 18,
  offered: 25,
  /** Items of a fact or answer list (numbers on one order, tickets, ...). */
  listItems: 200,
} as const;

/**
 * The state with every list within its cap: paused walkthroughs one per reason and never the one in
 * progress, reasons without repeats, lists of numbers and answers cut to their caps, the transcript
 * to its last lines. Applied before every save, so no sequence of messages grows a state without bound.
 */
export function boundState(state: ConversationState): ConversationState {
  const lastOfEach = (flows: FlowState[], except?: string) => flows.filter((f, i) => f.id !== except && !flows.slice(i + 1).some((later) => later.id === f.id));
  const unique = <T>(items: T[]) => [...new Set(items)];
  const capList = <T>(items: T[] | undefined) => (items && items.length > STATE_LIMITS.listItems ? items.slice(0, STATE_LIMITS.listItems) : items);
  const boundFlow = (flow: FlowState): FlowState => ({
    ...flow,
    slots: Object.fromEntries(Object.entries(flow.slots).map(([k, v]) => [k, Array.isArray(v) ? capList(v)! : v])),
    skipped: unique(flow.skipped),
    shown: unique(flow.shown),
    prefilled: unique(flow.prefilled),
  });
  const facts = { ...state.facts };
  for (const key of ['numbers', 'orders', 'tickets', 'dates', 'wrongFields'] as const) {
    if (facts[key]) (facts as Record<string, unknown>)[key] = capList(facts[key] as unknown[]);
  }
  return {
    ...state,
    flow: state.flow ? boundFlow(state.flow) : null,
    suspended: lastOfEach(state.suspended, state.flow?.id).slice(-STATE_LIMITS.suspended).map(boundFlow),
    queue: unique(state.queue).slice(0, STATE_LIMITS.reasons),
    completed: lastOfEach(state.completed).slice(-STATE_LIMITS.reasons).map(boundFlow),
    suspected: unique(state.suspected).slice(-STATE_LIMITS.reasons),
    offered: state.offered.slice(0, STATE_LIMITS.offered),
    facts,
    transcript: state.transcript.slice(-TRANSCRIPT_LIMIT),
  };
}
