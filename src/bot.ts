/**
 * The bot: one turn at a time, channel-neutral. Loads the conversation state, understands the message,
 * decides the replies, saves the state. Adapters call `handle` and render what comes back.
 */
import type { Content } from './content/load-content.js';
import { isRejectionId } from './content/ids.js';
import type { ArticleSectionId } from './content/schema.js';
import { StoreUnavailableError } from './core/errors.js';
import type { Clock, ConversationStore, Logger } from './core/ports.js';
import { neutralizeMentions } from './core/redact.js';
import type { Branding, Choice, InboundMessage, Reply, TurnResult } from './core/types.js';
import { decodeChoiceId, encodeChoiceId, type ChoiceAction } from './dialogue/choice-id.js';
import { inspectInput } from './dialogue/input.js';
import { freshState, parseState, type ConversationState } from './dialogue/state.js';
import { say, type WordingKey } from './dialogue/wording.js';
import type { Understander } from './nlu/understand.js';

export interface BotDeps {
  content: Content;
  understander: Understander;
  store: ConversationStore;
  clock: Clock;
  logger: Logger;
  branding: Branding;
  conversationTtlMs: number;
}

export interface Bot {
  handle(message: InboundMessage): Promise<TurnResult>;
}

/** Reasons offered on the menu, most common first. */
const MENU_REASONS = [
  'info_mismatch',
  'multiple_accounts',
  'remaining_services',
  'pin_required',
  'freeze',
  'hunt_group',
  'google_voice_unlock',
  'inactive_number',
  'pending_order',
] as const;

/** Article sections a customer can open after the steps, with the button label for each. */
const SECTION_CHOICES: Array<[ArticleSectionId, string]> = [
  ['documents', 'Documents that help'],
  ['resubmit', 'When to resubmit'],
  ['carrier_notes', 'Carrier notes'],
  ['why', 'Why carriers do this'],
  ['ask_us', 'When to ask a person'],
];

interface Turn {
  inputHadSecret?: boolean;
  replies: Reply[];
  intent: string | null;
  confidence: number;
  state: ConversationState;
}

