/**
 * The bot: one turn at a time, channel-neutral. Loads the conversation state, lets the conversation
 * decide the replies, saves the state after every turn. Adapters call `handle` and render the replies.
 */
import type { Content } from './content/load-content.js';
import { StoreUnavailableError } from './core/errors.js';
import type { Clock, ConversationStore, IndexEntry, LanguageModel, LockRelease, Logger, Outbox } from './core/ports.js';
import { neutralizeMentions } from './core/redact.js';
import {
  NOTHING_UNDERSTOOD,
  replyToText,
  type Branding,
  type ConversationHistory,
  type InboundMessage,
  type Reply,
  type StaffCommand,
  type StaffCommandResult,
  type TurnResult,
} from './core/types.js';
import { createConversation, type PreRead } from './dialogue/conversation.js';
import { expectsPin, inspectInput } from './dialogue/input.js';
import { boundState, freshState, parseState, TRANSCRIPT_LIMIT, type ConversationState, type TranscriptEntry } from './dialogue/state.js';
import type { ConversationChange, Handoff } from './handoff/handoff.js';
import type { Reminders } from './followup/reminders.js';
import type { Outcomes, TurnOutcome } from './outcomes/outcomes.js';
import { say } from './dialogue/messages/index.js';
import type { EntityExtractor } from './nlu/extract.js';
import { readWithModel, reasonTitles } from './nlu/model-reading.js';
import { createRetriever, groundedShare, looksLikeQuestion, type Retriever } from './nlu/retrieval.js';
import { createSideQuestions, type SideQuestions } from './dialogue/side-questions.js';
import type { NoticeReader } from './nlu/notice-reader.js';
import type { Understander } from './nlu/understand.js';

export interface BotDeps {
  content: Content;
  understander: Understander;
  reader: NoticeReader;
  extractor: EntityExtractor;
  store: ConversationStore;
  clock: Clock;
  logger: Logger;
  branding: Branding;
  conversationTtlMs: number;
  flowTtlMs: number;
  handoff: Handoff;
  outbox: Outbox;
  businessHours: string;
  /** Where reminders promised by a summary are scheduled. */
  reminders?: Reminders;
  /** An optional OpenAI-compatible model: asked only where the offline reader is unsure. */
  model?: LanguageModel | undefined;
  /** Where each turn's outcome is counted (the funnel per reason, ratings, what was not understood). */
  outcomes?: Outcomes | undefined;
}

export interface Bot {
  /** One customer turn. */
  handle(message: InboundMessage): Promise<TurnResult>;
  /** One staff command: the staff desk beside the customer's turns. */
  staff(command: StaffCommand): Promise<StaffCommandResult>;
  /** The conversation so far (its last lines and the choices still open), or undefined when there is none. */
  history(conversationKey: string): Promise<ConversationHistory | undefined>;
  /** Asks, in the conversation, whether the resubmitted order went through (a reminder's check-in). */
  checkIn(target: { channel: string; conversationKey: string }): Promise<void>;
  /**
   * Whether a conversation is under way (has saved state). Channels use it to follow up in a place
   * without an explicit mention, such as a Slack thread the bot is already helping in.
   */
  hasConversation(conversationKey: string): Promise<boolean>;
}

