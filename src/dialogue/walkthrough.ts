/**
 * Walking a checklist of reasons: starting a walkthrough, filling its questions from what the customer
 * already said, showing each step's text, asking the current question, taking an answer, and finishing
 * with the fix summary (then the next reason of the notice, or the combined summary).
 */
import type { FactKind, Flow, FlowStep, QuestionStep } from '../content/flow-schema.js';
import type { ArticleSectionId } from '../content/schema.js';
import type { Choice } from '../core/types.js';
import type { NoticeFacts } from '../nlu/notice-facts.js';
import { isFullNumber } from '../nlu/extract.js';
import { currentQuestion, interpolate, isAnswered, nextEachItem, startFlow, walk, type FlowState } from './flow-engine.js';
import { lastSeven, listSlot, parseSlot, sameAnswer, type SlotValue, type Slots } from './slots.js';
import { collectSummary, summaryReply } from './summary.js';
import { formatDay, isoDay } from './calendar.js';
import { clearChecklist, markConfirmed, type TurnContext } from './turn-context.js';
import type { Language } from './messages/index.js';

/**
 * How a walkthrough came about, which decides how sure its introduction sounds: read from a notice
 * (and not yet confirmed by the customer), confirmed by the customer, or picked from the menu.
 */
export type StartedBy = 'read' | 'confirmed' | 'picked';

export function startChecklist(ctx: TurnContext, reasons: string[], startedBy: StartedBy): void {
  const facts = ctx.state.facts;
  clearChecklist(ctx);
  ctx.state.facts = facts;
  if (startedBy !== 'read') markConfirmed(ctx, reasons);
  if (reasons.length > 1) {
    const list = reasons.map((r, i) => `${i + 1}. ${ctx.titleOf(r)}`).join('\n');
    ctx.text('checklistIntro', { count: String(reasons.length), list });
  }
  ctx.state.queue = reasons.slice(1);
  beginFlow(ctx, reasons[0]!, startedBy);
}

export function beginFlow(ctx: TurnContext, id: string, startedBy: StartedBy): void {
  const flowState = startFlow(id, ctx.now);
  ctx.state.flow = flowState;
  ctx.text(startedBy === 'read' ? 'flowIntro' : 'flowIntroChosen', { title: ctx.titleOf(id) });
  // The article's one-line summary explains the reason, unless the walkthrough opens with its own words.
  const flow = ctx.flowOf(id);
  const summary = ctx.summaryOf(id);
  if (summary && !flow.steps[flow.start]!.say) ctx.reply({ kind: 'text', text: summary });
  const filled = prefill(ctx, flow, flowState, ctx.state.facts, { exclude: ['ticket'] });
  if (filled.length > 0) ctx.text('alreadyKnown', { facts: filled.join('; ') });
  advance(ctx);
}

/**
 * Pauses the walkthrough in progress and goes to `intent`'s: the paused walkthrough of that reason if
 * there is one (its answers kept, at the question where it stopped), else a new one.
 */
export function switchTo(ctx: TurnContext, intent: string, startedBy: StartedBy): void {
  const { state } = ctx;
  const paused = state.suspended.findIndex((f) => f.id === intent);
  if (state.flow) state.suspended.push(state.flow);
  if (paused < 0) return beginFlow(ctx, intent, startedBy);
  const [resumed] = state.suspended.splice(paused, 1);
  state.flow = resumed!;
  ctx.text('resumeFlow', { title: ctx.titleOf(intent) });
  const flow = ctx.flowOf(intent);
  const question = currentQuestion(flow, resumed!);
  if (question) return ask(ctx, flow, question.step, resumed!);
  return finishFlow(ctx);
}

