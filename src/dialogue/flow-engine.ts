/**
 * The walkthrough engine: pure functions over a flow (data) and its state (answers so far). The
 * current step is never stored: it is derived by walking from the start, following the branches the
 * answers select, to the first step still waiting for an answer. So going back, correcting an earlier
 * answer or resuming after a restart all come down to changing answers and walking again.
 */
import { DAYS_LEFT_REFERENCE, SLOT_REFERENCE } from '../content/check-flow.js';
import { z } from 'zod';
import type { Condition, Flow, FlowRecord, FlowStep, QuestionStep } from '../content/flow-schema.js';
import { businessDaysUntil, formatDay } from './calendar.js';
import { isApproximate } from '../nlu/extract.js';
import { lastSeven, listSlot, slotValueSchema, type Slots, type SlotValue } from './slots.js';
import { say, type Language } from './messages/index.js';

export const flowStateSchema = z.object({
  id: z.string(),
  slots: z.record(z.string(), slotValueSchema),
  /** Optional steps the customer skipped. */
  skipped: z.array(z.string()),
  /** Steps whose text (say/show) was already displayed, so it is not repeated. */
  shown: z.array(z.string()),
  /** Slots answered from what the customer already said (the notice, a remark in passing), not asked. */
  prefilled: z.array(z.string()).default([]),
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type FlowState = z.infer<typeof flowStateSchema>;

export function startFlow(id: string, now: Date): FlowState {
  return { id, slots: {}, skipped: [], shown: [], prefilled: [], startedAt: now.toISOString(), updatedAt: now.toISOString() };
}

export interface Walk {
  /** Steps passed, in order (completed questions and information steps). */
  path: string[];
  /** The step waiting for an answer; null when the flow has ended. */
  current: string | null;
}

const MAX_WALK = 200;

export function walk(flow: Flow, state: FlowState): Walk {
  const path: string[] = [];
  let stepId: string | undefined = flow.start;
  for (let guard = 0; stepId !== undefined && guard < MAX_WALK; guard++) {
    const step: FlowStep = flow.steps[stepId]!;
    if (step.kind === 'question' && !isAnswered(step, stepId, state)) return { path, current: stepId };
    path.push(stepId);
    if (step.end) break;
    stepId = step.next.find((t) => !t.if || holds(t.if, state.slots))?.goto;
  }
  return { path, current: null };
}

/** The question waiting for an answer, with its id; null when the walkthrough has ended. */
export function currentQuestion(flow: Flow, state: FlowState): { id: string; step: QuestionStep } | null {
  const { current } = walk(flow, state);
  const step = current ? flow.steps[current] : undefined;
  return current && step?.kind === 'question' ? { id: current, step } : null;
}

export function isAnswered(step: QuestionStep, stepId: string, state: FlowState): boolean {
  if (state.skipped.includes(stepId)) return true;
  const value = state.slots[step.slot];
  if (value === undefined) return false;
  if (step.type === 'choice_each') return nextEachItem(step, state) === undefined;
  return true;
}

/** For a `choice_each` step: the next item (from its list slot) still without a decision. */
export function nextEachItem(step: QuestionStep, state: FlowState): string | undefined {
  const decided = state.slots[step.slot] as Record<string, string> | undefined;
  return listSlot(state.slots, step.from).find((item) => decided?.[item] === undefined);
}

export function holds(condition: Condition, slots: Slots): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, slots));
  if ('any' in condition) return condition.any.some((c) => holds(c, slots));
  const value = slots[condition.slot];
  if ('answered' in condition) return (value !== undefined) === condition.answered;
  if ('count_at_least' in condition) return Array.isArray(value) && value.length >= condition.count_at_least;
  if ('is' in condition) return value === condition.is;
  if ('is_not' in condition) return value !== condition.is_not;
  if ('in' in condition) return typeof value === 'string' && condition.in.includes(value);
  if ('has' in condition) {
    if (Array.isArray(value)) return value.includes(condition.has);
    return typeof value === 'object' && Object.values(value).includes(condition.has);
  }
  // member_of: a phone number (or item) among a list slot, phone numbers compared by their last 7 digits.
  const list = listSlot(slots, condition.member_of);
  return typeof value === 'string' && list.some((item) => item === value || (lastSeven(item).length === 7 && lastSeven(item) === lastSeven(value)));
}