export function createBot(deps: BotDeps): Bot {
  const { store, clock, logger, branding } = deps;
  const conversation = createConversation(deps);
  // What free questions are answered from, with a model only.
  const knowledge: Knowledge | undefined = deps.model ? { retriever: createRetriever(deps.content), sideQuestions: createSideQuestions(deps.content) } : undefined;
  // Turns of one conversation run one at a time: in this process by a promise chain, and across
  // processes sharing the store by the store's lock, so two quick messages cannot both read the same
  // state and overwrite each other's answers, and a button is accepted once.
  const inFlight = new Map<string, Promise<unknown>>();

  return {
    staff: handleStaffCommand,
    async checkIn(target) {
      await serially(
        target.conversationKey,
        async (save) => {
          const key = stateKey(target.conversationKey);
          const loaded = parseState(await store.get(key));
          // A conversation gone, or with a person in it: nothing to ask.
          if (loaded.status !== 'found' || loaded.state.handoff) return;
          const now = clock.now();
          const asked = conversation.respond(loaded.state, { channel: target.channel, conversationKey: target.conversationKey, actor: { id: 'portpilot' } }, now, 'checkin');
          const state = withTranscript(asked.state, botLines(now, asked.replies));
          await save(key, boundState({ ...state, updatedAt: now.toISOString() }), deps.conversationTtlMs);
          await deps.outbox.toConversation(target.channel, target.conversationKey, asked.replies.map(sanitizeReply));
        },
        () => {
          throw new Error('conversation busy: the check-in is tried again later');
        },
      );
    },
    async history(conversationKey: string): Promise<ConversationHistory | undefined> {
      const loaded = parseState(await store.get(stateKey(conversationKey)));
      if (loaded.status !== 'found') return undefined;
      return { lines: loaded.state.transcript.map(({ from, text }) => ({ from, text })), offered: loaded.state.offered };
    },
    async hasConversation(conversationKey: string): Promise<boolean> {
      return (await store.get(stateKey(conversationKey))) !== undefined;
    },
    handle(message: InboundMessage): Promise<TurnResult> {
      return serially(message.conversationKey, (save) => handleTurn(message, save), busyResult);
    },
  };

  /**
   * Runs `work` after every earlier piece of work on the same conversation in this process, holding
   * the conversation's lock in the store; `whenBusy` answers if another instance keeps the lock.
   * `work` saves the conversation's state with the `save` it is given: the save also releases the
   * lock (one commit instead of two), so nothing of the conversation may be written after it.
   */
  function serially<T>(conversationKey: string, work: (save: SaveState) => Promise<T>, whenBusy: () => T): Promise<T> {
    const previous = inFlight.get(conversationKey) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => locked(conversationKey, work, whenBusy));
    inFlight.set(conversationKey, run);
    void run
      .finally(() => {
        if (inFlight.get(conversationKey) === run) inFlight.delete(conversationKey);
      })
      .catch(() => undefined);
    return run;
  }

  async function locked<T>(conversationKey: string, work: (save: SaveState) => Promise<T>, whenBusy: () => T): Promise<T> {
    const plainSave: SaveState = async (key, state, ttlMs, index = []) => {
      await store.set(key, state, ttlMs);
      for (const e of index) await store.indexAdd(e.index, e.member, e.score);
    };
    let release: LockRelease | null;
    try {
      release = await store.lock(stateKey(conversationKey), TURN_LOCK_TTL_MS, TURN_LOCK_WAIT_MS);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      // Without the lock the turn still runs: the store's own failure then answers for it.
      logger.error({ err: error, conversation: conversationKey }, 'store unavailable for the turn lock');
      return work(plainSave);
    }
    if (!release) {
      logger.warn({ conversation: conversationKey }, 'conversation busy in another instance');
      return whenBusy();
    }
    const held = release;
    let released = false;
    const saveAndRelease: SaveState = async (key, state, ttlMs, index = []) => {
      if (released) return plainSave(key, state, ttlMs, index);
      await held({ key, value: state, ttlMs, index });
      released = true;
    };
    try {
      return await work(saveAndRelease);
    } finally {
      // A failed save left the lock held; work that saved nothing releases it here.
      if (!released) await held().catch((err: unknown) => logger.warn({ err, conversation: conversationKey }, 'could not release the turn lock'));
    }
  }

  function busyResult(): TurnResult {
    const fields = { company: branding.company, portal: branding.portal, support_email: branding.support_email };
    return result([{ kind: 'text', text: say('busy', fields) }], NOTHING_UNDERSTOOD);
  }

  async function handleStaffCommand(command: StaffCommand): Promise<StaffCommandResult> {
    const outcome = await deps.handoff.runStaffCommand(command);
    const change = outcome.change;
    if (change) {
      await serially(
        change.conversationKey,
        () => applyStaffChange(change),
        () => logger.error({ conversation: change.conversationKey }, 'staff change not applied: the conversation stayed busy'),
      );
    }
    return { replies: outcome.replies.map(sanitizeReply), ok: outcome.ok, caseId: outcome.escalation?.id ?? null };
  }

  /** A claim, handback or close changes the customer's conversation: saved state, then a message to them. */
  async function applyStaffChange(change: ConversationChange): Promise<void> {
    const key = stateKey(change.conversationKey);
    const loaded = parseState(await store.get(key));
    let state = loaded.status === 'found' ? loaded.state : freshState();
    const now = clock.now();
    let replies = change.tellCustomer;
    state = { ...state, handoff: change.handoff };
    if (change.resumeBot) {
      const mode = change.askRating && !state.rated ? 'rate' : 'resume';
      const resumed = conversation.respond(state, { channel: change.channel, conversationKey: change.conversationKey, actor: { id: 'portpilot' } }, now, mode);
      state = resumed.state;
      replies = [...replies, ...resumed.replies];
    }
    state = withTranscript(state, botLines(now, replies));
    // Saved apart from the unlock: the message to the customer below is delivered under the lock too.
    await store.set(key, boundState({ ...state, updatedAt: now.toISOString() }), deps.conversationTtlMs);
    await deps.outbox
      .toConversation(change.channel, change.conversationKey, replies.map(sanitizeReply))
      .catch((err: unknown) => logger.error({ err, channel: change.channel }, 'could not deliver a staff message to the customer'));
  }

  async function handleTurn(message: InboundMessage, save: SaveState): Promise<TurnResult> {
    const key = stateKey(message.conversationKey);
    const fields = { company: branding.company, portal: branding.portal, support_email: branding.support_email };
    let loaded: ReturnType<typeof parseState>;
    try {
      loaded = parseState(await store.get(key));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      logger.error({ err: error, conversation: message.conversationKey }, 'store unavailable on read');
      return result([{ kind: 'text', text: say('storeDown', fields) }], NOTHING_UNDERSTOOD);
    }
    const notes: Reply[] = loaded.status === 'invalid' ? [{ kind: 'text', text: say('stateReset', fields) }] : [];
    const previous = loaded.status === 'found' ? loaded.state : freshState();
    const now = clock.now();
    const customerLine = entry(now, 'customer', customerText(message, previous, deps.content));

    // A person has claimed this conversation: the bot stays quiet and relays the customer's words.
    if (previous.handoff?.status === 'claimed') {
      const caseId = previous.handoff.caseId;
      const state = withTranscript(previous, [customerLine]);
      // Saved apart from the unlock: the relay to staff below stays under the lock, in the customer's order.
      await store.set(key, boundState({ ...state, updatedAt: now.toISOString() }), deps.conversationTtlMs).catch(() => undefined);
      await deps.handoff.relayFromCustomer(caseId, customerLine).catch((err: unknown) => logger.error({ err, caseId }, 'could not relay to staff'));
      const input = message.text !== undefined ? inspectInput(message.text, { pinExpected: expectsPin(deps.content, previous) }) : undefined;
      const hadSecret = input?.kind === 'text' && input.hadSecret;
      const warning: Reply[] = hadSecret ? [{ kind: 'text', text: say('secretWarning', fields, previous.language ?? 'en'), private: true }] : [];
      return result(warning, { intent: null, confidence: 0, reasons: [], flow: state.flow?.id ?? null, inputHadSecret: hadSecret, press: null, escalation: { id: caseId } });
    }

    const preread =
      message.text !== undefined && deps.model && knowledge ? await readWithModelOf(deps, deps.model, message.text, now, knowledge, expectsPin(deps.content, previous)) : undefined;
    const turn = conversation.respond(previous, message, now, 'message', preread);
    let state: ConversationState = turn.state;
    /** The bot's own wording follows the language the customer writes in. */
    const language = state.language ?? 'en';
    const replies = [...notes, ...turn.replies];
    let escalation: { id: string } | null = state.handoff ? { id: state.handoff.caseId } : null;
    if (turn.escalate && state.handoff) {
      replies.push({ kind: 'text', text: say('alreadyEscalated', { ...fields, id: state.handoff.caseId }, language) });
    } else if (turn.escalate) {
      const withLine = withTranscript(state, [customerLine, ...botLines(now, replies)]);
      try {
        const file = await deps.handoff.openCase({ message, state: withLine, trigger: turn.escalate.trigger, blocker: turn.escalate.blocker });
        state = { ...state, handoff: { caseId: file.id, status: 'waiting', claimedBy: null, openedAt: file.createdAt } };
        escalation = { id: file.id };
        // Said right where the need for a person came up: before the summary and the closing choices.
        // Right after "I'm bringing in a person" when the customer asked; else before the summary and the closing choices.
        const personAt = replies.findIndex((r) => r.kind === 'text' && (r.text === say('human', fields, language) || r.text === say('frustrated', fields, language)));
        const at = replies.findIndex((r) => r.kind === 'summary');
        const before = personAt >= 0 ? personAt + 1 : at >= 0 ? at : replies.length > 0 && replies[replies.length - 1]!.kind === 'choices' ? replies.length - 1 : replies.length;
        replies.splice(before, 0, { kind: 'text', text: say('escalated', { ...fields, id: file.id, hours: deps.businessHours }, language) });
      } catch (error) {
        logger.error({ err: error, conversation: message.conversationKey }, 'could not open a case');
        replies.push({ kind: 'text', text: say('escalationFailed', fields, language) });
      }
    }
    // While the case waits, every line of the conversation goes into it (also a turn that asked for a
    // person again), so staff read the whole story and never ask again.
    if (state.handoff?.status === 'waiting' && !(turn.escalate && !previous.handoff)) {
      const lines = [customerLine, ...botLines(now, replies)];
      replies.push(...(await deps.handoff.whileWaiting(state.handoff.caseId, lines).catch(() => [])));
    }
    state = withTranscript(state, [customerLine, ...botLines(now, replies)]);
    state = { ...state, updatedAt: now.toISOString() };
    const outcome: TurnOutcome = {
      conversationKey: message.conversationKey,
      at: now,
      previous,
      next: state,
      recognised: turn.reasons,
      escalated: !previous.handoff && state.handoff !== null,
      intent: turn.intent,
      confidence: turn.confidence,
      text: message.text !== undefined ? customerLine.text : undefined,
      rating: turn.rating,
      confirmedFixed: turn.confirmedFixed === true,
    };
    try {
      // The save releases the turn lock and counts the turn's outcomes in the same commit: what follows
      // (reminders, a knowledge gap) writes nothing of the conversation.
      await save(key, boundState(state), deps.conversationTtlMs, deps.outcomes?.entriesFor(outcome) ?? []);
      for (const followUp of turn.followUps ?? []) {
        await deps.reminders
          ?.schedule({ channel: message.channel, conversationKey: message.conversationKey }, followUp)
          .catch((err: unknown) => logger.error({ err, conversation: message.conversationKey }, 'could not schedule a reminder'));
      }
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      logger.error({ err: error, conversation: message.conversationKey }, 'store unavailable on write');
      // Nothing of this turn was kept: buttons would answer a question the bot no longer knows it asked.
      const unsaved = withoutButtons(replies);
      unsaved.push({ kind: 'text', text: say('notSaved', fields, language) });
      return result(unsaved, {
        intent: turn.intent,
        confidence: turn.confidence,
        reasons: turn.reasons,
        flow: null,
        inputHadSecret: turn.inputHadSecret,
        press: turn.press,
        escalation,
      });
    }
    await deps.outcomes?.afterSave(outcome);
    logger.info({ channel: message.channel, intent: turn.intent, confidence: Math.round(turn.confidence * 1000) / 1000, flow: state.flow?.id ?? null }, 'turn');
    return result(replies, {
      intent: turn.intent,
      confidence: turn.confidence,
      reasons: turn.reasons,
      flow: state.flow?.id ?? null,
      inputHadSecret: turn.inputHadSecret,
      press: turn.press,
      escalation,
    });
  }
}

