/**
 * Repair moves inside (and just after) a walkthrough: back, skip, why, start over, cancel, pausing,
 * asking for a person, doubting the reason, correcting an earlier answer (also after the summary, which
 * reopens the finished walkthrough), and switching to a different reason.
 */
import type { Flow, QuestionStep } from '../content/flow-schema.js';
import { currentQuestion, forgetShownAfter, goBack, interpolate, startFlow, walk, type FlowState } from './flow-engine.js';
import { parseSlot, sameAnswer } from './slots.js';
import { clearChecklist, markSuspected, type TurnContext } from './turn-context.js';
import { advance, reprompt } from './walkthrough.js';

/** "actually the pilot is ...", "correction: ...", "make 555-0103 the new pilot instead". */
export const CORRECTION = /^\s*(?:actually|correction|sorry|oops|wait|i meant|no,? (?:it'?s|it is|the)|en realidad|perd[oó]n|quise decir)(?=[\s,:]|$)[,:]?\s*/i;
/** After the summary, a change of mind needs no "actually": "make 555-0103 the new pilot instead". */
const CHANGE_AFTER_SUMMARY = /^\s*(?:please\s+)?(?:change|make|set|switch|use|put)\b|\binstead\b/i;

/** Question types an answer can be corrected for by naming a new value. */
const CORRECTABLE = new Set(['phone', 'phone_from', 'phone_list', 'carrier', 'date', 'choice', 'yes_no']);

/** Words that name a fact kind, so "actually the numbers are ..." finds a question filled from the notice. */
const FACT_WORDS: Record<string, string[]> = {
  numbers: ['numbers', 'lines'],
  pilot: ['pilot', 'main number'],
  btn: ['btn', 'billing'],
  carrier: ['carrier', 'provider'],
  resold: ['resold', 'resell', 'reseller'],
  wrong_field: ['address', 'account', 'name', 'btn'],
};

/** Repair moves and conversation intents inside a walkthrough. */
export function control(ctx: TurnContext, intent: string): void {
  const flowState = ctx.state.flow!;
  const flow = ctx.flowOf(flowState.id);
  const question = currentQuestion(flow, flowState);
  const step = question?.step;
  switch (intent) {
    case 'back': {
      const back = goBack(flow, flowState);
      if (!back) {
        ctx.text('nothingToGoBackTo');
        return reprompt(ctx);
      }
      ctx.state.flow = forgetShownAfter(flow, back, walk(flow, back).current);
      ctx.text('wentBack');
      return advance(ctx);
    }
    case 'skip':
      if (step?.optional && question) {
        flowState.skipped.push(question.id);
        ctx.text('skipped');
        return advance(ctx);
      }
      ctx.text('cannotSkip', { why: (step && ctx.stepText(step, 'why')) ?? ctx.say('genericWhy') });
      return reprompt(ctx);
    case 'why':
      ctx.reply({ kind: 'text', text: (step && ctx.stepText(step, 'why')) ?? ctx.say('genericWhy') });
      return reprompt(ctx);
    case 'restart':
      ctx.state.flow = startFlow(flowState.id, ctx.now);
      ctx.text('flowRestarted');
      return advance(ctx);
    case 'cancel':
      clearChecklist(ctx);
      return ctx.text('cancelled');
    case 'goodbye':
      return ctx.text('flowPaused');
    case 'human':
      askForPerson(ctx, 'The customer asked to talk to a person during a walkthrough.');
      return reprompt(ctx);
    case 'thanks':
      ctx.text('thanks');
      return reprompt(ctx);
    default:
      ctx.text('flowHelp', { title: ctx.titleOf(flowState.id) });
      return reprompt(ctx);
  }
}

export function askForPerson(ctx: TurnContext, blocker: string): void {
  ctx.out.escalate ??= { trigger: 'asked', blocker };
  ctx.text('human');
}

/**
 * "Wait, I don't even know if that's the reason": the walkthrough's reason becomes a suspicion, and the
 * customer can carry on, pick another reason, or say they don't know what the notice says.
 */
export function doubtReason(ctx: TurnContext): void {
  const flowState = ctx.state.flow!;
  markSuspected(ctx, [flowState.id]);
  ctx.reply({
    kind: 'choices',
    text: ctx.say('doubtReason', { title: ctx.titleOf(flowState.id) }),
    choices: [
      ctx.choice({ kind: 'stay' }, ctx.say('keepGoingLabel', { title: ctx.titleOf(flowState.id) })),
      ctx.choice({ kind: 'other' }, ctx.say('pickAnotherLabel')),
      ctx.choice({ kind: 'unknown' }, ctx.say('unknownReasonLabel')),
    ],
  });
}

/** A correction of an earlier answer ("actually the pilot is 555-0142"): re-read it for a past question. */
export function correct(ctx: TurnContext, flow: Flow, flowState: FlowState, input: string, options: { onlyPrefilled?: boolean } = {}): boolean {
  const { path } = walk(flow, flowState);
  const lower = input.toLowerCase();
  const candidates = path
    .map((id) => ({ id, step: flow.steps[id]! }))
    .filter((c): c is { id: string; step: QuestionStep } => c.step.kind === 'question' && CORRECTABLE.has(c.step.type))
    .filter((c) => !options.onlyPrefilled || flowState.prefilled.includes(c.step.slot))
    .reverse();
  const names = (slot: string, fill: string | undefined) => [...slot.split('_'), ...(fill ? (FACT_WORDS[fill] ?? []) : [])];
  const named = candidates.filter(({ step }) => names(step.slot, step.fill).some((word) => word.length > 3 && lower.includes(word)));
  // A list is only corrected when named ("actually the numbers are ..."), or when it was taken from the
  // notice and the customer now types a list of numbers: any single number would parse as one.
  const unnamed = candidates.filter(({ step }) => step.type !== 'phone_list' || (options.onlyPrefilled && ctx.deps.extractor.phoneNumbers(input).length > 1));
  for (const { id, step } of [...named, ...unnamed]) {
    const parsed = parseSlot(step, input, { extractor: ctx.deps.extractor, carriers: ctx.content.carriers, slots: flowState.slots, referenceDate: ctx.now });
    // The answer it already has is no correction ("keep the group with 0114" when 0114 is the pilot on file).
    if (!parsed.ok || sameAnswer(parsed.value, flowState.slots[step.slot])) continue;
    const corrected = forgetShownAfter(flow, flowState, id);
    corrected.slots[step.slot] = parsed.value;
    corrected.prefilled = corrected.prefilled.filter((s) => s !== step.slot);
    ctx.state.flow = corrected;
    ctx.out.intent = null;
    ctx.out.confidence = 0;
    ctx.text('corrected', { value: interpolate(`{${step.slot}}`, corrected.slots, flow) });
    advance(ctx);
    return true;
  }
  return false;
}

/**
 * A value for a question not reached yet, named by its words ("actually the account number is 8812-4431"):
 * kept as that question's answer, so it is not asked when the walk gets there. Free-text questions take
 * what follows "is" or ":". False when no later question is named or the value does not fit.
 */
export function noteForLater(ctx: TurnContext, flow: Flow, flowState: FlowState, input: string): boolean {
  const { path, current } = walk(flow, flowState);
  const lower = input.toLowerCase();
  for (const [id, step] of Object.entries(flow.steps)) {
    if (step.kind !== 'question' || id === current || path.includes(id) || step.slot in flowState.slots) continue;
    if (step.type !== 'text' && !CORRECTABLE.has(step.type)) continue;
    // Every word of the slot's name must be there: "account number", not just "number".
    const words = step.slot.split('_').filter((w) => w.length > 2);
    if (words.length === 0 || !words.every((w) => lower.includes(w))) continue;
    const value = step.type === 'text' ? /(?:\bis\b|:|=)\s*(.{2,})$/i.exec(input)?.[1]?.trim() : input;
    if (!value) continue;
    const parsed = parseSlot(step, value, { extractor: ctx.deps.extractor, carriers: ctx.content.carriers, slots: flowState.slots, referenceDate: ctx.now });
    if (!parsed.ok) continue;
    flowState.slots[step.slot] = parsed.value;
    ctx.state.flow = flowState;
    ctx.out.intent = null;
    ctx.out.confidence = 0;
    ctx.text('notedForLater', { value: interpolate(`{${step.slot}}`, flowState.slots, flow) });
    return true;
  }
  return false;
}

/**
 * After the summary: a correction or "back" reopens the finished walkthrough (the last one the change
 * fits), changes the answer and finishes again with the corrected summary.
 */
export function reopenFinished(ctx: TurnContext, input: string, move: 'correct' | 'back'): boolean {
  const completed = ctx.state.completed;
  if (completed.length === 0 || ctx.state.flow) return false;
  if (move === 'correct' && !CORRECTION.test(input) && !CHANGE_AFTER_SUMMARY.test(input)) return false;
  for (let i = completed.length - 1; i >= 0; i--) {
    const finished = completed[i]!;
    const flow = ctx.flowOf(finished.id);
    ctx.state.completed = completed.filter((_, j) => j !== i);
    ctx.state.flow = structuredClone(finished);
    if (move === 'back') {
      const back = goBack(flow, ctx.state.flow);
      if (!back) break;
      ctx.state.flow = forgetShownAfter(flow, back, walk(flow, back).current);
      ctx.text('reopened', { title: ctx.titleOf(finished.id) });
      advance(ctx);
      return true;
    }
    if (correct(ctx, flow, ctx.state.flow, input.replace(CORRECTION, ''))) return true;
    ctx.state.completed = completed;
    ctx.state.flow = null;
  }
  ctx.state.completed = completed;
  ctx.state.flow = null;
  return false;
}

export function offerSwitch(ctx: TurnContext, intent: string, currentId: string): void {
  ctx.state.pendingSwitch = intent;
  ctx.reply({
    kind: 'choices',
    text: ctx.say('switchOffer', { title: ctx.titleOf(intent), current: ctx.titleOf(currentId) }),
    choices: [
      ctx.choice({ kind: 'switch', intent }, ctx.say('switchToLabel', { title: ctx.titleOf(intent) })),
      ctx.choice({ kind: 'stay' }, ctx.say('continueWithLabel', { title: ctx.titleOf(currentId) })),
    ],
  });
}