/** What a fact is called when the bot says it already knows it, in each language it speaks. */
const FACT_LABELS: Record<FactKind, Record<Language, string>> = {
  numbers: { en: 'the numbers', es: 'los números' },
  pilot: { en: 'the pilot number', es: 'el número piloto' },
  btn: { en: 'the billing number (BTN)', es: 'el número de facturación (BTN)' },
  carrier: { en: 'the carrier', es: 'la compañía' },
  resold: { en: 'whether the number is resold', es: 'si el número es de reventa' },
  order: { en: 'the order number', es: 'el número de solicitud' },
  ticket: { en: 'a confirmation or ticket number', es: 'un número de confirmación o de caso' },
  wrong_field: { en: 'the detail that does not match', es: 'el dato que no coincide' },
  lock_off: { en: 'lock switched off', es: 'bloqueo desactivado' },
  staying: { en: 'the numbers that stay', es: 'los números que se quedan' },
  new_pilot: { en: 'the new pilot', es: 'el nuevo número piloto' },
  services: { en: 'what else is on the account', es: 'qué más hay en la cuenta' },
  paid: { en: 'the balance', es: 'el saldo' },
  paid_on: { en: 'paid on', es: 'pagado el' },
  requested_date: { en: 'the date the order asked for', es: 'la fecha que pedía la solicitud' },
  pending_kind: { en: 'what is pending', es: 'qué está pendiente' },
  account_holder: { en: 'whether you know who is on the account', es: 'si sabe quién figura en la cuenta' },
  holder_name: { en: 'the name on the account', es: 'el nombre en la cuenta' },
  freeze_kind: { en: 'the kind of line', es: 'el tipo de línea' },
  service_plans: { en: 'what happens to them', es: 'qué pasa con ellos' },
  loa_problem: { en: "what's wrong with the LOA", es: 'qué tiene de malo la LOA' },
  date_problem: { en: "what's wrong with it", es: 'qué tiene de malo' },
};

/** Facts told as one: the name on the account says the customer knows who is on it. */
const SAME_FACT: Partial<Record<FactKind, FactKind>> = { holder_name: 'account_holder' };

/** What a fact is called when the bot says it noted it. */
export function factLabel(kind: FactKind, language: Language = 'en'): string {
  return FACT_LABELS[kind][language];
}

/** Which choice of a question about the wrong detail each wrong field means. */
const FIELD_CHOICES: Record<string, string> = {
  service_address: 'address',
  house_number: 'address',
  street: 'address',
  zip: 'address',
  city: 'address',
  account_number: 'account',
  name: 'name',
  end_user: 'name',
  btn: 'btn',
};

/**
 * Answers the questions of a walkthrough whose facts the customer already gave, so they are never
 * asked; returns "label: value" for each filled, to tell the customer.
 */
export function prefill(ctx: TurnContext, flow: Flow, flowState: FlowState, facts: NoticeFacts, options: { exclude?: FactKind[]; exceptStep?: string } = {}): string[] {
  const told: Array<{ kind: FactKind; brief: boolean; line: string }> = [];
  for (const [stepId, step] of Object.entries(flow.steps)) {
    if (step.kind !== 'question' || !step.fill || options.exclude?.includes(step.fill) || stepId === options.exceptStep) continue;
    // A question filled from facts (never answered by the customer) follows the facts as they grow: "we are only
    // moving 0115 and 0116" after a notice that listed the whole group.
    const fromFacts = flowState.prefilled.includes(step.slot);
    if (isAnswered(step, stepId, flowState) && !fromFacts) continue;
    const found = factValue(ctx, step, step.fill, facts, flowState.slots);
    if (found === undefined) continue;
    if (fromFacts && sameAnswer(found, flowState.slots[step.slot])) continue;
    // A question asked item by item keeps the decisions already given; facts only add the missing ones.
    const before = flowState.slots[step.slot];
    const value = step.type === 'choice_each' && before && typeof before === 'object' && !Array.isArray(before) ? { ...(found as Record<string, string>), ...before } : found;
    if (step.type === 'choice_each' && sameAnswer(value, before)) continue;
    flowState.slots[step.slot] = value;
    if (!flowState.prefilled.includes(step.slot)) flowState.prefilled.push(step.slot);
    const language = ctx.language();
    const several = step.fill === 'wrong_field' && Array.isArray(value) && value.length > 1;
    const label = several ? ctx.say('wrongFieldsLabel') : factLabel(step.fill, language);
    told.push({
      kind: SAME_FACT[step.fill] ?? step.fill,
      brief: typeof value === 'boolean' || step.type === 'choice',
      line: `${label}: ${interpolate(`{${step.slot}}`, flowState.slots, flow, language)}`,
    });
  }
  // One fact answering several questions ("some lines stay": yes, and which ones) is said once, by its fullest answer.
  const fullest = (t: (typeof told)[number]) => !told.some((o) => o !== t && o.kind === t.kind && (t.brief ? !o.brief : !o.brief && o.line.length > t.line.length));
  return [...new Set(told.filter(fullest).map((t) => t.line))];
}

/** Whether the facts answer this question (its `fill`). */
export function factsAnswer(ctx: TurnContext, step: QuestionStep, facts: NoticeFacts, slots: Slots): boolean {
  return step.fill !== undefined && factValue(ctx, step, step.fill, facts, slots) !== undefined;
}

