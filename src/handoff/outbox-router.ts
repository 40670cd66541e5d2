/**
 * The outbox: routes messages that leave outside a customer's turn to the channel adapters that can
 * deliver them. Adapters register a sink for their channel name; staff notices go to every sink that
 * takes them (or to the one named in the notice).
 */
import type { Logger, Outbox, StaffNotice } from '../core/ports.js';
import type { Reply } from '../core/types.js';

export interface OutboxSink {
  toConversation?(conversationKey: string, replies: Reply[]): Promise<void>;
  toStaff?(notice: StaffNotice): Promise<void>;
}

export interface OutboxRouter extends Outbox {
  register(channel: string, sink: OutboxSink): void;
}

export function createOutboxRouter(logger: Logger): OutboxRouter {
  const sinks = new Map<string, OutboxSink>();
  return {
    register(channel, sink) {
      sinks.set(channel, sink);
    },
    async toConversation(channel, conversationKey, replies) {
      const sink = sinks.get(channel)?.toConversation;
      if (!sink) {
        logger.warn({ channel }, 'no way to deliver to this channel outside a turn; message dropped');
        return;
      }
      await sink(conversationKey, replies);
    },
    async toStaff(notice) {
      const targets = [...sinks].filter(([channel, sink]) => sink.toStaff && (!notice.to || notice.to.channel === channel));
      if (targets.length === 0) logger.warn({ caseId: notice.caseId, kind: notice.kind }, 'no staff channel configured for this notice');
      for (const [channel, sink] of targets) {
        await sink.toStaff!(notice).catch((err: unknown) => logger.error({ err, channel, caseId: notice.caseId }, 'staff notice failed'));
      }
    },
  };
}
