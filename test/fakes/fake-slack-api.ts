/**
 * Slack without Slack: a fake Web API on 127.0.0.1 (port 0) that records every call and answers the
 * methods portpilot uses, and a client that posts correctly signed requests to `/slack/events`.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';

export const FAKE_TEAM_ID = 'T0PORTPILOT';
export const FAKE_BOT_USER_ID = 'U0BOT';
export const FAKE_BOT_ID = 'B0BOT';

/** One Web API call (or response-URL post) as the fake received it; `blocks` and `view` are parsed. */
export interface RecordedCall {
  method: string;
  params: Record<string, any>;
  response: Record<string, any>;
}

export interface FakeSlackApi {
  /** The Web API base to put in SLACK_API_URL, ending in `/api/`. */
  apiUrl: string;
  /** A response URL for command and click payloads; posts to it are recorded as method `response_url`. */
  responseUrl: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves once `method` has been called at least `count` times; rejects after `timeoutMs`. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Answers the next call of `method` with `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  /** The next call of `method` gets HTTP 429 with Retry-After (seconds), or HTTP 500: as Slack under load. */
  refuseNext(method: string, how: { status: 429; retryAfter: number } | { status: 500 }): void;
  /** Holds every answer to `method` until the returned function is called (to prove ack-before-work). */
  hold(method: string): () => void;
  /** What `apps.connections.open` answers (Socket Mode), e.g. a local WebSocket URL. */
  socketModeUrl?: string;
  /** Members of each user group, for `usergroups.users.list`; an unknown group answers `no_such_subteam`. */
  usergroups: Record<string, string[]>;
  /** Every recorded request, as text, for "never sent" checks. */
  everythingSent(): string;
  close(): Promise<void>;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const failures = new Map<string, string>();
  const refusals = new Map<string, { status: 429; retryAfter: number } | { status: 500 }>();
  const held = new Map<string, Promise<void>>();
  let lastTs = 0;
  const nextTs = () => `1790000000.${String(++lastTs).padStart(6, '0')}`;

  const answer = (method: string, params: Record<string, any>): Record<string, any> => {
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return { ok: false, error: failure };
    }
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://portpilot-test.slack.com/', team: 'Test', user: 'portpilot', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID };
      case 'chat.postMessage': {
        const ts = nextTs();
        return { ok: true, channel: params.channel, ts, message: { type: 'message', text: params.text, ts, bot_id: FAKE_BOT_ID } };
      }
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.publish':
        return { ok: true, view: { id: 'V0HOME', ...params.view } };
      case 'response_url':
        return { ok: true };
      case 'usergroups.users.list': {
        const members = fake.usergroups[params.usergroup];
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.open':
        // The DM with one user: a stable id derived from the user id, as Slack keeps one DM per pair.
        return { ok: true, channel: { id: dmWith(String(params.users)) } };
      case 'apps.connections.open':
        return fake.socketModeUrl ? { ok: true, url: fake.socketModeUrl } : { ok: false, error: 'not_allowed_token_type' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : url.pathname === '/response' ? 'response_url' : '';
    const params = parseParams(raw, req.headers['content-type'] ?? '');
    await held.get(method);
    const refusal = refusals.get(method);
    if (refusal) {
      refusals.delete(method);
      calls.push({ method, params, response: { ok: false, error: refusal.status === 429 ? 'ratelimited' : 'internal_error', status: refusal.status } });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (refusal.status === 429) headers['retry-after'] = String(refusal.retryAfter);
      res.writeHead(refusal.status, headers).end(JSON.stringify({ ok: false, error: refusal.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const response = answer(method, params);
    calls.push({ method, params, response });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callsTo = (method: string) => calls.filter((c) => c.method === method);
  const fake: FakeSlackApi = {
    apiUrl: `${base}/api/`,
    responseUrl: `${base}/response`,
    calls,
    callsTo,
    async waitForCalls(method, count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (callsTo(method).length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} ${method} call(s), got ${callsTo(method).length}; all calls: ${calls.map((c) => c.method).join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return callsTo(method);
    },
    refuseNext(method, how) {
      refusals.set(method, how);
    },
    failNext(method, error) {
      failures.set(method, error);
    },
    hold(method) {
      let release = () => {};
      held.set(method, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(method);
        release();
      };
    },
    usergroups: {},
    everythingSent: () => JSON.stringify(calls.map((c) => [c.method, c.params])),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}

/** The id of the fake's DM channel between the bot and `user` (what `conversations.open` answers). */
export function dmWith(user: string): string {
  return `D0DM${user}`;
}

/** The Web API client posts form-encoded bodies with JSON strings inside; response URLs get JSON. */
function parseParams(raw: string, contentType: string): Record<string, any> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, any>;
  const params: Record<string, any> = Object.fromEntries(new URLSearchParams(raw));
  for (const key of ['blocks', 'view', 'attachments']) {
    if (typeof params[key] === 'string') params[key] = JSON.parse(params[key] as string);
  }
  return params;
}

// ------------------------------------------------------------------ signed requests to the bot

export interface SlackResponse {
  status: number;
  body: string;
}

/** Posts requests to `/slack/events` the way Slack does: signed with HMAC-SHA256 of `v0:<ts>:<body>`. */
export interface SlackSender {
  /** An Events API `event_callback`; `retryNum` adds Slack's retry headers. */
  event(event: Record<string, unknown>, options: { eventId: string; retryNum?: number }): Promise<SlackResponse>;
  /** `/portpilot <text>` (or `command`, e.g. `/portpilot-staff`) typed by `user` in `channel`. */
  command(text: string, options: { channel: string; user: string; command?: string; userName?: string; triggerId?: string }): Promise<SlackResponse>;
  /** A `block_actions` payload, form-encoded as `payload=<json>`. */
  action(payload: Record<string, unknown>): Promise<SlackResponse>;
  /** Any body, signed with `secret` (default: the right one), for forgery tests. */
  raw(body: string, contentType: string, options?: { secret?: string; timestamp?: number }): Promise<SlackResponse>;
}

export function createSlackSender(eventsUrl: string, signingSecret: string, responseUrl: string): SlackSender {
  const raw: SlackSender['raw'] = async (body, contentType, options = {}) => post(body, contentType, {}, options);

  async function post(body: string, contentType: string, headers: Record<string, string>, options: { secret?: string; timestamp?: number } = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', options.secret ?? signingSecret)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex')}`;
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature, ...headers },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  return {
    raw,
    event(event, { eventId, retryNum }) {
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        team_id: FAKE_TEAM_ID,
        api_app_id: 'A0PORTPILOT',
        type: 'event_callback',
        event_id: eventId,
        event_time: 1790000000,
        authorizations: [{ enterprise_id: null, team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, is_bot: true }],
        event,
      });
      const retry: Record<string, string> = retryNum === undefined ? {} : { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' };
      return post(body, 'application/json', retry);
    },
    command(text, { channel, user, command = '/portpilot', userName = 'customer', triggerId = nextTriggerId() }) {
      const body = new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: FAKE_TEAM_ID,
        team_domain: 'portpilot-test',
        channel_id: channel,
        channel_name: channel.startsWith('D') ? 'directmessage' : 'support',
        user_id: user,
        user_name: userName,
        command,
        text,
        api_app_id: 'A0PORTPILOT',
        response_url: responseUrl,
        trigger_id: triggerId,
      }).toString();
      return post(body, 'application/x-www-form-urlencoded', {});
    },
    action(payload) {
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', {});
    },
  };
}

