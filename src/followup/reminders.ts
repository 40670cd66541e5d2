/**
 * Reminders: a walkthrough whose advice has a date (resubmit once a freeze lift has gone through, a PIN
 * that expires) schedules a message for that day, sent on the customer's own channel. Kept in the store
 * (a record per reminder and an index by due time), so they survive restarts; a set-if-absent claim
 * makes each one go out once even when several instances sweep at the same moment.
 */
import { createHash } from 'node:crypto';
import type { ConversationStore, Logger, Outbox } from '../core/ports.js';

/** What a walkthrough wants said later: on `due` (an ISO date), `text`. */
export interface FollowUp {
  due: string;
  text: string;
  /** Asks whether the resubmitted order went through, with buttons: delivered through the bot (`checkIn`). */
  checkIn?: boolean;
}

export interface ReminderTarget {
  channel: string;
  conversationKey: string;
}

interface StoredReminder extends ReminderTarget, FollowUp {}

export interface Reminders {
  schedule(target: ReminderTarget, followUp: FollowUp): Promise<void>;
  /** Sends every reminder due by `now` that no instance has sent yet; resolves how many this call sent. */
  sendDue(now: Date): Promise<number>;
}

const INDEX = 'reminders';
/** Reminders go out on their day at 14:00 UTC: morning across the US. */
const SEND_AT_UTC = 'T14:00:00Z';
const KEEP_AFTER_DUE_MS = 14 * 24 * 3600_000;

export function createReminders(deps: {
  store: ConversationStore;
  outbox: Outbox;
  logger: Logger;
  /** Delivers a check-in (a question with buttons the conversation must know it asked); without it, the text alone. */
  checkIn?: (target: ReminderTarget) => Promise<void>;
}): Reminders {
  const { store, outbox, logger } = deps;
  const key = (id: string) => `reminder:${id}`;
  return {
    async schedule(target, followUp) {
      // The same reminder for the same conversation (a summary shown again after a correction) is one.
      const id = createHash('sha256').update(`${target.conversationKey}\n${followUp.due}\n${followUp.text}`).digest('hex').slice(0, 24);
      const dueMs = Date.parse(`${followUp.due}${SEND_AT_UTC}`);
      if (!Number.isFinite(dueMs)) return;
      const reminder: StoredReminder = { ...target, ...followUp };
      await store.set(key(id), reminder, Math.max(dueMs - Date.now(), 0) + KEEP_AFTER_DUE_MS);
      await store.indexAdd(INDEX, id, dueMs);
    },
    async sendDue(now) {
      let sent = 0;
      for (const id of await store.indexDue(INDEX, now.getTime(), 100)) {
        if (!(await store.setIfAbsent(`reminder-sent:${id}`, now.toISOString(), KEEP_AFTER_DUE_MS))) {
          await store.indexRemove(INDEX, id); // another instance sent it
          continue;
        }
        const reminder = (await store.get(key(id))) as StoredReminder | undefined;
        try {
          if (reminder?.checkIn && deps.checkIn) await deps.checkIn({ channel: reminder.channel, conversationKey: reminder.conversationKey });
          else if (reminder) await outbox.toConversation(reminder.channel, reminder.conversationKey, [{ kind: 'text', text: reminder.text }]);
        } catch (err) {
          // Not delivered (the channel is down, or not served by this instance): tried again next time.
          logger.warn({ err, channel: reminder?.channel }, 'reminder not delivered; will retry');
          await store.delete(`reminder-sent:${id}`);
          continue;
        }
        await store.indexRemove(INDEX, id);
        if (reminder) {
          sent++;
          logger.info({ channel: reminder.channel, due: reminder.due }, 'reminder sent');
        }
      }
      return sent;
    },
  };
}