function factValue(ctx: TurnContext, step: QuestionStep, kind: FactKind, facts: NoticeFacts, slots: Slots): SlotValue | undefined {
  switch (kind) {
    // Only numbers written in full answer a question: one without its area code is asked for again.
    case 'numbers': {
      // The numbers moving: a number said to stay is not one of them.
      const moving = (facts.numbers ?? []).filter((n) => !facts.staying?.includes(n));
      return moving.length > 0 && moving.length <= 50 && moving.every(isFullNumber) ? moving : undefined;
    }
    case 'pilot':
      return facts.pilot && isFullNumber(facts.pilot) ? facts.pilot : undefined;
    case 'btn':
      return facts.btn && isFullNumber(facts.btn) ? facts.btn : undefined;
    case 'carrier': {
      const carrier = ctx.content.carriers.find((c) => c.id === facts.carrier);
      if (!carrier) return undefined;
      const parsed = parseSlot(step, carrier.name, { extractor: ctx.deps.extractor, carriers: ctx.content.carriers, slots: {}, referenceDate: ctx.now });
      return parsed.ok ? parsed.value : undefined;
    }
    case 'resold':
      if (facts.resold === undefined) return undefined;
      return step.type === 'yes_no' ? facts.resold : facts.resold ? 'yes' : 'no';
    case 'wrong_field': {
      const choices = new Set((facts.wrongFields ?? []).map((f) => FIELD_CHOICES[f]).filter((c): c is string => c !== undefined));
      const offered = [...choices].filter((c) => step.choices?.some((choice) => choice.id === c));
      // A question that takes several details takes every one the notice names; one that takes one, only a single one.
      if (step.type === 'choice_some') return offered.length > 0 && offered.length === choices.size ? offered : undefined;
      return choices.size === 1 && offered.length === 1 ? offered[0] : undefined;
    }
    case 'paid':
      if (!facts.paid) return undefined;
      return step.type === 'yes_no' ? true : 'paid';
    case 'paid_on':
      return facts.paidOn;
    case 'requested_date':
      return facts.requestedDate;
    case 'pending_kind':
      return facts.pendingKind;
    case 'account_holder':
      // Gone wins: "my late husband Tom" needs a new authorized contact, whatever his name.
      if (facts.holderGone) return 'left';
      // Who it is, but not yet how the carrier spells it.
      return facts.holderKnown ? 'roughly' : undefined;
    case 'holder_name':
      // Only a full name answers "What is that person's full name?": "Tom" is asked for in full.
      return facts.holderName && facts.holderName.trim().split(/\s+/).length >= 2 ? facts.holderName : undefined;
    case 'freeze_kind':
      return facts.freezeKind;
    case 'service_plans': {
      const plans = Object.entries(facts.servicePlans ?? {});
      if (plans.length === 0) return undefined;
      if (step.type === 'choice') {
        if (plans.some(([, plan]) => plan === 'disconnect')) return 'some_disconnect';
        if (plans.some(([, plan]) => plan === 'port')) return 'some_port';
        // Everything kept only when every service named is said to be kept.
        return (facts.services ?? []).every((s) => facts.servicePlans?.[s] === 'keep') ? 'keep_all' : undefined;
      }
      // Each item of the list this question goes through that a plan names, with a decision the question offers.
      const decided = Object.fromEntries(
        listSlot(slots, step.from).flatMap((item) => {
          const plan = plans.find(([name]) => name.toLowerCase() === item.toLowerCase())?.[1];
          return plan && step.choices?.some((c) => c.id === plan) ? [[item, plan]] : [];
        }),
      );
      return Object.keys(decided).length > 0 ? decided : undefined;
    }
    case 'date_problem':
      return facts.dateProblem;
    case 'loa_problem': {
      const offered = (facts.loaProblems ?? []).filter((p) => step.choices?.some((c) => c.id === p));
      return offered.length > 0 ? offered : undefined;
    }
    case 'services':
      return facts.services && facts.services.length > 0 ? facts.services : undefined;
    case 'staying':
      if (!facts.staying || facts.staying.length === 0 || !facts.staying.every(isFullNumber)) return undefined;
      return step.type === 'yes_no' ? true : facts.staying;
    case 'new_pilot': {
      if (!facts.newPilot || !isFullNumber(facts.newPilot)) return undefined;
      // A new pilot picked from a list takes only a number of that list.
      if (step.type === 'phone_from') return listSlot(slots, step.from).find((n) => lastSeven(n) === lastSeven(facts.newPilot!));
      // "Keep the group, with a new pilot?": naming the new pilot says yes.
      if (step.type === 'choice') return 'new_pilot';
      return facts.newPilot;
    }
    case 'lock_off':
      if (facts.lockOff === undefined) return undefined;
      return step.type === 'yes_no' ? facts.lockOff : facts.lockOff ? 'done' : 'not_yet';
    case 'order':
      return facts.orders?.[0] !== undefined ? (step.type === 'yes_no' ? true : facts.orders[0]) : undefined;
    case 'ticket':
      return facts.tickets?.[0] !== undefined ? (step.type === 'yes_no' ? true : facts.tickets[0]) : undefined;
  }
}

