/**
 * Configuration: the only reader of `process.env`. Read once at start-up, validated with zod; a wrong
 * value throws a `ConfigError` naming the variable, and start-up stops.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './core/errors.js';
import type { Branding } from './core/types.js';

const storeUrl = z
  .string()
  .trim()
  .refine((url) => /^(sqlite:\/\/.+|memory:\/\/|rediss?:\/\/[^\s/]+(\/\d{1,2})?\/?)$/.test(url), {
    message: 'must be sqlite://<path> (an embedded file, the default), redis://host:port[/db] (shared by several instances) ' + 'or memory:// (kept for the life of the process)',
  });

const httpUrl = z
  .string()
  .trim()
  .refine((url) => /^https?:\/\/[^\s]+$/.test(url), { message: 'must be an http:// or https:// URL' });

/** A comma-separated list of ids, each matching `pattern`. */
function idList(pattern: RegExp, what: string) {
  return z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => pattern.test(id)), { message: `must be a comma-separated list of ${what}` });
}

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORTPILOT_STORE_URL: storeUrl.default('sqlite://./data/portpilot.sqlite'),
    LOG_LEVEL: logLevel.default('info'),
    PORTPILOT_COMPANY_NAME: z.string().trim().min(1).max(80).default('your new phone provider'),
    PORTPILOT_PORTAL_NAME: z.string().trim().min(1).max(80).default('the porting portal'),
    PORTPILOT_SUPPORT_EMAIL: z.email().default('support@example.com'),
    PORTPILOT_CONVERSATION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24 * 14),
    PORTPILOT_FLOW_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(72),

    // Slack: HTTP mode with a bot token and signing secret; Socket Mode when an app token is set too.
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token starting with xoxb-')
      .optional(),
    SLACK_SIGNING_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9]{8,}$/, "must be the app's signing secret (letters and digits)")
      .optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/, 'must be an app-level token starting with xapp-')
      .optional(),
    SLACK_API_URL: httpUrl.optional(),

    // Discord: a bot token and the application id; the REST base can be overridden (tests, proxies).
    DISCORD_TOKEN: z.string().min(20, 'must be the bot token from the Discord developer portal').optional(),
    DISCORD_APPLICATION_ID: z
      .string()
      .regex(/^\d{15,22}$/, 'must be the numeric application id')
      .optional(),
    DISCORD_API_URL: httpUrl.optional(),
    DISCORD_GUILD_ID: z
      .string()
      .regex(/^\d{15,22}$/, 'must be a numeric guild (server) id')
      .optional(),
    /** Several instances: each logs in as one shard (0 .. count-1) of DISCORD_SHARD_COUNT. */
    DISCORD_SHARD_ID: z.coerce.number().int().min(0).optional(),
    DISCORD_SHARD_COUNT: z.coerce.number().int().min(1).max(1000).optional(),

    // Staff handoff: who is staff on each channel, where new cases are listed, what customers are told.
    PORTPILOT_STAFF_SLACK_USER_IDS: idList(/^[UW][A-Z0-9]{2,}$/, 'Slack user ids like U012ABCDEF').default([]),
    PORTPILOT_STAFF_SLACK_USERGROUP_IDS: idList(/^S[A-Z0-9]{2,}$/, 'Slack user group ids like S012ABCDEF').default([]),
    PORTPILOT_STAFF_SLACK_CHANNEL: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id like C012ABCDEF')
      .optional(),
    PORTPILOT_STAFF_DISCORD_ROLE_IDS: idList(/^\d{15,22}$/, 'numeric Discord role ids').default([]),
    PORTPILOT_STAFF_DISCORD_USER_IDS: idList(/^\d{15,22}$/, 'numeric Discord user ids').default([]),
    PORTPILOT_STAFF_DISCORD_CHANNEL: z
      .string()
      .regex(/^\d{15,22}$/, 'must be a numeric Discord channel id')
      .optional(),
    PORTPILOT_STAFF_TERMINAL: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    PORTPILOT_CLAIM_TIMEOUT_MINUTES: z.coerce
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(15),
    /** Messages per minute one address may send to the web chat's API (0 turns the limit off). */
    PORTPILOT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(300),
    PORTPILOT_BUSINESS_HOURS: z.string().trim().min(3).max(120).default('Monday to Friday, 9:00 to 17:00'),
    /** The web chat's title (its page title and heading), for a provider's own branding. */
    PORTPILOT_CHAT_TITLE: z.string().trim().min(1).max(80).default('portpilot: fix a rejected port order'),
    /** Sites that may embed the web chat (an iframe or /embed.js) and call its API: comma-separated origins. */
    PORTPILOT_EMBED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'must be origins such as https://support.example.com (scheme, host and port only), comma-separated')),
      ),

    // An optional OpenAI-compatible model (OpenAI, or a self-hosted server: vLLM, llama.cpp, Ollama).
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: httpUrl.optional(),
    OPENAI_MODEL: z.string().trim().min(1).max(100).default('gpt-4o-mini'),
    /** The whole budget of one model call, retries included; past it the offline answer stands. */
    PORTPILOT_MODEL_DEADLINE_MS: z.coerce.number().int().min(100).max(10_000).default(2500),
  })
  .superRefine((env, ctx) => {
    const need = (when: boolean, variable: string, message: string) => {
      if (when) ctx.addIssue({ code: 'custom', path: [variable], message });
    };
    need(!!env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET, 'SLACK_SIGNING_SECRET', 'is required when SLACK_BOT_TOKEN is set');
    need(!!env.SLACK_SIGNING_SECRET && !env.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN', 'is required when SLACK_SIGNING_SECRET is set');
    need(!!env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN', 'is required when SLACK_APP_TOKEN is set (Socket Mode)');
    need(!!env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID, 'DISCORD_APPLICATION_ID', 'is required when DISCORD_TOKEN is set');
    need(!!env.OPENAI_BASE_URL && !env.OPENAI_API_KEY, 'OPENAI_API_KEY', 'is required when OPENAI_BASE_URL is set (any value for a server that checks none)');
    need(env.DISCORD_SHARD_ID !== undefined && env.DISCORD_SHARD_COUNT === undefined, 'DISCORD_SHARD_COUNT', 'is required when DISCORD_SHARD_ID is set');
    need(env.DISCORD_SHARD_COUNT !== undefined && env.DISCORD_SHARD_ID === undefined, 'DISCORD_SHARD_ID', 'is required when DISCORD_SHARD_COUNT is set');
    need(
      env.DISCORD_SHARD_ID !== undefined && env.DISCORD_SHARD_COUNT !== undefined && env.DISCORD_SHARD_ID >= env.DISCORD_SHARD_COUNT,
      'DISCORD_SHARD_ID',
      'must be less than DISCORD_SHARD_COUNT (shards are numbered from 0)',
    );
  });

export type Config = z.infer<typeof configSchema>;

type Environment = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** Values used when the environment does not set a variable (e.g. a quieter log level for the chat). */
  defaults?: Environment;
  /** Values that win over the environment (e.g. the scripted chat's in-memory store). */
  overrides?: Environment;
}

/**
 * Parses an environment (by default `process.env`, after loading `./.env` when present) into a
 * `Config`, naming every bad variable.
 */
export function loadConfig(env?: Environment, options: LoadConfigOptions = {}): Config {
  const source = env ?? processEnvironment();
  // An empty variable (FOO=) means "not set", as in most .env conventions.
  const present = Object.fromEntries(Object.entries({ ...options.defaults, ...source, ...options.overrides }).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
  }
  return parsed.data;
}

/** Branding placeholders used in knowledge text. */
export function brandingOf(config: Config): Branding {
  return {
    company: config.PORTPILOT_COMPANY_NAME,
    portal: config.PORTPILOT_PORTAL_NAME,
    support_email: config.PORTPILOT_SUPPORT_EMAIL,
  };
}

function processEnvironment(): Environment {
  const dotEnv = join(process.cwd(), '.env');
  if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  return process.env;
}
