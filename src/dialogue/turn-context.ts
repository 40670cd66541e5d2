/**
 * One turn in the making: the state before and after, the replies so far, and how to present them
 * (wording, choices with turn-stamped ids, the reason menu). Every dialogue module (triage, the
 * walkthrough, repair moves, side questions, the notice reading) writes its part of the turn here.
 */
import type { FollowUp } from '../followup/reminders.js';
import type { Content } from '../content/load-content.js';
import type { Flow, FlowStep } from '../content/flow-schema.js';
import { REJECTION_IDS } from '../content/ids.js';
import type { Branding, Choice, Reply } from '../core/types.js';
import type { EntityExtractor } from '../nlu/extract.js';
import type { NoticeReader, NoticeReading } from '../nlu/notice-reader.js';
import { encodeChoiceId, type ChoiceAction } from './choice-id.js';
import type { SideQuestions } from './side-questions.js';
import type { ConversationState } from './state.js';
import { say, type Language, type MessageKey } from './messages/index.js';

export interface ConversationDeps {
  content: Content;
  reader: NoticeReader;
  extractor: EntityExtractor;
  branding: Branding;
  /** A walkthrough idle for longer than this is closed politely on the next message. */
  flowTtlMs: number;
}

/** A person is needed: why, and what triggered it. The bot opens (or joins) the case. */
export interface EscalationRequest {
  trigger: 'asked' | 'flow' | 'misses' | 'frustration';
  blocker: string;
}

export interface Turn {
  escalate?: EscalationRequest;
  replies: Reply[];
  intent: string | null;
  confidence: number;
  /** The rejection reasons this turn's text stated, in the order it stated them. */
  reasons: string[];
  state: ConversationState;
  inputHadSecret: boolean;
  press: 'accepted' | 'refused' | null;
  /** Reminders this turn's summary promised: scheduled once the turn's state is saved. */
  followUps?: FollowUp[];
  /** The customer's one tap on whether the walkthrough helped, this turn. */
  rating?: 'helpful' | 'not_helpful';
  /** The customer said the resubmitted order went through: a confirmed resolution of the walkthroughs done. */
  confirmedFixed?: boolean;
}