/**
 * An answer to a question that a fact can fill becomes that fact, so the next walkthrough of the
 * checklist does not ask it again: the carrier, the numbers, the pilot, whether the lock is off.
 */
function learnFact(ctx: TurnContext, step: QuestionStep, value: SlotValue): void {
  const facts = ctx.state.facts;
  const yes = value === true || value === 'yes' || value === 'done';
  const no = value === false || value === 'no' || value === 'not_yet';
  switch (step.fill) {
    case 'carrier':
      if (typeof value === 'string' && ctx.content.carriers.some((c) => c.id === value)) facts.carrier = value;
      return;
    case 'numbers':
      if (Array.isArray(value) && value.length > 0) facts.numbers = value;
      return;
    case 'pilot':
      if (typeof value === 'string') facts.pilot = value;
      return;
    case 'btn':
      if (typeof value === 'string') facts.btn = value;
      return;
    case 'resold':
      if (yes || no) facts.resold = yes;
      return;
    case 'lock_off':
      if (yes || no) facts.lockOff = yes;
      // A lock asked about beside a carrier's own PIN and lock steps is a mobile line's app lock.
      if (step.carrier_help) facts.freezeKind ??= 'mobile';
      return;
    case 'staying':
      if (Array.isArray(value)) facts.staying = value;
      return;
    case 'new_pilot':
      if (typeof value === 'string') facts.newPilot = value;
      return;
    case 'holder_name':
      if (typeof value === 'string') {
        facts.holderName = value;
        facts.holderKnown = true;
      }
      return;
    default:
      return;
  }
}

/** Shows what the walk passed since last time, then asks the current question or finishes. */
export function advance(ctx: TurnContext): void {
  const flowState = ctx.state.flow!;
  const flow = ctx.flowOf(flowState.id);
  const { path, current } = walk(flow, flowState);
  for (const stepId of current ? [...path, current] : path) {
    if (flowState.shown.includes(stepId)) continue;
    flowState.shown.push(stepId);
    showStep(ctx, flow, flow.steps[stepId]!, flowState);
  }
  flowState.updatedAt = ctx.now.toISOString();
  const question = currentQuestion(flow, flowState);
  if (question) return ask(ctx, flow, question.step, flowState);
  finishFlow(ctx);
}

function showStep(ctx: TurnContext, flow: Flow, step: FlowStep, flowState: FlowState): void {
  const say = ctx.stepText(step, 'say');
  if (say) ctx.reply({ kind: 'text', text: interpolate(say, flowState.slots, flow) });
  if (step.show) {
    const article = ctx.content.articles.get(step.show.article)!;
    const section = step.show.section as ArticleSectionId;
    if (section === 'what_to_do') ctx.reply({ kind: 'steps', title: ctx.say('whatToDoTitle'), steps: ctx.stepsOf(article.id) });
    else ctx.reply({ kind: 'text', text: article.sections[section] });
  }
  if (step.carrier_help) carrierHelp(ctx, flowState.slots[step.carrier_help]);
  if (step.handoff) {
    const handoff = interpolate(ctx.stepText(step, 'handoff') ?? step.handoff, flowState.slots, flow);
    ctx.text('handoffNeeded', { handoff });
    ctx.out.escalate ??= { trigger: 'flow', blocker: `${ctx.titleOf(flowState.id)}: ${handoff}` };
  }
}

