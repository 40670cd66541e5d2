import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { configSchema, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/core/errors.js';

describe('configuration', () => {
  it('starts with no configuration at all, on the documented defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PORTPILOT_STORE_URL).toBe('sqlite://./data/portpilot.sqlite');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORTPILOT_STORE_URL', 'postgres://db'],
    ['LOG_LEVEL', 'loud'],
    ['PORTPILOT_SUPPORT_EMAIL', 'not-an-address'],
    ['PORTPILOT_STORE_URL', 'redis://'],
    ['DISCORD_SHARD_COUNT', '0'],
    ['OPENAI_BASE_URL', 'not a url'],
    ['PORTPILOT_MODEL_DEADLINE_MS', '50'],
  ])('refuses a wrong %s and names it', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${name}:`);
  });
});

describe('the optional model', () => {
  it('GIVEN a model server without a key THEN start-up stops naming OPENAI_API_KEY', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(/OPENAI_API_KEY: is required when OPENAI_BASE_URL is set/);
  });

  it('GIVEN a key THEN the model, its default name and deadline are configured', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-anything', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
    expect([config.OPENAI_MODEL, config.PORTPILOT_MODEL_DEADLINE_MS, config.OPENAI_BASE_URL]).toEqual(['gpt-4o-mini', 2500, 'http://127.0.0.1:11434/v1']);
  });
});

describe('several instances', () => {
  it.each(['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379/3', 'rediss://:secret@cache.example.com:6380/0'])('accepts the Redis store %s', (url) => {
    expect(loadConfig({ PORTPILOT_STORE_URL: url }).PORTPILOT_STORE_URL).toBe(url);
  });

  it.each([
    [{ DISCORD_SHARD_ID: '0' }, 'DISCORD_SHARD_COUNT:'],
    [{ DISCORD_SHARD_COUNT: '2' }, 'DISCORD_SHARD_ID:'],
    [{ DISCORD_SHARD_ID: '2', DISCORD_SHARD_COUNT: '2' }, 'DISCORD_SHARD_ID:'],
  ])('refuses an incomplete or impossible shard %o and names the variable', (env, named) => {
    expect(() => loadConfig(env)).toThrow(named);
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

  it('documents every configuration variable', () => {
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const variables = Object.keys((configSchema as unknown as { innerType?: () => { shape: object }; shape?: object }).shape ?? {});
    expect(variables.length).toBeGreaterThan(10);
    for (const name of variables) expect(documented.has(name), name).toBe(true);
  });

  it('parses as a valid configuration exactly as shipped', () => {
    expect(() => loadConfig(parseEnv(example))).not.toThrow();
  });
});
