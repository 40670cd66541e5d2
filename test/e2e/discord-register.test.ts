/**
 * `npm run discord:register` (scripts/discord-register.ts) against the local fake Discord REST API.
 * Run in an empty directory with a clean environment, so a developer's .env can never send it to Discord.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/compose.js';
import { REJECTION_IDS } from '../../src/content/ids.js';
import { APPLICATION_ID, GUILD_ID, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';

let fake: FakeDiscord;
let emptyDir: string;
beforeAll(async () => {
  fake = await startFakeDiscord();
  emptyDir = mkdtempSync(join(tmpdir(), 'portpilot-register-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(emptyDir, { recursive: true, force: true });
});

function register(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(PROJECT_ROOT, 'scripts', 'discord-register.ts')],
      { cwd: emptyDir, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const credentials = { DISCORD_TOKEN: 'test-token-for-the-local-fake-only', DISCORD_APPLICATION_ID: APPLICATION_ID };

describe('npm run discord:register', () => {
  it('GIVEN a guild id THEN /port (help, start with 18 reasons, restart) and /staff are registered in that guild', async () => {
    const result = await register({ ...credentials, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_URL: fake.apiUrl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Registered /port and /staff in guild ${GUILD_ID}`));
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`);
    const [command, staff] = put!.body;
    expect(put!.body).toHaveLength(2);
    expect(staff.name).toBe('staff');
    expect(staff.options).toEqual([expect.objectContaining({ type: 3, name: 'command', required: true })]);
    expect(command.name).toBe('port');
    expect(command.options.map((o: any) => o.name)).toEqual(['help', 'start', 'restart']);
    const reason = command.options[1].options[0];
    expect(reason.choices.map((c: any) => c.value)).toEqual([...REJECTION_IDS]);
  });

  it('GIVEN no guild id THEN /port and /staff are registered globally', async () => {
    const result = await register({ ...credentials, DISCORD_API_URL: fake.apiUrl });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Registered \/port and \/staff globally/);
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path === `/applications/${APPLICATION_ID}/commands`)).toBe(true);
  });

  it('GIVEN no token THEN it explains what to set and exits non-zero', async () => {
    const result = await register({ DISCORD_API_URL: fake.apiUrl });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/needs DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
  });
});
