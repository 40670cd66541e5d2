/**
 * Slot parsing: turns a customer's typed answer into a validated slot value, or a specific reason why
 * it could not. Expected failures are values, never exceptions.
 */
import { z } from 'zod';
import type { Carrier } from '../content/schema.js';
import type { QuestionStep } from '../content/flow-schema.js';
import type { EntityExtractor } from '../nlu/extract.js';
import { addBusinessDays, federalHoliday, formatDay } from './calendar.js';
import { type Language, say } from './messages/index.js';
import { matchChoice, matchSeveralAnswers } from './natural-answers.js';
import { approximateDay, isFullNumber } from '../nlu/extract.js';
import { namedByLastFour } from '../nlu/notice-facts.js';

/** A slot's value as stored in conversation state. Phone numbers are stored in display form. */
export type SlotValue = string | boolean | string[] | Record<string, string>;
export type Slots = Record<string, SlotValue>;

export const slotValueSchema: z.ZodType<SlotValue> = z.union([z.string(), z.boolean(), z.array(z.string()), z.record(z.string(), z.string())]);

/** A refusal is `read` when the answer was understood as one for this question but breaks its rules (a weekend port date, "next week" for a day). */
export type SlotResult = { ok: true; value: SlotValue } | { ok: false; reason: string; read?: boolean };

export interface SlotContext {
  extractor: EntityExtractor;
  carriers: Carrier[];
  slots: Slots;
  referenceDate: Date;
  /** The customer's language, for the reasons an answer is refused (English by default). */
  language?: Language;
}

const YES = /^(y|yes|yeah|yea|yep|yup|sure|correct|right|done|i did|i have|it is|it's done|already did|already done|affirmative|ok|okay|s[ií]|claro|correcto|ya)(?=[\s,.!?]|$)/i;
const NO = /^(n|no|nope|nah|not yet|never|i haven'?t|haven'?t|i have not|it isn'?t|it is not|negative)\b/i;

/** Parses a typed answer for `step` (one of the slot types in flow-schema). */
export function parseSlot(step: QuestionStep, raw: string, context: SlotContext): SlotResult {
  const text = raw.trim().replace(/[.!]+$/, '');
  switch (step.type) {
    case 'yes_no': {
      if (YES.test(text)) return { ok: true, value: true };
      if (NO.test(text)) return { ok: true, value: false };
      return { ok: false, reason: say('answerYesOrNo', {}, context.language) };
    }
    case 'choice':
    case 'choice_each': {
      const choice = matchChoice(step.choices ?? [], text);
      return choice ? { ok: true, value: choice.id } : { ok: false, reason: say('pickOneOption', {}, context.language) };
    }
    case 'choice_some': {
      const picked = matchSeveralAnswers(step.choices ?? [], text);
      return picked ? { ok: true, value: picked.map((c) => c.id) } : { ok: false, reason: say('pickSomeOptions', {}, context.language) };
    }
    case 'phone':
    case 'phone_list': {
      const foreign = context.extractor.foreignNumbers(text);
      if (foreign.length > 0) {
        return {
          ok: false,
          reason: say('slotForeignNumber', { number: foreign[0]! }, context.language),
        };
      }
      return step.type === 'phone' ? parsePhone(text, context) : parsePhoneList(text, context);
    }
    case 'phone_from': {
      const options = listSlot(context.slots, step.from);
      const found = context.extractor.phoneNumbers(text);
      if (found.length !== 1) {
        const byPosition = /^\d{1,2}$/.test(text) ? options[Number(text) - 1] : undefined;
        if (byPosition) return { ok: true, value: byPosition };
        return { ok: false, reason: say('slotOneFromList', { options: options.join(', ') }, context.language) };
      }
      const match = options.find((option) => lastSeven(option) === found[0]!.local);
      if (!match) return { ok: false, reason: say('slotNotInList', { number: found[0]!.display, options: options.join(', ') }, context.language) };
      return { ok: true, value: match };
    }
    case 'carrier': {
      const typed = matchChoice(step.choices ?? [], text);
      if (typed) return { ok: true, value: typed.id };
      const known = context.extractor.carriers(text)[0];
      if (!known) {
        return { ok: false, reason: say('slotUnknownCarrier', {}, context.language) };
      }
      if (!step.choices) return { ok: true, value: known };
      const ids = step.choices.map((c) => c.id);
      if (ids.includes(known)) return { ok: true, value: known };
      const kind = context.carriers.find((c) => c.id === known)?.kind;
      const byKind = ids.find((choiceId) => choiceId === `other_${kind}`);
      return { ok: true, value: byKind ?? (ids.includes('other') ? 'other' : known) };
    }
    case 'item_list': {
      const items = text
        .split(/\n|,|;|\band\b/i)
        .map((item) => item.trim().replace(/^[-*•]\s*/, ''))
        .filter((item) => item.length > 0)
        .map((item) => context.extractor.phoneNumbers(item)[0]?.display ?? item);
      if (items.length === 0) return { ok: false, reason: say('slotListEmpty', {}, context.language) };
      if (items.length > 20) return { ok: false, reason: say('slotListTooMany', {}, context.language) };
      const tooLong = items.find((item) => item.length > 60);
      if (tooLong) return { ok: false, reason: say('slotListItemTooLong', {}, context.language) };
      return { ok: true, value: [...new Set(items)] };
    }
    case 'date': {
      const [date] = context.extractor.dateMentions(text, context.referenceDate);
      if (!date) return { ok: false, reason: say('slotNoDate', {}, context.language) };
      if (date.vague) {
        // A date that goes on the order (it has rules) must be one day; one only told about may be a span.
        if (step.date_rules) return { ok: false, read: true, reason: say('slotSpanNotDay', { words: date.words }, context.language) };
        return { ok: true, value: approximateDay(date.iso, date.words) };
      }
      const problem = step.date_rules ? dateRuleProblem(date.iso, step.date_rules, context.referenceDate, context.language) : null;
      return problem ? { ok: false, read: true, reason: problem } : { ok: true, value: date.iso };
    }
    case 'text': {
      if (text.length < 2) return { ok: false, reason: say('slotTextTooShort', {}, context.language) };
      if (text.length > 300) return { ok: false, reason: say('slotTextTooLong', {}, context.language) };
      return { ok: true, value: text };
    }
  }
}

function parsePhone(text: string, context: SlotContext): SlotResult {
  const found = context.extractor.phoneNumbers(text);
  if (found.length === 1) {
    // A local 7-digit number that matches one given earlier in full takes the full form.
    const full = found[0]!.value.startsWith('+') ? undefined : numbersIn(context.slots).find((k) => lastSeven(k) === found[0]!.local);
    if (!found[0]!.value.startsWith('+') && !full) return { ok: false, reason: withoutAreaCode([found[0]!.display], context.language) };
    return { ok: true, value: full ?? found[0]!.display };
  }
  if (found.length === 0) {
    // "0182", "the one ending 0182": the last four digits of one number the conversation already holds in full.
    const bySuffix = knownBySuffix(text, context.slots);
    if (bySuffix) return { ok: true, value: bySuffix };
    return { ok: false, reason: say('slotNoPhone', {}, context.language) };
  }
  return { ok: false, reason: say('slotOnePhoneOnly', {}, context.language) };
}

function parsePhoneList(text: string, context: SlotContext): SlotResult {
  const found = context.extractor.phoneNumbers(text);
  if (found.length === 0) return { ok: false, reason: say('slotNoPhones', {}, context.language) };
  if (found.length > 50) return { ok: false, reason: say('slotTooManyPhones', {}, context.language) };
  const local = found.filter((p) => !p.value.startsWith('+')).map((p) => p.display);
  if (local.length > 0) return { ok: false, reason: withoutAreaCode(local, context.language) };
  return { ok: true, value: found.map((p) => p.display) };
}

/** The order needs every number in full: a number without its area code is asked again, never guessed. */
function withoutAreaCode(numbers: string[], language?: Language): string {
  return say(numbers.length > 1 ? 'slotNoAreaCodeMany' : 'slotNoAreaCodeOne', { numbers: numbers.join(', '), first: numbers[0]! }, language);
}

/** The one number given in full earlier whose last four digits the text names, if exactly one is named. */
function knownBySuffix(text: string, slots: Slots): string | undefined {
  const named = new Set(namedByLastFour(text, numbersIn(slots)).map((p) => p.display));
  return named.size === 1 ? [...named][0] : undefined;
}

/** The numbers written in full that a walkthrough's answers hold (single answers and lists). */
export function numbersIn(slots: Slots): string[] {
  return [...new Set(Object.values(slots).flatMap((v) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])))].filter(isFullNumber);
}

