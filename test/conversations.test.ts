/** Runs every scenario in test/conversations/ through the real bot (see test/helpers/transcripts.ts). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/compose.js';
import { loadScenarios, runScenario, transcriptText } from './helpers/transcripts.js';

const scenarios = loadScenarios(join(PROJECT_ROOT, 'test/conversations'));

describe('conversation transcripts', () => {
  it('has scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  for (const { file, scenario } of scenarios) {
    it(`${scenario.name} (${file})`, async () => {
      await runScenario(scenario, (where, result, expectation) => {
        const text = transcriptText(result);
        const lower = text.toLowerCase();
        if (expectation.intent !== undefined) expect(result.intent, `${where}: intent`).toBe(expectation.intent);
        if (expectation.flow !== undefined) expect(result.flow, `${where}: flow`).toBe(expectation.flow);
        if (expectation.flow_in !== undefined) expect(expectation.flow_in, `${where}: flow`).toContain(result.flow);
        for (const s of expectation.contains ?? []) expect(lower, `${where}: should contain "${s}" in:\n${text}`).toContain(s.toLowerCase());
        for (const s of expectation.not_contains ?? []) expect(lower, `${where}: should not contain "${s}" in:\n${text}`).not.toContain(s.toLowerCase());
        if (expectation.choices) {
          const offered = result.replies.flatMap((r) => (r.kind === 'choices' ? r.choices.map((c) => c.label) : []));
          expect(offered, `${where}: choices`).toEqual(expect.arrayContaining(expectation.choices));
        }
        if (expectation.reasons !== undefined) expect(result.reasons, `${where}: reasons`).toEqual(expectation.reasons);
        if (expectation.escalated !== undefined) expect(result.escalation !== null, `${where}: escalated`).toBe(expectation.escalated);
        if (expectation.summary !== undefined) {
          expect(
            result.replies.some((r) => r.kind === 'summary'),
            `${where}: summary shown`,
          ).toBe(expectation.summary);
        }
      });
    }, 60_000);
  }
});