/** Writes a conversation's state: within a held turn lock, the write that also releases it. */
type SaveState = (key: string, state: unknown, ttlMs: number, index?: IndexEntry[]) => Promise<void>;

/** A turn's hold on its conversation: released at the end of the turn, or lost after this if the process dies. */
const TURN_LOCK_TTL_MS = 30_000;
/** How long a turn waits for the same conversation's turn in another instance. */
const TURN_LOCK_WAIT_MS = 10_000;

/** Replies with their choices turned into plain text (the question stays, the buttons go). */
function withoutButtons(replies: Reply[]): Reply[] {
  return replies.map((r) => (r.kind === 'choices' ? { kind: 'text', text: r.text } : r));
}

function stateKey(conversationKey: string): string {
  return `conversation:${conversationKey}`;
}

function result(replies: Reply[], facts: Omit<TurnResult, 'replies'>): TurnResult {
  return { replies: replies.map(sanitizeReply), ...facts };
}

/** What the customer said, for the transcript: redacted text, or the label of the pressed choice. */
function customerText(message: InboundMessage, previous: ConversationState, content: Pick<Content, 'intents'>): string {
  if (message.choice !== undefined) return `[pressed] ${previous.offered.find((c) => c.id === message.choice)?.label ?? message.choice}`;
  if (message.start !== undefined) return `[started] ${message.start}`;
  const input = inspectInput(message.text ?? '', { pinExpected: expectsPin(content, previous) });
  return input.kind === 'text' ? input.text : `(${input.kind} message)`;
}