function carrierHelp(ctx: TurnContext, value: SlotValue | undefined): void {
  const carrier = typeof value === 'string' ? ctx.content.carriers.find((c) => c.id === value) : undefined;
  if (!carrier) return;
  // A customer writing in Spanish reads the carrier's Spanish where knowledge/carriers.yaml has it.
  const spanish = ctx.language() === 'es';
  const lock = carrier.lock && { ...carrier.lock, ...(spanish ? carrier.lock.es : undefined) };
  const pin = carrier.pin && { ...carrier.pin, ...(spanish ? carrier.pin.es : undefined) };
  const lines: string[] = [];
  if (lock) lines.push(ctx.say('carrierLockFirst', { lock: lock.name, how: lock.how.join(' ') }));
  if (pin) {
    lines.push(ctx.say('carrierPinName', { carrier: carrier.name, pin: pin.name, how: pin.how.join(' ') }));
    if (pin.who) lines.push(ctx.say('carrierPinWho', { who: pin.who }));
    const validFor = pin.valid_for ?? (pin.valid_days ? ctx.say('carrierPinDays', { days: String(pin.valid_days) }) : undefined);
    if (pin.valid_days && validFor) {
      const lastDay = isoDay(new Date(ctx.now.getTime() + pin.valid_days * 86_400_000));
      lines.push(ctx.say('carrierPinValidUntil', { validFor, day: formatDay(lastDay, ctx.now, ctx.language()) }));
    } else if (validFor) lines.push(ctx.say('carrierPinValid', { validFor }));
  }
  if (lines.length > 0) ctx.reply({ kind: 'steps', title: ctx.say('carrierHelpTitle', { carrier: carrier.name }), steps: lines });
}

export function ask(ctx: TurnContext, flow: Flow, step: QuestionStep, flowState: FlowState): void {
  const item = step.type === 'choice_each' ? nextEachItem(step, flowState) : undefined;
  const question = interpolate((ctx.stepText(step, 'ask') ?? step.ask).replace(/\{item\}/g, item ?? ''), flowState.slots, flow);
  const choices: Choice[] = [];
  if (step.type === 'yes_no') choices.push(ctx.choice({ kind: 'answer', value: 'yes' }, ctx.say('yesLabel')), ctx.choice({ kind: 'answer', value: 'no' }, ctx.say('noLabel')));
  else if (step.type === 'phone_from') {
    for (const option of listSlot(flowState.slots, step.from).slice(0, 8)) choices.push(ctx.choice({ kind: 'answer', value: lastSeven(option) }, option));
  } else for (const c of step.choices ?? []) choices.push(ctx.choice({ kind: 'answer', value: c.id }, ctx.choiceLabel(step, c)));
  if (step.optional) choices.push(ctx.choice({ kind: 'skip' }, ctx.say('skipLabel')));
  ctx.reply(choices.length > 0 ? { kind: 'choices', text: question, choices } : { kind: 'text', text: question });
  ctx.markOffersChanged();
}

/** Repeats the current question (after a stale button, a side question, a repair move). */
export function reprompt(ctx: TurnContext): void {
  const flowState = ctx.state.flow;
  if (flowState) {
    const flow = ctx.flowOf(flowState.id);
    const question = currentQuestion(flow, flowState);
    if (question) return ask(ctx, flow, question.step, flowState);
  }
  const offered = ctx.previous.offered;
  if (offered.length > 0) ctx.reply({ kind: 'choices', text: ctx.say('chooseOne'), choices: offered });
  else if (ctx.out.replies.length === 0 || ctx.out.replies.every((r) => r.kind !== 'choices')) ctx.text('nothingToChoose');
}

/** The fix summary of finished walkthroughs, and the reminders it promises ("I'll remind you here on ..."). */
function giveSummary(ctx: TurnContext, flows: FlowState[], title: string): void {
  const summary = collectSummary(ctx.content, flows, ctx.now, ctx.language());
  ctx.reply(summaryReply(summary, title, ctx.fields.support_email!, ctx.language()));
  if (summary.followUps.length === 0) return;
  ctx.out.followUps = [...(ctx.out.followUps ?? []), ...summary.followUps];
  ctx.text('reminderScheduled', { days: [...new Set(summary.followUps.map((f) => formatDay(f.due, ctx.now, ctx.language())))].join(', ') });
}

/** Days after the final summary when the customer is asked whether the order went through. */
const CHECK_IN_AFTER_DAYS = 7;

