/**
 * Operational metrics in the Prometheus text format, served at `/metrics` on the one HTTP port: how many
 * turns each channel handles and how long they take, which rejection reasons are recognised, hand-overs
 * to staff, failed turns, calls of the optional model (outcome, time, tokens), and the process's own figures (memory, event-loop lag, GC). No label ever
 * carries what a customer wrote or who they are.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Bot } from '../../bot.js';
import { StoreUnavailableError } from '../../core/errors.js';
import type { ConversationStore, LockRelease, ModelCall } from '../../core/ports.js';
import { isRejectionId } from '../../content/ids.js';

export interface Metrics {
  /** The same bot, with every turn counted and timed. */
  instrument(bot: Bot): Bot;
  /** The same store, with every failed call counted. */
  instrumentStore(store: ConversationStore): ConversationStore;
  /** Counts one call of the optional model: outcome, time and tokens. */
  recordModelCall(call: ModelCall): void;
  /** Counts one hand-off: a case opened for staff. */
  recordHandoff(file: { channel: string; trigger: string }): void;
  contentType: string;
  /** The exposition text for a scrape. */
  render(): Promise<string>;
}

export function createPrometheusMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portpilot_' });
  const turns = new Counter({
    name: 'portpilot_turns_total',
    help: 'Turns handled, by channel and by who spoke (customer or staff).',
    labelNames: ['channel', 'speaker'],
    registers: [registry],
  });
  const modelCalls = new Counter({
    name: 'portpilot_model_calls_total',
    help: 'Calls of the optional model, by purpose (read a notice, answer a question) and outcome (ok, timeout, error, garbage, skipped).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const modelSeconds = new Histogram({
    name: 'portpilot_model_call_seconds',
    help: 'How long calls of the optional model took, failed ones included.',
    labelNames: ['kind'],
    buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5],
    registers: [registry],
  });
  const modelTokens = new Counter({
    name: 'portpilot_model_tokens_total',
    help: 'Tokens the optional model counted, prompt and completion.',
    labelNames: ['kind', 'type'],
    registers: [registry],
  });
  const failures = new Counter({ name: 'portpilot_turn_failures_total', help: 'Turns that failed (the customer got an apology).', labelNames: ['channel'], registers: [registry] });
  const duration = new Histogram({
    name: 'portpilot_turn_duration_seconds',
    help: 'Time to answer one turn, store included.',
    labelNames: ['channel'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const reasons = new Counter({
    name: 'portpilot_reasons_recognised_total',
    help: 'Rejection reasons recognised in what customers wrote.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const escalations = new Counter({
    name: 'portpilot_escalations_total',
    help: 'Hand-offs: cases opened for staff, by channel and by what triggered them (asked, frustration, stuck, ...).',
    labelNames: ['channel', 'trigger'],
    registers: [registry],
  });

  const storeFailures = new Counter({
    name: 'portpilot_store_failures_total',
    help: 'Store calls that failed (the store could not be read or written), by operation.',
    labelNames: ['operation'],
    registers: [registry],
  });

  return {
    contentType: registry.contentType,
    instrumentStore(store: ConversationStore): ConversationStore {
      const counted =
        <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
          try {
            return await call(...args);
          } catch (error) {
            if (error instanceof StoreUnavailableError) storeFailures.inc({ operation });
            throw error;
          }
        };
      const releaseWithWrite = counted('set', (release: LockRelease, write: Parameters<LockRelease>[0]) => release(write));
      return {
        kind: store.kind,
        get: counted('get', (key) => store.get(key)),
        set: counted('set', (key, value, ttlMs?: number) => store.set(key, value, ttlMs)),
        delete: counted('delete', (key) => store.delete(key)),
        setIfAbsent: counted('setIfAbsent', (key, value, ttlMs) => store.setIfAbsent(key, value, ttlMs)),
        indexAdd: counted('indexAdd', (index, member, score) => store.indexAdd(index, member, score)),
        indexMembers: counted('indexMembers', (index, limit) => store.indexMembers(index, limit)),
        indexDue: counted('indexDue', (index, maxScore, limit) => store.indexDue(index, maxScore, limit)),
        indexRemove: counted('indexRemove', (index, member) => store.indexRemove(index, member)),
        lock: counted('lock', async (key, ttlMs, waitMs) => {
          const release = await store.lock(key, ttlMs, waitMs);
          // A release that saves state is counted as the write it is.
          return release && ((write) => (write ? releaseWithWrite(release, write) : release()));
        }),
        purgeExpired: counted('purge', () => store.purgeExpired()),
        probe: counted('probe', () => store.probe()),
        close: () => store.close(),
      };
    },
    recordHandoff(file) {
      escalations.inc({ channel: file.channel, trigger: file.trigger });
    },
    recordModelCall(call) {
      modelCalls.inc({ kind: call.kind, outcome: call.outcome });
      if (call.outcome !== 'skipped') modelSeconds.observe({ kind: call.kind }, call.ms / 1000);
      if (call.promptTokens > 0) modelTokens.inc({ kind: call.kind, type: 'prompt' }, call.promptTokens);
      if (call.completionTokens > 0) modelTokens.inc({ kind: call.kind, type: 'completion' }, call.completionTokens);
    },
    render: () => registry.metrics(),
    instrument(bot: Bot): Bot {
      return {
        hasConversation: (conversationKey) => bot.hasConversation(conversationKey),
        history: (conversationKey) => bot.history(conversationKey),
        checkIn: (target) => bot.checkIn(target),
        async staff(command) {
          const stop = duration.startTimer({ channel: command.channel });
          turns.inc({ channel: command.channel, speaker: 'staff' });
          try {
            return await bot.staff(command);
          } catch (error) {
            failures.inc({ channel: command.channel });
            throw error;
          } finally {
            stop();
          }
        },
        async handle(message) {
          const stop = duration.startTimer({ channel: message.channel });
          turns.inc({ channel: message.channel, speaker: 'customer' });
          try {
            const result = await bot.handle(message);
            if (isRejectionId(result.intent)) reasons.inc({ reason: result.intent });
            return result;
          } catch (error) {
            failures.inc({ channel: message.channel });
            throw error;
          } finally {
            stop();
          }
        },
      };
    },
  };
}