/**
 * The notice read offline, then by the model where the offline reading is unsure (the text is redacted
 * first, as everywhere); the conversation uses this reading instead of reading the text again.
 */
async function readWithModelOf(deps: BotDeps, model: LanguageModel, raw: string, now: Date, knowledge: Knowledge, pinExpected: boolean): Promise<PreRead | undefined> {
  const input = inspectInput(raw, { pinExpected });
  if (input.kind !== 'text') return undefined;
  const offline = deps.reader.read(input.text, { referenceDate: now });
  // A free question our own side answers do not cover, stating no reason surely: answered from knowledge/ or not at all.
  const question = looksLikeQuestion(input.text) && !offline.reasons.some((r) => r.sure) && !knowledge.sideQuestions.answer(input.text);
  if (question) return { text: input.text, reading: offline, answer: await groundedAnswer(model, input.text, offline.language ?? 'en', knowledge) };
  return { text: input.text, reading: await readWithModel(deps.reader, model, input.text, { reasons: reasonTitles(deps.content), offline }) };
}

/** An English answer whose words come less than this much from the passages it cites is not used. */
const MIN_GROUNDED_SHARE = 0.6;

interface Knowledge {
  retriever: Retriever;
  sideQuestions: SideQuestions;
}

/**
 * The model's answer to a free question from the passages retrieved for it: only an answer that cites
 * retrieved passages, and cites nothing else, is used. No passage: `none` (the bot says it does not know).
 * No usable answer: undefined (the offline reply stands).
 */