export function createBot(deps: BotDeps): Bot {
  const { content, understander, store, clock, logger, branding } = deps;
  const fields = { company: branding.company, portal: branding.portal, support_email: branding.support_email };
  const text = (key: WordingKey, extra: Record<string, string> = {}): Extract<Reply, { kind: 'text' }> => ({
    kind: 'text',
    text: say(key, { ...fields, ...extra }),
  });

  return {
    async handle(message: InboundMessage): Promise<TurnResult> {
      const key = `conversation:${message.conversationKey}`;
      let loaded;
      try {
        loaded = parseState(await store.get(key));
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        logger.error({ err: error, conversation: message.conversationKey }, 'store unavailable on read');
        return result([text('storeDown')], null, 0, null, false);
      }
      const notes: Reply[] = loaded.status === 'invalid' ? [text('stateReset')] : [];
      const previous = loaded.status === 'found' ? loaded.state : freshState();
      const turn = respond(previous, message);
      const state = { ...turn.state, turn: previous.turn + 1, updatedAt: clock.now().toISOString() };
      try {
        await store.set(key, state, deps.conversationTtlMs);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        logger.error({ err: error, conversation: message.conversationKey }, 'store unavailable on write');
        notes.push(text('storeDown'));
      }
      logger.info(
        { channel: message.channel, intent: turn.intent, confidence: round(turn.confidence), topic: state.topic },
        'turn',
      );
      return result([...notes, ...turn.replies], turn.intent, turn.confidence, null, turn.inputHadSecret ?? false);
    },
  };

  function result(replies: Reply[], intent: string | null, confidence: number, flow: string | null, inputHadSecret: boolean): TurnResult {
    return { replies: replies.map(sanitizeReply), intent, confidence, flow, escalation: null, inputHadSecret };
  }

  /** Decides the replies for one message, given the state before it. Pure apart from classification. */
  function respond(state: ConversationState, message: InboundMessage): Turn {
    const nextTurn = state.turn + 1;
    if (message.choice !== undefined) return respondToChoice(state, message.choice, nextTurn);

    const input = inspectInput(message.text ?? '');
    if (input.kind === 'empty') return keep(state, [text('emptyMessage')]);
    if (input.kind === 'binary') return keep(state, [text('binaryMessage')]);
    const preface: Reply[] = [];
    if (input.hadSecret) preface.push({ ...text('secretWarning'), private: true });
    if (input.truncated) preface.push(text('longMessage'));

    // A number or a label typed in answer to offered choices selects that choice (text-only channels).
    const typed = matchTypedChoice(state.offered, input.text);
    if (typed) return { ...withPreface(preface, respondToChoice(state, typed.id, nextTurn)), inputHadSecret: input.hadSecret };

    const understanding = understander.understand(input.text);
    const { intent, confidence } = understanding;
    const withIntent = (turn: Turn): Turn => ({ ...withPreface(preface, turn), intent, confidence, inputHadSecret: input.hadSecret });
    switch (understanding.kind) {
      case 'rejection':
        return withIntent(explainTopic(state, understanding.reasons, nextTurn));
      case 'ambiguous': {
        const choices = understanding.options.map((o) => topicChoice(nextTurn, o.intent));
        return withIntent(offer(state, [{ kind: 'choices', text: say('ambiguous'), choices }], { misses: 0 }));
      }
      case 'out_of_scope':
        return withIntent(offerMenu(state, nextTurn, say('outOfScope', fields), { misses: 0 }));
      case 'unsure': {
        const misses = state.misses + 1;
        if (misses >= 3) return withIntent(offerMenu(state, nextTurn, say('missesOfferPerson', fields), { misses }));
        return withIntent(offer(state, [text('rephrase')], { misses }));
      }
      case 'conversation':
        return withIntent(respondToConversation(state, understanding.intent, nextTurn));
    }
  }

  function respondToConversation(state: ConversationState, intent: string, nextTurn: number): Turn {
    switch (intent) {
      case 'greeting':
        return offerMenu(state, nextTurn, say('welcome'), { misses: 0 });
      case 'help':
        return offerMenu(state, nextTurn, say('help'), { misses: 0 });
      case 'human':
        return offer(state, [text('human')], { misses: 0 });
      case 'thanks':
        return offer(state, [text('thanks')], { misses: 0 });
      case 'goodbye':
        return offer(state, [text('goodbye')], { misses: 0, topic: null });
      case 'cancel':
        return offer(state, [text('cancelled')], { misses: 0, topic: null });
      case 'restart':
        return offerMenu(state, nextTurn, `${say('restarted')} ${say('menuPrompt')}`, { misses: 0, topic: null });
      default:
        return offerMenu(state, nextTurn, say('help'), { misses: 0 });
    }
  }

  function respondToChoice(state: ConversationState, choiceId: string, nextTurn: number): Turn {
    const decoded = decodeChoiceId(choiceId);
    const offered = state.offered.some((c) => c.id === choiceId);
    if (!decoded || (!offered && decoded.turn === state.turn)) {
      return keep(state, state.offered.length > 0 ? [text('unknownChoice'), reoffer(state)] : [text('nothingToChoose')]);
    }
    if (!offered) {
      const replies: Reply[] = [text('staleChoice')];
      if (state.offered.length > 0) replies.push(reoffer(state));
      else replies.push(text('nothingToChoose'));
      return keep(state, replies);
    }
    return act(state, decoded.action, nextTurn);
  }

  function act(state: ConversationState, action: ChoiceAction, nextTurn: number): Turn {
    switch (action.kind) {
      case 'menu':
        return offerMenu(state, nextTurn, say('menuPrompt'), {});
      case 'topic':
        return isRejectionId(action.intent)
          ? explainTopic(state, [action.intent], nextTurn)
          : keep(state, [text('unknownChoice'), reoffer(state)]);
      case 'section':
        return explainSection(state, action.section as ArticleSectionId, nextTurn);
    }
  }

  function explainTopic(state: ConversationState, reasons: string[], nextTurn: number): Turn {
    const topic = reasons[0]!;
    const article = content.articles.get(topic)!;
    const replies: Reply[] = [];
    if (reasons.length > 1) {
      const titles = reasons.map((r, i) => `${i + 1}. ${content.articles.get(r)!.title}`).join('\n');
      replies.push({ kind: 'text', text: `Your notice mentions ${reasons.length} reasons:\n${titles}\nLet's start with the first.` });
    }
    replies.push({ kind: 'text', text: `${say('topicIntro', { title: article.title })}\n${article.summary}` });
    replies.push({ kind: 'steps', title: 'What to do', steps: article.steps });
    const choices = sectionChoices(nextTurn);
    for (const other of reasons.slice(1)) choices.push(topicChoice(nextTurn, other));
    replies.push({ kind: 'choices', text: say('topicMore'), choices });
    return { replies, intent: null, confidence: 0, state: { ...state, topic, offered: choices, misses: 0 } };
  }

  function explainSection(state: ConversationState, section: ArticleSectionId, nextTurn: number): Turn {
    const article = state.topic ? content.articles.get(state.topic) : undefined;
    const heading = SECTION_CHOICES.find(([id]) => id === section)?.[1];
    if (!article || !heading) return keep(state, [text('unknownChoice'), reoffer(state)]);
    const body = article.sections[section];
    const choices = sectionChoices(nextTurn).filter((c) => !c.id.endsWith(`.section.${section}`));
    return offer(state, [
      { kind: 'text', text: `${heading}:\n${body}` },
      { kind: 'choices', text: say('topicMore'), choices },
    ], {});
  }

  function sectionChoices(turn: number): Choice[] {
    return [
      ...SECTION_CHOICES.map(([section, label]) => ({ id: encodeChoiceId(turn, { kind: 'section', section }), label })),
      { id: encodeChoiceId(turn, { kind: 'menu' }), label: 'A different reason' },
    ];
  }

  function topicChoice(turn: number, intent: string): Choice {
    return { id: encodeChoiceId(turn, { kind: 'topic', intent }), label: content.articles.get(intent)?.title ?? intent };
  }

  function offerMenu(state: ConversationState, nextTurn: number, prompt: string, patch: Partial<ConversationState>): Turn {
    const choices = MENU_REASONS.map((intent) => topicChoice(nextTurn, intent));
    return offer(state, [{ kind: 'choices', text: prompt, choices }], patch);
  }

  /** Replies plus new state; the offered choices are exactly those in the replies. */
  function offer(state: ConversationState, replies: Reply[], patch: Partial<ConversationState>): Turn {
    const offered = replies.flatMap((r) => (r.kind === 'choices' ? r.choices : []));
    return { replies, intent: null, confidence: 0, state: { ...state, ...patch, offered } };
  }

  /** Replies that leave the state (and the offered choices) as they were. */
  function keep(state: ConversationState, replies: Reply[]): Turn {
    return { replies, intent: null, confidence: 0, state };
  }

  function reoffer(state: ConversationState): Reply {
    return { kind: 'choices', text: 'Please choose one of these:', choices: state.offered };
  }
}

function withPreface(preface: Reply[], turn: Turn): Turn {
  return preface.length === 0 ? turn : { ...turn, replies: [...preface, ...turn.replies] };
}

function matchTypedChoice(offered: Choice[], typed: string): Choice | undefined {
  if (offered.length === 0) return undefined;
  const t = typed.trim().toLowerCase().replace(/[.)]$/, '');
  if (/^\d{1,2}$/.test(t)) return offered[Number(t) - 1];
  return offered.find((c) => c.label.toLowerCase() === t);
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
