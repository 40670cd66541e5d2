/**
 * Remembers, in the shared store, which deliveries a channel has handled: Slack retries an event, Discord
 * gives every instance on one gateway session the same event, a button is pressed twice. The first
 * process to claim a delivery's keys answers it; every other copy is dropped.
 */
import type { ConversationStore, Logger } from '../../core/ports.js';

export interface DeliveryLedger {
  /** Claims every key; false when any was claimed before (a retry, a second instance, a second click). */
  isFirst(keys: string[]): Promise<boolean>;
  /** Lets the keys be claimed again: the turn failed and the customer was asked to try once more. */
  forget(keys: string[]): Promise<void>;
}

export interface DeliveryLedgerOptions {
  store: ConversationStore;
  logger: Logger;
  /** The channel's name: its keys are `<channel>:delivered:<key>`. */
  channel: string;
  /** How long a delivery is remembered: longer than the channel goes on retrying. */
  ttlMs: number;
}

export function createDeliveryLedger({ store, logger, channel, ttlMs }: DeliveryLedgerOptions): DeliveryLedger {
  const keyOf = (key: string) => `${channel}:delivered:${key}`;
  return {
    async isFirst(keys) {
      try {
        for (const key of keys) {
          if (!(await store.setIfAbsent(keyOf(key), true, ttlMs))) return false;
        }
        return true;
      } catch (error) {
        // With the store down the bot cannot keep state either: it answers (politely, about the store),
        // which beats silence, at the risk of answering a retry twice.
        logger.warn({ err: error, channel }, `${channel}: de-duplication unavailable (the store cannot be reached)`);
        return true;
      }
    },
    async forget(keys) {
      await Promise.all(keys.map((key) => store.delete(keyOf(key)).catch(() => undefined)));
    },
  };
}
