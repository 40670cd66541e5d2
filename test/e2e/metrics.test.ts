/**
 * `/metrics` on the one HTTP port, as `npm start` serves it: Prometheus text with turns per channel,
 * recognised reasons, hand-overs and the process's own figures, and nothing a customer wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startPortpilot, type RunningPortpilot } from '../../src/server.js';
import { fixedClock, silentLogger } from '../helpers/compose-test-bot.js';

let running: RunningPortpilot;

beforeAll(async () => {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'silent' });
  running = await startPortpilot(config, { logger: silentLogger, clock: fixedClock });
});

afterAll(async () => {
  await running?.stop();
});

const say = (conversationId: string, text: string) =>
  fetch(`${running.url}api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId, text }) });

const sample = (metrics: string, line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1]);

describe('/metrics', () => {
  it('GIVEN a few web turns THEN it counts them, times them and names the reasons recognised, never what was written', async () => {
    await say('metrics-test-aaaaaa', 'the service address on the order does not match the CSR at 12 Springfield Lane');
    await say('metrics-test-aaaaaa', 'I want to talk to a person');
    // Turns while the case waits are not hand-offs: the metric counts cases opened.
    await say('metrics-test-aaaaaa', 'are you there?');
    await say('metrics-test-bbbbbb', 'my port got rejected');

    const res = await fetch(`${running.url}metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = await res.text();

    expect(sample(metrics, 'portpilot_turns_total{channel="web",speaker="customer"}')).toBe(4);
    expect(sample(metrics, 'portpilot_reasons_recognised_total{reason="info_mismatch"}')).toBe(1);
    expect(sample(metrics, 'portpilot_escalations_total{channel="web",trigger="asked"}')).toBe(1);
    expect(sample(metrics, 'portpilot_turn_duration_seconds_count{channel="web"}')).toBe(4);
    expect(sample(metrics, 'portpilot_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metrics).not.toMatch(/Springfield|talk to a person|metrics-test/);
  });
});