/** Whether two answers are the same (answers are plain JSON: strings, booleans, lists, decisions per item). */
export function sameAnswer(a: SlotValue | undefined, b: SlotValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function listSlot(slots: Slots, name: string | undefined): string[] {
  const value = name ? slots[name] : undefined;
  return Array.isArray(value) ? value : [];
}

export function lastSeven(display: string): string {
  return display.replace(/\D/g, '').slice(-7);
}

const DAY_MS = 86_400_000;

/** Why an ISO date breaks a step's date rules (counted in whole UTC days from `today`), or null; in the customer's language. */
export function dateRuleProblem(isoDate: string, rules: NonNullable<QuestionStep['date_rules']>, today: Date, language: Language = 'en'): string | null {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const todayStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const daysAhead = Math.round((date.getTime() - todayStart) / DAY_MS);
  const day = formatDay(isoDate, undefined, language);
  const example = () => formatDay(addBusinessDays(isoDate, 1), undefined, language);
  if (rules.not_past && daysAhead < 0) return say('dateRulePast', { day }, language);
  if (rules.business_day && (date.getUTCDay() === 0 || date.getUTCDay() === 6)) {
    return say('dateRuleWeekend', { day, weekday: say(date.getUTCDay() === 0 ? 'weekdaySunday' : 'weekdaySaturday', {}, language), example: example() }, language);
  }
  const holiday = rules.business_day ? federalHoliday(isoDate) : undefined;
  if (holiday) return say('dateRuleHoliday', { day, holiday, example: example() }, language);
  if (rules.max_days_ahead !== undefined && daysAhead > rules.max_days_ahead) {
    return say('dateRuleTooFar', { day, days: String(daysAhead), max: String(rules.max_days_ahead) }, language);
  }
  return null;
}
