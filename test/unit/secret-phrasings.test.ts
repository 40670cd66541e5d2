/**
 * The shared list of secret phrasings (test/fixtures/secret-phrasings.jsonl, written apart from the
 * redactor and grown with every miss): every secret is removed, and every look-alike a customer needs
 * (order and ticket numbers, ZIP codes, phone numbers, dates, amounts) survives. Then end to end: a
 * customer who types one gets the warning, and the secret is nowhere in the saved state, the case file
 * staff read, or the replies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { containsSecret, redactSecrets } from '../../src/core/redact.js';
import { createCaseStore } from '../../src/handoff/case-store.js';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../helpers/compose-test-bot.js';

type Phrasing = { text: string; secret?: string; keep?: string[] };
const phrasings = readFileSync(new URL('../fixtures/secret-phrasings.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Phrasing);
const secrets = phrasings.filter((p): p is Phrasing & { secret: string } => p.secret !== undefined);
const lookAlikes = phrasings.filter((p): p is Phrasing & { keep: string[] } => p.keep !== undefined);

describe('secret phrasings', () => {
  it('has at least 60 secrets and 30 look-alikes', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(60);
    expect(lookAlikes.length).toBeGreaterThanOrEqual(30);
  });

  it.each(secrets.map((p) => [p.text, p.secret]))('removes the secret from %j', (text, secret) => {
    expect(containsSecret(text)).toBe(true);
    expect(redactSecrets(text)).not.toContain(secret);
  });

  it.each(lookAlikes.map((p) => [p.text, p.keep]))('keeps what the customer needs in %j', (text, keep) => {
    const redacted = redactSecrets(text);
    for (const value of keep) expect(redacted).toContain(value);
  });
});

describe('secrets through the bot', () => {
  it('GIVEN each secret typed mid-conversation and then a request for a person THEN it is warned about and found nowhere: not in replies, state, the case file, staff notices, logs or metrics', async () => {
    const logged: unknown[] = [];
    const record = (obj: object, msg?: string) => void logged.push([obj, msg]);
    const logger = { debug: record, info: record, warn: record, error: record };
    const config = loadConfig({ PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'debug' });
    const store = openStore({ url: 'memory://', logger });
    const metrics = createPrometheusMetrics();
    const composition = compose(config, { logger, clock: fixedClock, store });
    const bot = metrics.instrument(composition.bot);
    const sent: unknown[] = [];
    composition.outbox.register('web', {
      toConversation: async (key, replies) => void sent.push([key, replies]),
      toStaff: async (notice) => void sent.push(notice),
    });
    for (const [i, { text, secret }] of secrets.entries()) {
      const key = `web:secret-${i}`;
      await bot.handle({ channel: 'web', conversationKey: key, actor: { id: key }, text: 'my port was rejected because the pin was wrong' });
      const typed = await bot.handle({ channel: 'web', conversationKey: key, actor: { id: key }, text });
      expect(typed.inputHadSecret, text).toBe(true);
      const asked = await bot.handle({ channel: 'web', conversationKey: key, actor: { id: key }, text: 'I want to talk to a person' });
      const replies = JSON.stringify([typed.replies, asked.replies]);
      expect(replies, text).not.toContain(secret);
      expect(JSON.stringify(await store.get(`conversation:${key}`)), text).not.toContain(secret);
      const file = await createCaseStore(store).get(asked.escalation!.id);
      expect(JSON.stringify(file), text).not.toContain(secret);
    }
    // Metrics can leak a secret only through a name or a label: their sample values are measured figures
    // (heap bytes, seconds) in which any four digits may turn up by chance.
    const metricLabels = (await metrics.render()).split('\n').map((line) => (line.startsWith('#') ? line : line.replace(/\s\S+$/, '')));
    const everythingElse = JSON.stringify([logged, sent, metricLabels]);
    expect(sent.length).toBeGreaterThan(0);
    for (const { secret } of secrets) expect(everythingElse, secret).not.toContain(secret);
  });

  it('GIVEN a walkthrough that sends the customer for a PIN WHEN they type the bare code ("ok i got it, its 4417") THEN it is warned about and kept nowhere; the same digits outside such a walkthrough are left alone', async () => {
    const logged: unknown[] = [];
    const record = (obj: object, msg?: string) => void logged.push([obj, msg]);
    const logger = { debug: record, info: record, warn: record, error: record };
    const store = openStore({ url: 'memory://', logger });
    const { bot } = compose(loadConfig({ PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'debug' }), { logger, clock: fixedClock, store });
    const say = (key: string, text: string) => bot.handle({ channel: 'web', conversationKey: key, actor: { id: key }, text });
    await say('web:bare-pin', 'my port was rejected, something about the pin');
    await say('web:bare-pin', 'tmobile');
    const typed = await say('web:bare-pin', 'ok i got it, its 4417');
    expect(typed.inputHadSecret).toBe(true);
    expect(JSON.stringify(typed.replies)).toContain('never type a PIN');
    expect(JSON.stringify([await store.get('conversation:web:bare-pin'), logged])).not.toContain('4417');
    // A hunt group's numbers are not PINs: the same four digits are kept where no PIN is expected.
    await say('web:bare-hunt', 'rejected because the pilot number of the hunt group is being ported');
    const numbers = await say('web:bare-hunt', '312-555-0114, 312-555-0115');
    const lastFour = await say('web:bare-hunt', 'the main one ends in 0114');
    expect([numbers.inputHadSecret, lastFour.inputHadSecret]).toEqual([false, false]);
  });
});
