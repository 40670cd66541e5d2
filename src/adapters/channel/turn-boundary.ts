/**
 * The error boundary of one turn on a channel: whatever fails is logged (the logger redacts) and the
 * customer is told politely, in words from one table; the boundary itself never throws.
 */
import { StoreUnavailableError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { say } from '../../dialogue/messages/index.js';

/** A channel's own apology for its own failures ("I can't post in this channel"), or undefined. */
export type ChannelApology = (error: unknown) => string | undefined;

/** What to tell the customer when a turn fails: the channel's own reason, the store being down, or a plain apology. */
export function apologyFor(error: unknown, channelApology?: ChannelApology): string {
  return channelApology?.(error) ?? say(error instanceof StoreUnavailableError ? 'storeDown' : 'internalError');
}

export interface TurnBoundaryOptions {
  channel: string;
  logger: Logger;
  channelApology?: ChannelApology;
  /** Errors that are nobody's failure (another instance answered first): dropped without a word. */
  isHarmless?: (error: unknown) => boolean;
  describe?: (error: unknown) => unknown;
}

/** Tells the customer something: rejects when it cannot; resolves to false when there is no one to tell. */
export type Tell = (text: string, error: unknown) => Promise<unknown>;

export type Guarded = (tell: Tell, work: () => Promise<unknown>, context?: Record<string, unknown>) => Promise<void>;

export function createTurnBoundary({ channel, logger, channelApology, isHarmless, describe = (e) => e }: TurnBoundaryOptions): Guarded {
  return async (tell, work, context = {}) => {
    try {
      await work();
    } catch (error) {
      if (isHarmless?.(error)) return;
      logger.error({ err: describe(error), channel, ...context }, `${channel} turn failed`);
      try {
        await tell(apologyFor(error, channelApology), error);
      } catch (tellError) {
        logger.error({ err: describe(tellError), channel, ...context }, `${channel} could not tell the customer about a failure`);
      }
    }
  };
}