export function finishFlow(ctx: TurnContext): void {
  const { state } = ctx;
  const done = state.flow!;
  state.completed.push(done);
  state.flow = null;
  const resumed = state.suspended.pop();
  if (resumed) {
    giveSummary(ctx, [done], ctx.say('summaryTitleOne', { title: ctx.titleOf(done.id) }));
    state.flow = resumed;
    ctx.text('resumeFlow', { title: ctx.titleOf(resumed.id) });
    const flow = ctx.flowOf(resumed.id);
    const question = currentQuestion(flow, resumed);
    if (question) return ask(ctx, flow, question.step, resumed);
    return finishFlow(ctx);
  }
  const next = state.queue.shift();
  if (next) {
    const count = state.completed.length + 1 + state.queue.length;
    ctx.text('nextReason', { position: String(state.completed.length + 1), count: String(count), title: ctx.titleOf(next) });
    return beginFlow(ctx, next, 'confirmed');
  }
  const completed = state.completed;
  const title = completed.length > 1 ? ctx.say('summaryTitleMany') : ctx.say('summaryTitleOne', { title: ctx.titleOf(done.id) });
  giveSummary(ctx, completed, title);
  // A week on, the customer is asked whether the resubmitted order went through: a confirmed resolution.
  const checkInDay = new Date(ctx.now.getTime() + CHECK_IN_AFTER_DAYS * 24 * 3600_000).toISOString().slice(0, 10);
  ctx.out.followUps = [...(ctx.out.followUps ?? []), { due: checkInDay, text: ctx.say('checkInQuestion'), checkIn: true }];
  ctx.reply({
    kind: 'choices',
    text: ctx.say(state.rated ? 'afterSummary' : 'afterSummaryRate'),
    choices: [
      ...(state.rated
        ? []
        : [ctx.choice({ kind: 'rate', value: 'helpful' }, ctx.say('helpfulLabel')), ctx.choice({ kind: 'rate', value: 'not_helpful' }, ctx.say('notHelpfulLabel'))]),
      ctx.choice({ kind: 'menu' }, ctx.say('anotherReasonLabel')),
      ctx.choice({ kind: 'restart' }, ctx.say('startOverLabel')),
    ],
  });
}

/** Stores an answer to the current question and walks on. */
export function answerStep(ctx: TurnContext, step: QuestionStep, value: SlotValue): void {
  const flowState = ctx.state.flow!;
  if (step.type === 'choice_each') {
    const item = nextEachItem(step, flowState)!;
    const decided = (flowState.slots[step.slot] as Record<string, string> | undefined) ?? {};
    flowState.slots[step.slot] = { ...decided, [item]: value as string };
  } else flowState.slots[step.slot] = value;
  flowState.prefilled = flowState.prefilled.filter((s) => s !== step.slot);
  learnFact(ctx, step, value);
  // A fact that could not answer its question before this answer can now ("make 0182 the new pilot", once the staying lines are known).
  const filled = prefill(ctx, ctx.flowOf(flowState.id), flowState, ctx.state.facts, { exclude: ['ticket'] });
  if (filled.length > 0) ctx.text('alreadyKnown', { facts: filled.join('; ') });
  ctx.state.misses = 0;
  advance(ctx);
}

/** A pressed answer button: the value it carries answers the current question, if it still fits it. */
export function answerChoice(ctx: TurnContext, value: string): void {
  const flowState = ctx.state.flow;
  if (!flowState) return ctx.text('nothingToChoose');
  const question = currentQuestion(ctx.flowOf(flowState.id), flowState);
  if (!question) return finishFlow(ctx);
  const step = question.step;
  if (step.type === 'yes_no' && (value === 'yes' || value === 'no')) return answerStep(ctx, step, value === 'yes');
  if (step.type === 'phone_from') {
    const option = listSlot(flowState.slots, step.from).find((o) => lastSeven(o) === value);
    if (option) return answerStep(ctx, step, option);
  }
  if (step.choices?.some((c) => c.id === value)) return answerStep(ctx, step, step.type === 'choice_some' ? [value] : value);
  ctx.text('staleChoice');
  reprompt(ctx);
}

/** A walkthrough idle for too long is closed, with what we knew, before this message is read. */
export function expireIdleFlow(ctx: TurnContext): boolean {
  const flowState = ctx.state.flow;
  if (!flowState || ctx.now.getTime() - Date.parse(flowState.updatedAt) <= ctx.deps.flowTtlMs) return false;
  ctx.text('flowExpired', { title: ctx.titleOf(flowState.id) });
  ctx.reply(
    summaryReply(
      collectSummary(ctx.content, [...ctx.state.completed, flowState], ctx.now, ctx.language()),
      ctx.say('summaryTitleOne', { title: ctx.titleOf(flowState.id) }),
      ctx.fields.support_email!,
      ctx.language(),
    ),
  );
  clearChecklist(ctx);
  return true;
}
