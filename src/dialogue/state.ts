/**
 * Conversation state: versioned and parsed on every read. A value that does not parse (an older
 * version, corruption) is reported as `invalid`, never silently used.
 */
import { z } from 'zod';
import { noticeFactsSchema } from '../nlu/notice-facts.js';
import { flowStateSchema } from './flow-engine.js';

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
  pendingReading: z.object({ reasons: z.array(z.string()), possible: z.array(z.string()) }).nullable().default(null),
  /** The language the customer writes in, once it is clear (staff see it on the case). */
  language: z.enum(['en', 'es']).nullable().default(null),
  transcript: z.array(transcriptEntrySchema).default([]),
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
    updatedAt: new Date(0).toISOString(),
  };
}

export type LoadedState = { status: 'found'; state: ConversationState } | { status: 'absent' } | { status: 'invalid' };

export function parseState(raw: unknown): LoadedState {
  if (raw === undefined || raw === null) return { status: 'absent' };
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? { status: 'found', state: parsed.data } : { status: 'invalid' };
}
