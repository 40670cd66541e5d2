/**
 * The bot: one turn at a time, channel-neutral. Loads the conversation state, lets the conversation
 * decide the replies, saves the state after every turn. Adapters call `handle` and render the replies.
 */
import type { Content } from './content/load-content.js';
import { StoreUnavailableError } from './core/errors.js';
import type { Clock, ConversationStore, Logger } from './core/ports.js';
import { neutralizeMentions } from './core/redact.js';
import type { Branding, InboundMessage, Reply, TurnResult } from './core/types.js';
import { createConversation } from './dialogue/conversation.js';
import { freshState, parseState } from './dialogue/state.js';
import { say } from './dialogue/wording.js';
import type { EntityExtractor } from './nlu/extract.js';
import type { Understander } from './nlu/understand.js';

export interface BotDeps {
  content: Content;
  understander: Understander;
  extractor: EntityExtractor;
  store: ConversationStore;
  clock: Clock;
  logger: Logger;
  branding: Branding;
  conversationTtlMs: number;
  flowTtlMs: number;
}

export interface Bot {
  handle(message: InboundMessage): Promise<TurnResult>;
  /**
   * Whether a conversation is under way (has saved state). Channels use it to follow up in a place
   * without an explicit mention, such as a Slack thread the bot is already helping in.
   */
  hasConversation(conversationKey: string): Promise<boolean>;
}

export function createBot(deps: BotDeps): Bot {
  const { store, clock, logger, branding } = deps;
  const conversation = createConversation(deps);
  // Turns of one conversation run one at a time in this process, so two quick messages cannot
  // both read the same state and overwrite each other's answers.
  const inFlight = new Map<string, Promise<unknown>>();

  return {
    async hasConversation(conversationKey: string): Promise<boolean> {
      return (await store.get(stateKey(conversationKey))) !== undefined;
    },
    handle(message: InboundMessage): Promise<TurnResult> {
      const key = message.conversationKey;
      const previous = inFlight.get(key) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(() => handleTurn(message));
      inFlight.set(key, run);
      void run.finally(() => {
        if (inFlight.get(key) === run) inFlight.delete(key);
      }).catch(() => undefined);
      return run;
    },
  };

  async function handleTurn(message: InboundMessage): Promise<TurnResult> {
    const key = stateKey(message.conversationKey);
    const fields = { company: branding.company, portal: branding.portal, support_email: branding.support_email };
    let loaded;
    try {
      loaded = parseState(await store.get(key));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      logger.error({ err: error, conversation: message.conversationKey }, 'store unavailable on read');
      return result([{ kind: 'text', text: say('storeDown', fields) }], { intent: null, confidence: 0, flow: null, inputHadSecret: false, press: null });
    }
    const notes: Reply[] = loaded.status === 'invalid' ? [{ kind: 'text', text: say('stateReset', fields) }] : [];
    const previous = loaded.status === 'found' ? loaded.state : freshState();
    const now = clock.now();
    const turn = conversation.respond(previous, message, now);
    const state = { ...turn.state, updatedAt: now.toISOString() };
    try {
      await store.set(key, state, deps.conversationTtlMs);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      logger.error({ err: error, conversation: message.conversationKey }, 'store unavailable on write');
      notes.push({ kind: 'text', text: say('storeDown', fields) });
    }
    logger.info(
      { channel: message.channel, intent: turn.intent, confidence: Math.round(turn.confidence * 1000) / 1000, flow: state.flow?.id ?? null },
      'turn',
    );
    return result([...notes, ...turn.replies], {
      intent: turn.intent,
      confidence: turn.confidence,
      flow: state.flow?.id ?? null,
      inputHadSecret: turn.inputHadSecret,
      press: turn.press,
    });
  }
}

function stateKey(conversationKey: string): string {
  return `conversation:${conversationKey}`;
}

function result(replies: Reply[], facts: Omit<TurnResult, 'replies' | 'escalation'>): TurnResult {
  return { replies: replies.map(sanitizeReply), escalation: null, ...facts };
}

function sanitizeReply(reply: Reply): Reply {
  switch (reply.kind) {
    case 'text':
      return { ...reply, text: neutralizeMentions(reply.text) };
    case 'choices':
      return { ...reply, text: neutralizeMentions(reply.text), choices: reply.choices.map((c) => ({ ...c, label: neutralizeMentions(c.label) })) };
    case 'steps':
      return { ...reply, title: neutralizeMentions(reply.title), steps: reply.steps.map(neutralizeMentions) };
    case 'summary':
      return {
        ...reply,
        title: neutralizeMentions(reply.title),
        sections: reply.sections.map((s) => ({ heading: neutralizeMentions(s.heading), items: s.items.map(neutralizeMentions) })),
      };
  }
}
