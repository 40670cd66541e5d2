/** Drives `npm run --silent chat -- --script FILE --json` as a customer (and our acceptance checks) would. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/compose.js';

const run = promisify(execFile);

async function chat(lines: unknown[] | string): Promise<{ stdout: string; stderr: string; code: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'portpilot-script-'));
  const file = join(dir, 'script.jsonl');
  writeFileSync(file, typeof lines === 'string' ? lines : lines.map((l) => JSON.stringify(l)).join('\n'));
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'chat', '--', '--script', file, '--json'], { cwd: PROJECT_ROOT });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('scripted terminal chat', () => {
  it('prints exactly one JSON line per input line, in the documented shape', async () => {
    const { stdout, code } = await chat([
      { text: 'hello' },
      { text: 'Google Voice rejected the port: the number is still locked, unlock fee not paid' },
      { choice: 'Personal Google Voice' },
      { text: '' },
    ]);
    expect(code).toBe(0);
    const outputs = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outputs).toHaveLength(4);
    for (const o of outputs) {
      expect(
        Object.keys(o)
          .filter((k) => k !== 'outbox')
          .sort(),
      ).toEqual(['confidence', 'escalation', 'flow', 'intent', 'reasons', 'replies']);
      for (const r of o.replies) expect(Object.keys(r).sort()).toEqual(['choices', 'text']);
    }
    expect(outputs[0].intent).toBe('greeting');
    expect(outputs[0].replies.at(-1).choices.length).toBeGreaterThan(3);
    expect(outputs[0].reasons).toEqual([]);
    expect(outputs[1].intent).toBe('google_voice_unlock');
    expect(outputs[1].reasons).toEqual(['google_voice_unlock']);
    expect(outputs[1].flow).toBe('google_voice_unlock');
    expect(outputs[1].replies.at(-1).choices.map((c: { label: string }) => c.label)).toContain('Personal Google Voice');
    expect(outputs[2].intent).toBeNull();
    expect(outputs[2].flow).toBe('google_voice_unlock');
    expect(outputs[2].replies.at(-1).text).toMatch(/already unlocked/);
    expect(outputs[3].replies[0].text).toMatch(/didn't catch any text/);
    expect(outputs[3].flow).toBe('google_voice_unlock');
  });

  it('GIVEN a pasted notice with two reason codes THEN "reasons" lists both, in the order the notice gives them', async () => {
    const { stdout } = await chat([{ text: 'REJECT: ACCOUNT NUMBER INVALID; LSP FREEZE ON ACCOUNT' }, { text: 'hello' }]);
    const outputs = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outputs[0].reasons).toEqual(['info_mismatch', 'freeze']);
    expect(outputs[1].reasons).toEqual([]);
  });

  it('accepts a choice by id as well as by label', async () => {
    const { stdout } = await chat([{ text: 'hi' }, { choice: '1.reason.hunt_group' }]);
    const outputs = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outputs[1].flow).toBe('hunt_group');
    expect(outputs[1].replies.at(-1).text).toMatch(/Which numbers are you moving/);
  });

  it('rejects a malformed line naming its line number, with a non-zero exit', async () => {
    const { stdout, stderr, code } = await chat('{"text": "hi"}\n{"text": "ok"}\n{not json}\n');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/line 3/);
    expect(stdout).toBe('');
  });

  it('rejects a line with neither text nor choice', async () => {
    const { stderr, code } = await chat([{ text: 'hi' }, { user: 'u1' }]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/line 2: .*exactly one of "text" or "choice"/);
  });

  it.each(['examples/google-voice.jsonl', 'examples/hunt-group.jsonl'])(
    'GIVEN the README example %s THEN it reaches the fix summary with every press accepted',
    async (example) => {
      const { readFileSync } = await import('node:fs');
      const { stdout, code } = await chat(readFileSync(join(PROJECT_ROOT, example), 'utf8'));
      expect(code).toBe(0);
      const out = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const texts = out.flatMap((o: { replies: Array<{ text: string }> }) => o.replies.map((r) => r.text)).join('\n');
      expect(texts).not.toMatch(/didn't recognise that option|belongs to an earlier question/);
      expect(out.at(-1).flow).toBeNull();
      expect(
        out
          .at(-1)
          .replies.map((r: { text: string }) => r.text)
          .join('\n'),
      ).toMatch(/What to change on your port order/);
    },
  );

  it('runs customer and staff lines end to end: escalation, claim, relay both ways, close (examples/staff-handoff.jsonl)', async () => {
    const { readFileSync } = await import('node:fs');
    const { stdout, code } = await chat(readFileSync(join(PROJECT_ROOT, 'examples/staff-handoff.jsonl'), 'utf8'));
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(11);
    const caseId = out[1].escalation.id as string;
    expect(caseId).toMatch(/^C-[A-Z0-9]{6}$/);
    expect(out[1].outbox).toEqual([expect.objectContaining({ to: 'staff', text: expect.stringContaining(`New case ${caseId}`) })]);
    expect(out[2].replies[0].text).toContain(caseId); // queue
    expect(out[4].replies[0].text).toMatch(/You have claimed/);
    const toCustomer = (o: { outbox?: Array<{ to: string; text: string }> }) => (o.outbox ?? []).filter((m) => m.to === 'customer').map((m) => m.text);
    expect(toCustomer(out[4])).toEqual([expect.stringMatching(/dana .* has joined/)]);
    expect(out[4].outbox).toContainEqual({ to: 'staff', text: expect.stringMatching(/claimed by terminal:dana/) });
    // While claimed the bot stays quiet (only the private PIN warning) and the customer's words go to staff, redacted.
    expect(out[5].replies.map((r: { text: string }) => r.text).join(' ')).toMatch(/never type a PIN/);
    expect(out[5].outbox[0]).toMatchObject({ to: 'staff', text: expect.stringContaining('[redacted]') });
    expect(stdout).not.toContain('4821');
    expect(toCustomer(out[6])).toEqual([expect.stringMatching(/split it into two orders/)]);
    expect(out[8].replies).toHaveLength(0);
    expect(toCustomer(out[9])[0]).toMatch(/closed: split into two orders/);
    expect(out[10].replies[0].text).toMatch(/Closed today: 1/);
  });
});

describe('interactive terminal chat', () => {
  it('answers every line of pasted or piped input, not only the first', async () => {
    const child = spawn('npm', ['run', '--silent', 'chat', '--', '--store', 'memory://'], { cwd: PROJECT_ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.end('hi\nmy port was rejected, they said the PIN was wrong and there is a past due balance\nyes\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('I read 2 problems');
    expect(stdout).toContain('We will go through them one at a time');
    expect(stdout).toContain('Which carrier is the number leaving?');
  });
});
