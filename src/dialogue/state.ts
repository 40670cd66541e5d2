/**
 * Conversation state: versioned and parsed on every read. A value that does not parse (expired shape,
 * an older version, corruption) is reported as `invalid`, never silently used.
 */
import { z } from 'zod';

const choiceSchema = z.object({ id: z.string(), label: z.string() });

export const conversationStateSchema = z.object({
  v: z.literal(1),
  /** Turn counter; choice ids carry the turn that offered them, so old buttons are recognised. */
  turn: z.number().int().nonnegative(),
  /** The rejection reason being discussed, if any. */
  topic: z.string().nullable(),
  /** Choices offered by the last turn: the only ones a press may select. */
  offered: z.array(choiceSchema),
  /** Consecutive messages the bot did not understand. */
  misses: z.number().int().nonnegative(),
  updatedAt: z.string(),
});

export type ConversationState = z.infer<typeof conversationStateSchema>;

export function freshState(): ConversationState {
  return { v: 1, turn: 0, topic: null, offered: [], misses: 0, updatedAt: new Date(0).toISOString() };
}

export type LoadedState =
  | { status: 'found'; state: ConversationState }
  | { status: 'absent' }
  | { status: 'invalid' };

export function parseState(raw: unknown): LoadedState {
  if (raw === undefined || raw === null) return { status: 'absent' };
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? { status: 'found', state: parsed.data } : { status: 'invalid' };
}
