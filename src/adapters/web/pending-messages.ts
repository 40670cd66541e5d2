/**
 * Messages for a web customer that leave outside their own request (a staff reply, a handback): kept in
 * the shared store until the page fetches them. Any process on the store can deliver (a running instance,
 * the terminal staff console with `--store`) and any instance can hand them to the page. Each batch waits
 * under its own key, listed in the conversation's index in the order sent, so a message added while the
 * page fetches is never lost.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationStore } from '../../core/ports.js';
import type { Reply } from '../../core/types.js';
import type { OutboxSink } from '../../handoff/outbox-router.js';

/** Messages wait this long for the page to fetch them. */
const PENDING_TTL_MS = 24 * 3600_000;
/** At most this many batches are handed over per fetch. */
const MAX_BATCHES = 50;

const indexOf = (conversationKey: string) => `web-pending:${conversationKey}`;

export interface PendingMessages {
  /** Registered as the outbox's `web` sink. */
  sink: Required<Pick<OutboxSink, 'toConversation'>>;
  /** The messages waiting for a conversation, in order, taken out of the store. */
  take(conversationKey: string): Promise<Reply[]>;
}

export function createPendingMessages(store: ConversationStore): PendingMessages {
  return {
    sink: {
      async toConversation(conversationKey, replies) {
        const batch = `${Date.now().toString(36)}-${randomUUID()}`;
        await store.set(`${indexOf(conversationKey)}:${batch}`, replies, PENDING_TTL_MS);
        await store.indexAdd(indexOf(conversationKey), batch, Date.now());
      },
    },
    async take(conversationKey) {
      const index = indexOf(conversationKey);
      const replies: Reply[] = [];
      for (const batch of await store.indexMembers(index, MAX_BATCHES)) {
        const key = `${index}:${batch}`;
        replies.push(...(((await store.get(key)) as Reply[] | undefined) ?? []));
        await store.indexRemove(index, batch);
        await store.delete(key);
      }
      return replies;
    },
  };
}