async function groundedAnswer(model: LanguageModel, question: string, language: 'en' | 'es', knowledge: Knowledge): Promise<PreRead['answer']> {
  const passages = knowledge.retriever.retrieve(question);
  if (passages.length === 0) return 'none';
  const answer = await model.answer({ question, language, articles: passages.map(({ id, title, text }) => ({ id, title, text })) }).catch(() => undefined);
  if (!answer || answer.text.trim() === '' || answer.cites.length === 0) return undefined;
  const byId = new Map(passages.map((p) => [p.id, p]));
  if (!answer.cites.every((id) => byId.has(id))) return undefined;
  // In English its words must come mostly from what it cites (a Spanish answer translates them).
  if (
    language === 'en' &&
    groundedShare(
      answer.text,
      answer.cites.map((id) => byId.get(id)!),
    ) < MIN_GROUNDED_SHARE
  )
    return undefined;
  return { text: neutralizeMentions(answer.text.trim()), sources: [...new Set(answer.cites)].map((id) => byId.get(id)!.title) };
}

/** The bot's replies as transcript lines. */
function botLines(now: Date, replies: Reply[]): TranscriptEntry[] {
  return replies.map((r) => entry(now, 'bot', replyToText(r)));
}

function entry(now: Date, from: TranscriptEntry['from'], text: string): TranscriptEntry {
  return { at: now.toISOString(), from, text: text.length > 500 ? `${text.slice(0, 500)}…` : text };
}

function withTranscript(state: ConversationState, entries: TranscriptEntry[]): ConversationState {
  return { ...state, transcript: [...state.transcript, ...entries].slice(-TRANSCRIPT_LIMIT) };
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