let triggers = 0;
/** Slack gives every command and click its own trigger_id; a replay repeats it. */
export function nextTriggerId(): string {
  return `${Date.now()}.${++triggers}.${Math.random().toString(16).slice(2, 10)}`;
}

/**
 * The `block_actions` payload Slack sends when `user` picks the choice labelled `label` on a message
 * the bot posted (a recorded chat.postMessage or chat.postEphemeral call).
 */
export function clickPayload(posted: RecordedCall, label: string, options: { user: string; responseUrl: string; value?: string; userName?: string }): Record<string, unknown> {
  const actions = (posted.params.blocks as any[]).find((b) => b.type === 'actions');
  if (!actions) throw new Error('that message has no buttons');
  const element = actions.elements[0];
  const ephemeral = posted.method === 'chat.postEphemeral';
  const ts: string = ephemeral ? posted.response.message_ts : posted.response.ts;
  const threadTs: string | undefined = posted.params.thread_ts;
  let action: Record<string, unknown>;
  if (element.type === 'static_select') {
    const option = element.options.find((o: any) => o.text.text === label);
    if (!option) throw new Error(`no option labelled ${label}`);
    action = {
      type: 'static_select',
      action_id: element.action_id,
      block_id: actions.block_id,
      selected_option: { ...option, value: options.value ?? option.value },
      action_ts: '1790000001.000100',
    };
  } else {
    const button = actions.elements.find((b: any) => b.text.text === label);
    if (!button) throw new Error(`no button labelled ${label}`);
    action = { ...button, block_id: actions.block_id, value: options.value ?? button.value, action_ts: '1790000001.000100' };
  }
  return {
    type: 'block_actions',
    user: { id: options.user, username: options.userName ?? 'customer', name: options.userName ?? 'customer', team_id: FAKE_TEAM_ID },
    api_app_id: 'A0PORTPILOT',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: posted.params.channel, is_ephemeral: ephemeral, ...(threadTs ? { thread_ts: threadTs } : {}) },
    trigger_id: nextTriggerId(),
    team: { id: FAKE_TEAM_ID, domain: 'portpilot-test' },
    channel: { id: posted.params.channel, name: 'support' },
    ...(ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: FAKE_BOT_USER_ID,
            bot_id: FAKE_BOT_ID,
            ts,
            text: posted.params.text,
            blocks: posted.params.blocks,
            ...(threadTs ? { thread_ts: threadTs } : {}),
          },
        }),
    response_url: options.responseUrl,
    actions: [action],
  };
}
