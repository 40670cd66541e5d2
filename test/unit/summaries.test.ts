/**
 * Every walkthrough's fix summary, on every branch its choices open (answers filled in as a customer
 * would), reads cleanly: no template leftovers, no "undefined", no doubled words, no empty items, no
 * "a" before a vowel sound, and never a secret-looking line. The summary is what customers paste into
 * the port order, so each line of it must be right.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_ROOTS } from '../../src/compose.js';
import type { Flow, QuestionStep } from '../../src/content/flow-schema.js';
import { loadContent } from '../../src/content/load-content.js';
import { DEFAULT_BRANDING, replyToText } from '../../src/core/types.js';
import { currentQuestion, startFlow, type FlowState } from '../../src/dialogue/flow-engine.js';
import { listSlot, type SlotValue } from '../../src/dialogue/slots.js';
import { collectSummary, summaryReply } from '../../src/dialogue/summary.js';
import { containsSecret } from '../../src/core/redact.js';

const content = loadContent(DEFAULT_CONTENT_ROOTS, DEFAULT_BRANDING);
const MAX_PATHS = 200;

/** The answers a customer might give to a question: every choice, or one typical typed value. */
function answersFor(step: QuestionStep, state: FlowState): SlotValue[] {
  switch (step.type) {
    case 'yes_no':
      return [true, false];
    case 'choice':
    case 'carrier':
      return (step.choices ?? [{ id: 'verizon' }]).map((c) => c.id);
    case 'choice_some': {
      // Each choice alone, and every detail that is not "not sure" together.
      const ids = (step.choices ?? []).map((c) => c.id);
      return [...ids.map((id) => [id]), ids.filter((id) => id !== 'unsure')];
    }
    case 'choice_each':
      return (step.choices ?? []).map((c) => Object.fromEntries(listSlot(state.slots, step.from).map((item) => [item, c.id])));
    case 'phone':
      return ['(312) 555-0147'];
    case 'phone_list':
      return [['(312) 555-0147', '(312) 555-0148']];
    case 'phone_from':
      return listSlot(state.slots, step.from).slice(0, 1);
    case 'date':
      return ['2026-12-03'];
    case 'item_list':
      return [['(312) 555-0190', 'DSL']];
    case 'text':
      return ['Bluebird Plumbing LLC'];
  }
}

/** Every finished walk of a flow, branching on each answer, up to MAX_PATHS. */
function finishedWalks(id: string, flow: Flow): FlowState[] {
  const done: FlowState[] = [];
  const pending: FlowState[] = [startFlow(id, new Date('2026-12-01T12:00:00Z'))];
  while (pending.length > 0 && done.length < MAX_PATHS) {
    const state = pending.pop()!;
    const question = currentQuestion(flow, state);
    if (!question) {
      done.push(state);
      continue;
    }
    for (const value of answersFor(question.step, state)) {
      pending.push({ ...state, slots: { ...state.slots, [question.step.slot]: value } });
    }
  }
  return done;
}

const rejectionFlows = [...content.intents.values()].filter((i) => i.flow).map((i) => [i.id, i.flow!] as const);

describe('fix summaries on every branch', () => {
  it.each(rejectionFlows)('%s', (id, flow) => {
    const walks = finishedWalks(id, flow);
    expect(walks.length).toBeGreaterThan(1);
    for (const walk of walks) {
      const text = replyToText(summaryReply(collectSummary(content, [walk]), 'Summary', DEFAULT_BRANDING.support_email));
      const where = `${id} with ${JSON.stringify(walk.slots)}:\n${text}`;
      expect(text, where).not.toMatch(/[{}]|undefined|\(not given\)|NaN|\[object/);
      expect(text, where).not.toMatch(/\b(\w{2,}) \1\b/i);
      expect(text, where).not.toMatch(/^- *$/m);
      expect(text, where).not.toMatch(/\b[Aa] (?:AT&T|[aeiou]\w*)/);
      expect(text, where).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(containsSecret(text), where).toBe(false);
      // An attachment only when there is something to attach: no disconnect list when nothing is disconnected.
      if (/Disconnect list/.test(text)) expect(text, where).toMatch(/Disconnect it|disconnect the hunt group|Remove the hunt group/i);
    }
  });
});

/** Words that only an English summary line would use (field names on the order form excepted). */
const ENGLISH_LINE = /\b(?:the|your|with|when|carrier|ask|before|after|until|please|which)\b/i;

describe('fix summaries in Spanish on every branch', () => {
  it.each(rejectionFlows)('%s', (id, flow) => {
    for (const walk of finishedWalks(id, flow)) {
      const summary = collectSummary(content, [walk], new Date('2026-12-01T12:00:00Z'), 'es');
      const text = replyToText(summaryReply(summary, 'Resumen', DEFAULT_BRANDING.support_email, 'es'));
      const where = `${id} with ${JSON.stringify(walk.slots)}:\n${text}`;
      expect(text, where).not.toMatch(/[{}]|undefined|\(not given\)|\(no indicado\)|NaN|\[object/);
      expect(text, where).not.toMatch(/^- *$/m);
      expect(containsSecret(text), where).toBe(false);
      // Every line the customer reads is Spanish; English appears only as text to copy into the English
      // order form ("Escriba en inglés: ...") or as a field name.
      const lines = [...summary.carrier, ...summary.attach, ...summary.handoffs, ...summary.notes, ...summary.resubmit, ...summary.changes.map((c) => c.value)];
      for (const line of lines) {
        // Branding (company and portal names) is the provider's own wording.
        const spanishPart = Object.values(DEFAULT_BRANDING)
          .reduce((l, b) => l.split(b).join(''), line)
          .replace(/"[^"]*"/g, '');
        expect(ENGLISH_LINE.test(spanishPart), `${where}\nEnglish line: ${line}`).toBe(false);
      }
    }
  });
});