/** The reason menu, most common first: the first page, then the rest ("More reasons"). */
export const MENU_FIRST_PAGE = [
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
export const MENU_SECOND_PAGE = REJECTION_IDS.filter((id) => !(MENU_FIRST_PAGE as readonly string[]).includes(id));

/** The customer's text already read before the turn (with the optional model): not read again. */
export interface PreRead {
  text: string;
  reading: NoticeReading;
  /**
   * The model's answer to a free question, from `knowledge/` passages it was given and cites, or `none`
   * when no passage bears on the question (the bot then says so instead of guessing).
   */
  answer?: { text: string; sources: string[] } | 'none' | undefined;
}

export interface TurnContext {
  readonly deps: ConversationDeps;
  /** The reading of this turn's text made before the turn, if any. */
  readonly preread?: PreRead | undefined;
  readonly content: Content;
  readonly previous: ConversationState;
  readonly state: ConversationState;
  readonly out: Turn;
  readonly now: Date;
  readonly turnNumber: number;
  readonly fields: Record<string, string>;
  readonly sideQuestions: SideQuestions;
  reply(reply: Reply): void;
  /** The language the customer writes in, for the bot's own wording (English until it is clear). */
  language(): Language;
  /** A message in the customer's language, with branding fields and `extra` filled. */
  say(key: MessageKey, extra?: Record<string, string>): string;
  text(key: MessageKey, extra?: Record<string, string>): void;
  choice(action: ChoiceAction, label: string): Choice;
  /** A reason's title in the customer's language (the article's Spanish title when there is one). */
  titleOf(intent: string): string;
  /** A reason's one-line summary, and its "What to do" steps, in the customer's language. */
  summaryOf(intent: string): string | undefined;
  /** A step's say, ask, why or handoff in the customer's language (English where no translation exists). */
  stepText(step: FlowStep, field: 'say' | 'ask' | 'why' | 'handoff'): string | undefined;
  /** A choice's label in the customer's language. */
  choiceLabel(step: FlowStep, choice: { id: string; label: string }): string;
  stepsOf(intent: string): string[];
  flowOf(id: string): Flow;
  /** A question was asked: it replaces whatever was offered before, even without buttons of its own. */
  markOffersChanged(): void;
  offersChanged(): boolean;
}

export function createTurnContext(deps: ConversationDeps, sideQuestions: SideQuestions, previous: ConversationState, now: Date, preread?: PreRead): TurnContext {
  const { content, branding } = deps;
  const turnNumber = previous.turn + 1;
  const state = structuredClone(previous);
  const out: Turn = { replies: [], intent: null, confidence: 0, reasons: [], state, inputHadSecret: false, press: null };
  const fields = { company: branding.company, portal: branding.portal, support_email: branding.support_email };
  let changed = false;
  const ctx: TurnContext = {
    deps,
    preread,
    content,
    previous,
    state,
    out,
    now,
    turnNumber,
    fields,
    sideQuestions,
    reply(reply) {
      if (reply.kind === 'choices') changed = true;
      out.replies.push(reply);
    },
    language() {
      return state.language ?? 'en';
    },
    say(key, extra = {}) {
      return say(key, { ...fields, ...extra }, ctx.language());
    },
    text(key, extra = {}) {
      ctx.reply({ kind: 'text', text: ctx.say(key, extra) });
    },
    choice(action, label) {
      return { id: encodeChoiceId(turnNumber, action), label: label.length > 75 ? `${label.slice(0, 74)}…` : label };
    },
    titleOf(intent) {
      const article = content.articles.get(intent);
      return (ctx.language() === 'es' ? article?.es?.title : undefined) ?? article?.title ?? intent;
    },
    stepText(step, field) {
      const english = field === 'say' || field === 'handoff' ? step[field] : step.kind === 'question' ? step[field] : undefined;
      return (ctx.language() === 'es' && english !== undefined ? step.es?.[field] : undefined) ?? english;
    },
    choiceLabel(step, choice) {
      return (ctx.language() === 'es' ? step.es?.choices?.[choice.id] : undefined) ?? choice.label;
    },
    summaryOf(intent) {
      const article = content.articles.get(intent);
      return (ctx.language() === 'es' ? article?.es?.summary : undefined) ?? article?.summary;
    },
    stepsOf(intent) {
      const article = content.articles.get(intent);
      return (ctx.language() === 'es' ? article?.es?.what_to_do : undefined) ?? article?.steps ?? [];
    },
    flowOf(id) {
      const flow = content.intents.get(id)?.flow;
      if (!flow) throw new Error(`no walkthrough for "${id}"`);
      return flow;
    },
    markOffersChanged() {
      changed = true;
    },
    offersChanged() {
      return changed;
    },
  };
  return ctx;
}

/** The reason menu: the common reasons and "More reasons", or the rest and "I don't know what it says". */
export function offerMenu(ctx: TurnContext, prompt: string, page: 1 | 2 = 1): void {
  const reasons = page === 1 ? MENU_FIRST_PAGE : MENU_SECOND_PAGE;
  const choices = reasons.map((intent) => ctx.choice({ kind: 'reason', intent }, ctx.titleOf(intent)));
  if (page === 1) choices.push(ctx.choice({ kind: 'more' }, ctx.say('moreReasonsLabel')));
  else choices.push(ctx.choice({ kind: 'menu' }, ctx.say('commonReasonsLabel')));
  choices.push(ctx.choice({ kind: 'unknown' }, ctx.say('unknownReasonLabel')));
  ctx.reply({ kind: 'choices', text: prompt, choices });
}

/** Forgets every walkthrough of the checklist (not the facts the customer told us). */
export function clearChecklist(ctx: TurnContext): void {
  Object.assign(ctx.state, { flow: null, suspended: [], queue: [], completed: [], pendingSwitch: null, pendingReading: null });
}

/** Reasons the case file should call "suspected": only guessed, never stated surely nor confirmed. */
export function markSuspected(ctx: TurnContext, intents: string[]): void {
  for (const intent of intents) if (!ctx.state.suspected.includes(intent)) ctx.state.suspected.push(intent);
}

export function markConfirmed(ctx: TurnContext, intents: string[]): void {
  ctx.state.suspected = ctx.state.suspected.filter((s) => !intents.includes(s));
}
