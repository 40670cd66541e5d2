/**
 * Dates in walkthroughs: a requested port date must be a business day, not in the past and within the
 * carriers' 30-day window; the customer is told which rule a date breaks. A content author who puts
 * date rules on a question that is not a date is told at start-up.
 */
import { describe, expect, it } from 'vitest';
import { checkFlow } from '../../src/content/check-flow.js';
import { flowSchema } from '../../src/content/flow-schema.js';
import { dateRuleProblem } from '../../src/dialogue/slots.js';

const today = new Date('2026-11-26T15:30:00Z'); // a Thursday
const portDate = { not_past: true, business_day: true, max_days_ahead: 30 };

describe('date rules', () => {
  it.each(['2026-11-27', '2026-12-04', '2026-12-24'])('accepts %s', (date) => {
    expect(dateRuleProblem(date, portDate, today)).toBeNull();
  });

  it('refuses a federal holiday, naming it and offering the next porting day (Thanksgiving, Christmas Day)', () => {
    expect(dateRuleProblem('2026-11-26', portDate, today)).toBe(
      "Thursday, November 26, 2026 is Thanksgiving Day, a federal holiday, and carriers don't move numbers on holidays. Please pick another business day; for example Friday, November 27, 2026.",
    );
    expect(dateRuleProblem('2026-12-25', portDate, today)).toMatch(/is Christmas Day, a federal holiday.*for example Monday, December 28, 2026/);
  });

  it('refuses a day that has passed, naming it', () => {
    expect(dateRuleProblem('2026-11-25', portDate, today)).toBe('Wednesday, November 25, 2026 has already passed. Please pick a date from today on.');
  });

  it('refuses a weekend day', () => {
    expect(dateRuleProblem('2026-11-29', portDate, today)).toMatch(
      /^Sunday, November 29, 2026 is a Sunday, and carriers only move numbers on business days.*for example Monday, November 30, 2026/,
    );
    expect(dateRuleProblem('2026-11-28', portDate, today)).toMatch(/is a Saturday/);
  });

  it('refuses a date beyond the window and says how far away it is', () => {
    expect(dateRuleProblem('2026-12-28', portDate, today)).toMatch(/is 32 days away; carriers accept port dates at most 30 days ahead/);
    expect(dateRuleProblem('2026-12-28', { not_past: true }, today)).toBeNull();
  });

  it('is checked when content loads: date rules belong on date questions only', () => {
    const flow = flowSchema.parse({
      start: 'ask',
      steps: { ask: { ask: 'Is it done?', slot: 'done', type: 'yes_no', date_rules: { not_past: true }, end: true } },
    });
    const problems = checkFlow('intents/x.yaml', flow, { articles: new Map(), documents: new Map(), carrierIds: new Set() });
    expect(problems).toContain('intents/x.yaml: flow.steps.ask.date_rules: only a date question takes date rules');
  });

  it('says why in Spanish to a customer who writes in Spanish, with the days in Spanish', () => {
    expect(dateRuleProblem('2026-11-25', portDate, today, 'es')).toBe('El miércoles, 25 de noviembre de 2026 ya pasó. Elija una fecha a partir de hoy.');
    expect(dateRuleProblem('2026-11-28', portDate, today, 'es')).toMatch(/^El sábado, 28 de noviembre de 2026 es sábado, y las compañías solo transfieren números en días hábiles/);
  });
});
