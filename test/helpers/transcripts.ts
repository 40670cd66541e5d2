/**
 * Transcript scenarios as data (test/conversations/*.yaml), run through the real bot: real content,
 * real classifier, a SQLite store in a temporary file (so a scenario can restart the process), and a
 * clock the scenario can move forward.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { openStore } from '../../src/adapters/store/open-store.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { ConversationStore } from '../../src/core/ports.js';
import { replyToText, type Choice, type TurnResult } from '../../src/core/types.js';
import { silentLogger } from './compose-test-bot.js';

const expectSchema = z.strictObject({
  intent: z.string().nullable().optional(),
  flow: z.string().nullable().optional(),
  /** The walkthrough after the turn is one of these (where the order of equally likely reasons is not the point). */
  flow_in: z.array(z.string()).optional(),
  contains: z.array(z.string()).optional(),
  not_contains: z.array(z.string()).optional(),
  choices: z.array(z.string()).optional(),
  summary: z.boolean().optional(),
  /** The rejection reasons the turn recognised in the customer's text, in order. */
  reasons: z.array(z.string()).optional(),
  /** Whether the conversation has a case open with staff after the turn. */
  escalated: z.boolean().optional(),
});

const turnSchema = z.union([
  z.strictObject({ say: z.string(), expect: expectSchema.optional() }),
  z.strictObject({ press: z.string(), expect: expectSchema.optional() }),
  z.strictObject({ press_old: z.string(), turns_ago: z.number().int().positive(), expect: expectSchema.optional() }),
  z.strictObject({ restart_process: z.literal(true) }),
  z.strictObject({ advance_clock_hours: z.number().positive() }),
]);

export const scenarioSchema = z.strictObject({ name: z.string(), turns: z.array(turnSchema).min(1) });
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioTurn = z.infer<typeof turnSchema>;
export type Expectation = z.infer<typeof expectSchema>;

export function loadScenarios(dir: string): Array<{ file: string; scenario: Scenario }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, scenario: scenarioSchema.parse(parseYaml(readFileSync(join(dir, file), 'utf8'))) }));
}

/** Runs a scenario, calling `check` after every message with its result and the expectation. */
export async function runScenario(scenario: Scenario, check: (where: string, result: TurnResult, expectation: Expectation) => void): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'portpilot-transcript-')), 'state.sqlite');
  let now = new Date('2026-11-26T12:00:00Z');
  const clock = { now: () => now };
  const config = loadConfig({ PORTPILOT_STORE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent' });
  let store: ConversationStore = openStore({ url: `sqlite://${file}`, logger: silentLogger });
  let bot = compose(config, { logger: silentLogger, clock, store }).bot;
  const offeredHistory: Choice[][] = [];
  let offered: Choice[] = [];
  const conversationKey = `transcript:${scenario.name}`;
  try {
    for (const [index, turn] of scenario.turns.entries()) {
      const where = `${scenario.name}, turn ${index + 1}`;
      if ('restart_process' in turn) {
        await store.close();
        store = openStore({ url: `sqlite://${file}`, logger: silentLogger });
        bot = compose(config, { logger: silentLogger, clock, store }).bot;
        continue;
      }
      if ('advance_clock_hours' in turn) {
        now = new Date(now.getTime() + turn.advance_clock_hours * 3600_000);
        continue;
      }
      let message: { text: string } | { choice: string };
      if ('say' in turn) message = { text: turn.say };
      else {
        const pool = 'press_old' in turn ? (offeredHistory[offeredHistory.length - 1 - turn.turns_ago] ?? []) : offered;
        const label = 'press' in turn ? turn.press : turn.press_old;
        const found = pool.find((c) => c.label.toLowerCase() === label.toLowerCase());
        if (!found) throw new Error(`${where}: no offered choice "${label}" (offered: ${pool.map((c) => c.label).join(' | ') || 'none'})`);
        message = { choice: found.id };
      }
      const result = await bot.handle({ channel: 'test', conversationKey, actor: { id: 'customer' }, ...message });
      const latest = result.replies.flatMap((r) => (r.kind === 'choices' ? r.choices : []));
      if (latest.length > 0 || result.replies.some((r) => r.kind === 'text' && /\?$/.test(r.text))) offered = latest;
      offeredHistory.push(latest.length > 0 ? latest : offered);
      if (turn.expect) check(where, result, turn.expect);
    }
  } finally {
    await store.close();
  }
}

export function transcriptText(result: TurnResult): string {
  return result.replies.map(replyToText).join('\n');
}