/** Records the summary will use: those of every passed step whose condition holds. */
export function recordsOf(flow: Flow, state: FlowState): FlowRecord[] {
  const { path } = walk(flow, state);
  return path.flatMap((stepId) => flow.steps[stepId]!.record.filter((r) => !r.if || holds(r.if, state.slots)));
}

/** Handoff texts of passed steps: what needs a person. */
export function handoffsOf(flow: Flow, state: FlowState, language: Language = 'en'): string[] {
  return walk(flow, state).path.flatMap((stepId) => {
    const step = flow.steps[stepId]!;
    const handoff = (language === 'es' && step.handoff ? step.es?.handoff : undefined) ?? step.handoff;
    return handoff ? [interpolate(handoff, state.slots, flow, language)] : [];
  });
}

/**
 * Forgets which texts were shown beyond `stepId` on the current path (and on branches no longer
 * taken), so that after going back or correcting an answer, the steps reached next show their text
 * again, such as the PIN steps for a newly chosen carrier.
 */
export function forgetShownAfter(flow: Flow, state: FlowState, stepId: string | null): FlowState {
  const { path, current } = walk(flow, state);
  const route = current ? [...path, current] : path;
  const index = stepId ? route.indexOf(stepId) : route.length - 1;
  const kept = new Set(route.slice(0, index + 1));
  return { ...state, shown: state.shown.filter((s) => kept.has(s)) };
}

/** Undoes the last answer on the path; null when there is nothing to go back to. */
export function goBack(flow: Flow, state: FlowState): FlowState | null {
  const { path, current } = walk(flow, state);
  // A half-answered choice_each step loses its last decision first.
  if (current) {
    const step = flow.steps[current]!;
    if (step.kind === 'question' && step.type === 'choice_each') {
      const decided = { ...((state.slots[step.slot] as Record<string, string> | undefined) ?? {}) };
      const keys = Object.keys(decided);
      if (keys.length > 0) {
        delete decided[keys[keys.length - 1]!];
        return { ...state, slots: { ...state.slots, [step.slot]: decided } };
      }
    }
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const step = flow.steps[path[i]!]!;
    if (step.kind !== 'question') continue;
    const slots = { ...state.slots };
    delete slots[step.slot];
    return { ...state, slots, skipped: state.skipped.filter((s) => s !== path[i]) };
  }
  return null;
}

/**
 * Replaces `{slot}` with the slot's value in display form, in the customer's language (choice labels
 * from the step's `es:` in Spanish). Unknown or empty slots read "(not given)".
 */
export function interpolate(text: string, slots: Slots, flow?: Flow, language: Language = 'en', today?: Date): string {
  return text
    .replace(DAYS_LEFT_REFERENCE, (_m, name: string) => businessDaysLeft(slots[name], language, today))
    .replace(SLOT_REFERENCE, (_m, name: string) => displayValue(slots[name], flow, name, language));
}

function businessDaysLeft(value: SlotValue | undefined, language: Language, today?: Date): string {
  // A date said as a span ("next week") has no count of days to give.
  if (typeof value !== 'string' || !today || isApproximate(value)) return say('dateSoon', {}, language);
  const left = businessDaysUntil(today, value);
  if (left <= 0) return say('dateToday', {}, language);
  return say(left === 1 ? 'businessDayLeft' : 'businessDaysLeft', { n: String(left) }, language);
}

/** An answer as the customer reads it. */
export function displayValue(value: SlotValue | undefined, flow?: Flow, slotName?: string, language: Language = 'en'): string {
  if (value === undefined) return say('valueNotGiven', {}, language);
  if (typeof value === 'boolean') return say(value ? 'valueYes' : 'valueNo', {}, language);
  const step = flow && slotName ? questionFor(flow, slotName) : undefined;
  const label = (id: string) => (language === 'es' ? step?.es?.choices?.[id] : undefined) ?? step?.choices?.find((c) => c.id === id)?.label;
  if (Array.isArray(value))
    return value.length > 0 ? value.map((item) => (step?.type === 'choice_some' ? (label(item) ?? item) : item)).join(', ') : say('valueNone', {}, language);
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([item, choice]) => `${item}: ${label(choice) ?? choice}`)
      .join('; ');
  if (step?.type === 'date') return formatDay(value, undefined, language);
  return label(value) ?? value;
}

/** The question whose answer fills `slot`. */
export function questionFor(flow: Flow, slot: string): QuestionStep | undefined {
  return Object.values(flow.steps).find((s): s is QuestionStep => s.kind === 'question' && s.slot === slot);
}
