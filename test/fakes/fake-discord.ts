/**
 * A local stand-in for Discord: the REST API under `/api/v10` and the gateway (WebSocket, plain JSON
 * frames) on one 127.0.0.1 port. It records every REST call, answers with plausible objects, and lets a
 * test dispatch gateway events (MESSAGE_CREATE, INTERACTION_CREATE) to a real discord.js Client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const BOT_ID = '900000000000000001';
export const APPLICATION_ID = BOT_ID;
export const GUILD_ID = '900000000000000100';
export const HELP_CHANNEL_ID = '900000000000000200';
/** A text channel for the support team (PORTPILOT_STAFF_DISCORD_CHANNEL in staff tests). */
export const STAFF_CHANNEL_ID = '900000000000000300';
/** A role the guild has, for the support team (PORTPILOT_STAFF_DISCORD_ROLE_IDS in staff tests). */
export const STAFF_ROLE_ID = '900000000000000400';
export const CUSTOMER = { id: '900000000000001000', username: 'carla' };
export const OTHER_USER = { id: '900000000000001001', username: 'oscar' };
export const OTHER_BOT = { id: '900000000000001002', username: 'otherbot', bot: true };

/** The application flag Discord sets when the Message Content intent is enabled in the portal (unverified apps). */
export const MESSAGE_CONTENT_LIMITED_FLAG = 1 << 19;

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v10` prefix and query, e.g. `/channels/123/messages`. */
  path: string;
  query: URLSearchParams;
  body: any;
  /** What the fake answered (a message, a thread, ...), or undefined for 204. */
  response?: any;
}

/** Predicates over recorded requests, for finding what the bot sent. */
export const postsTo = (channelId: string) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`;
export const isCallback = (interaction: { id: string }) => (r: RecordedRequest) => r.method === 'POST' && r.path.startsWith(`/interactions/${interaction.id}/`);
export const isFollowUp = (interaction: { token: string }) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${interaction.token}`;
export const isOriginalEdit = (interaction: { token: string }) => (r: RecordedRequest) =>
  r.method === 'PATCH' && r.path === `/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original`;
/** Everything a message shows: content, embed titles and descriptions, component labels. */
export const shownText = (body: any): string => JSON.stringify([body?.content, body?.embeds, body?.components]);

export interface FakeDiscordOptions {
  /** Application flags sent in READY (default: Message Content enabled). */
  applicationFlags?: number;
  /** HTTP status for DELETE of a message (default 204; 403 is Discord's answer without Manage Messages). */
  deleteMessageStatus?: number;
  /** The @everyone role's permissions in the guild, as Discord's decimal string (default: view, send, read history). */
  everyonePermissions?: string;
  /** Close the gateway with this code instead of answering IDENTIFY (4014: disallowed intents). */
  closeCodeOnIdentify?: number;
  /** User ids whose DMs cannot be opened or posted in (Discord's 50007: they refuse DMs from server members). */
  refusingDms?: Set<string>;
}

/** View Channels, Send Messages, Read Message History. */
export const BASIC_PERMISSIONS = '68608';
/** The basic permissions plus Manage Messages. */
export const MANAGE_MESSAGES_PERMISSIONS = String(68608 + 8192);

export interface FakeDiscord {
  /** REST base for `DISCORD_API_URL` (no version). */
  apiUrl: string;
  requests: RecordedRequest[];
  /** Resolves with the intents sent in IDENTIFY. */
  identified: Promise<number>;
  /** The shard ([id, count]) each IDENTIFY asked for, in order; undefined for an unsharded login. */
  identifiedShards: Array<[number, number] | undefined>;
  /** Options that may change while running (e.g. the status a DELETE answers with). */
  options: FakeDiscordOptions;
  dispatch(event: string, data: object): void;
  /** Changes the @everyone role's permissions, as a server admin would. */
  setEveryonePermissions(permissions: string): void;
  /** Polls the recorded requests until one matches, failing after `timeoutMs`. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves once no request has arrived for `quietMs` (for "nothing more was sent" checks); fails after `timeoutMs`. */
  /**
   * Resolves once no request has arrived for `quietMs`. With `answerAfter` (a request count), first waits
   * (within `timeoutMs`) for a request beyond it: the answer to what was just dispatched.
   */
  quiet(quietMs?: number, timeoutMs?: number, answerAfter?: number): Promise<void>;
  nextId(): string;
  /** Drops every gateway connection without a close frame, as a network failure does; resolves once the bot is connected again. */
  dropGateway(): Promise<void>;
  /** How many gateway connections have been opened (a reconnect adds one). */
  connections(): number;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  let idCounter = 950000000000000000n;
  const nextId = () => String(++idCounter);
  const requests: RecordedRequest[] = [];
  const messages = new Map<string, any>();
  /** Channels `GET /channels/:id` knows: threads the bot opened, DMs seen or opened. */
  const channels = new Map<string, any>();
  const dmByUser = new Map<string, any>();
  const interactionChannels = new Map<string, { channelId: string; messageId?: string }>();
  const sockets = new Set<WebSocket>();
  let sequence = 0;
  let resolveIdentified!: (intents: number) => void;
  const identified = new Promise<number>((resolve) => (resolveIdentified = resolve));
  const identifiedShards: Array<[number, number] | undefined> = [];

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => handleRest(req, res, raw));
  });
  const gateway = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const wsUrl = `ws://127.0.0.1:${port}`;

  const botUser = { id: BOT_ID, username: 'portpilot', discriminator: '0', global_name: null, avatar: null, bot: true };

  function messageObject(channelId: string, body: any, extra: object = {}): any {
    const message = {
      id: nextId(),
      channel_id: channelId,
      author: botUser,
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      flags: body?.flags ?? 0,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      type: body?.message_reference ? 19 : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      ...extra,
    };
    messages.set(message.id, message);
    return message;
  }

  function threadObject(parentId: string, name: string): any {
    return remember({
      id: nextId(),
      type: 11,
      guild_id: GUILD_ID,
      parent_id: parentId,
      owner_id: BOT_ID,
      name,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    });
  }

  function remember(channel: any): any {
    channels.set(channel.id, channel);
    return channel;
  }

  function dmChannelObject(id: string, user: object): any {
    return remember({ id, type: 1, last_message_id: null, recipients: [{ discriminator: '0', global_name: null, avatar: null, ...user }] });
  }

  function send(res: ServerResponse, status: number, body?: unknown) {
    requests.at(-1)!.response = body;
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  function handleRest(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const method = req.method ?? 'GET';
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({ method, path, query: url.searchParams, body });
    const route = `${method} ${path}`;
    let m: RegExpExecArray | null;

    if (route === 'GET /gateway/bot') {
      return send(res, 200, {
        url: wsUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if ((m = /^GET \/channels\/(\d+)$/.exec(route))) {
      const channel = channels.get(m[1]!);
      return channel ? send(res, 200, channel) : send(res, 404, { message: 'Unknown Channel', code: 10003 });
    }
    if (route === 'POST /users/@me/channels') {
      const userId = String(body?.recipient_id);
      if (options.refusingDms?.has(userId)) return send(res, 403, { message: 'Cannot send messages to this user', code: 50007 });
      const dm = dmByUser.get(userId) ?? dmChannelObject(nextId(), { id: userId, username: `user${userId.slice(-4)}` });
      dmByUser.set(userId, dm);
      return send(res, 200, dm);
    }
    if ((m = /^POST \/channels\/(\d+)\/messages$/.exec(route))) {
      return send(res, 200, messageObject(m[1]!, body));
    }
    if ((m = /^PATCH \/channels\/(\d+)\/messages\/(\d+)$/.exec(route))) {
      return send(res, 200, { ...(messages.get(m[2]!) ?? messageObject(m[1]!, {})), ...body });
    }
    if ((m = /^DELETE \/channels\/(\d+)\/messages\/(\d+)$/.exec(route))) {
      const status = options.deleteMessageStatus ?? 204;
      return status === 204 ? send(res, 204) : send(res, status, { message: 'Missing Permissions', code: 50013 });
    }
    if ((m = /^POST \/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(route)) || (m = /^POST \/channels\/(\d+)\/threads$/.exec(route))) {
      return send(res, 201, threadObject(m[1]!, body?.name ?? 'thread'));
    }
    if (/^PUT \/channels\/\d+\/thread-members\/\d+$/.test(route)) return send(res, 204);
    if (/^PUT \/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(route)) {
      return send(
        res,
        200,
        (Array.isArray(body) ? body : []).map((c: object) => ({ ...c, id: nextId(), application_id: APPLICATION_ID, version: '1' })),
      );
    }
    if (/^POST \/interactions\/\d+\/[^/]+\/callback$/.test(route)) return send(res, 204);
    if ((m = /^POST \/webhooks\/\d+\/([^/]+)$/.exec(route))) {
      const target = interactionChannels.get(m[1]!);
      return send(res, 200, messageObject(target?.channelId ?? HELP_CHANNEL_ID, body, { webhook_id: APPLICATION_ID }));
    }
    if ((m = /^(GET|PATCH) \/webhooks\/\d+\/([^/]+)\/messages\/([^/]+)$/.exec(route))) {
      const target = interactionChannels.get(m[2]!);
      const id = m[3] === '@original' ? target?.messageId : m[3];
      const existing = (id && messages.get(id)) ?? messageObject(target?.channelId ?? HELP_CHANNEL_ID, {});
      const updated = { ...existing, ...(m[1] === 'PATCH' ? body : {}) };
      messages.set(updated.id, updated);
      return send(res, 200, updated);
    }
    if (/^DELETE \/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/.test(route)) return send(res, 204);
    return send(res, 404, { message: '404: Not Found', code: 0 });
  }

  function frame(socket: WebSocket, payload: object) {
    socket.send(JSON.stringify(payload));
  }

  let opened = 0;
  gateway.on('connection', (socket) => {
    opened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    frame(socket, { op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null });
    socket.on('message', (data) => {
      const packet = JSON.parse(String(data)) as { op: number; d: any };
      if (packet.op === 1) frame(socket, { op: 11, d: null, s: null, t: null });
      // RESUME after a dropped connection: the session goes on.
      if (packet.op === 6) frame(socket, { op: 0, t: 'RESUMED', s: ++sequence, d: {} });
      if (packet.op === 2) {
        resolveIdentified(Number(packet.d.intents));
        identifiedShards.push(packet.d.shard);
        if (options.closeCodeOnIdentify) return socket.close(options.closeCodeOnIdentify, 'closed by the fake');
        frame(socket, {
          op: 0,
          t: 'READY',
          s: ++sequence,
          d: {
            v: 10,
            user: botUser,
            guilds: [{ id: GUILD_ID, unavailable: true }],
            session_id: 'fake-session',
            resume_gateway_url: wsUrl,
            application: { id: APPLICATION_ID, flags: options.applicationFlags ?? MESSAGE_CONTENT_LIMITED_FLAG },
          },
        });
        frame(socket, { op: 0, t: 'GUILD_CREATE', s: ++sequence, d: guildObject() });
      }
    });
  });

  function guildObject() {
    return {
      id: GUILD_ID,
      name: 'Carrier community',
      icon: null,
      owner_id: OTHER_USER.id,
      unavailable: false,
      member_count: 3,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      emojis: [],
      stickers: [],
      presences: [],
      voice_states: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      roles: [
        everyoneRole(options.everyonePermissions ?? BASIC_PERMISSIONS),
        { id: STAFF_ROLE_ID, name: 'Porting team', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: false },
      ],
      members: [{ user: botUser, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      channels: [
        { id: HELP_CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'port-help', position: 0, permission_overwrites: [] },
        { id: STAFF_CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'porting-team', position: 1, permission_overwrites: [] },
      ],
    };
  }

  function everyoneRole(permissions: string) {
    return { id: GUILD_ID, name: '@everyone', permissions, position: 0, color: 0, hoist: false, managed: false, mentionable: false };
  }

  function dispatch(event: string, data: any) {
    if (event === 'INTERACTION_CREATE') {
      interactionChannels.set(data.token, { channelId: data.channel_id, messageId: data.message?.id });
      if (data.message) messages.set(data.message.id, data.message);
    }
    if (event === 'MESSAGE_CREATE' && data.channel_type === 1 && !channels.has(data.channel_id)) dmChannelObject(data.channel_id, data.author);
    for (const socket of sockets) frame(socket, { op: 0, t: event, s: ++sequence, d: data });
  }

  async function waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = requests.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching request within ${timeoutMs} ms; saw:\n${requests.map((r) => `${r.method} ${r.path}`).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function quiet(quietMs = 250, timeoutMs = 5000, answerAfter?: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // A busy machine can take longer than the quiet period to send the first answer: wait for it first.
    while (answerAfter !== undefined && requests.length <= answerAfter && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let count = -1;
    while (count !== requests.length) {
      if (Date.now() > deadline) throw new Error(`the fake was still busy after ${timeoutMs} ms`);
      count = requests.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    requests,
    identified,
    identifiedShards,
    connections: () => opened,
    async dropGateway() {
      const before = opened;
      for (const socket of sockets) socket.terminate();
      const deadline = Date.now() + 15_000;
      while (opened === before || sockets.size === 0) {
        if (Date.now() > deadline) throw new Error('the bot did not reconnect to the gateway within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Let the RESUME/READY exchange finish.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    options,
    dispatch,
    setEveryonePermissions: (permissions) => dispatch('GUILD_ROLE_UPDATE', { guild_id: GUILD_ID, role: everyoneRole(permissions) }),
    waitForRequest,
    quiet,
    nextId,
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** A user's message as the gateway delivers it. DMs carry `channel_type: 1` (discord.js drops them otherwise). */
export function messageEvent(
  fake: FakeDiscord,
  options: {
    channelId: string;
    author: { id: string; username: string; bot?: boolean };
    content: string;
    guild?: boolean;
    mentionsBot?: boolean;
    id?: string;
  },
): object {
  const author = { discriminator: '0', global_name: null, avatar: null, ...options.author };
  return {
    id: options.id ?? fake.nextId(),
    channel_id: options.channelId,
    ...(options.guild ? { guild_id: GUILD_ID, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } } : { channel_type: 1 }),
    author,
    content: options.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: options.mentionsBot ? [{ id: BOT_ID, username: 'portpilot', discriminator: '0', bot: true }] : [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
  };
}

/** Common fields of an INTERACTION_CREATE in a DM or a guild channel/thread. */
function interactionBase(fake: FakeDiscord, options: { channelId: string; user: { id: string; username: string }; thread?: boolean; guild?: boolean; roles?: string[] }) {
  const user = { discriminator: '0', global_name: null, avatar: null, ...options.user };
  const inGuild = options.guild ?? options.thread ?? false;
  return {
    id: fake.nextId(),
    application_id: APPLICATION_ID,
    token: `token-${fake.nextId()}`,
    version: 1,
    channel_id: options.channelId,
    channel: inGuild
      ? { id: options.channelId, type: options.thread ? 11 : 0, guild_id: GUILD_ID, parent_id: options.thread ? HELP_CHANNEL_ID : null, name: 'x' }
      : { id: options.channelId, type: 1 },
    app_permissions: '562949953421311',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    ...(inGuild
      ? {
          guild_id: GUILD_ID,
          context: 0,
          member: { user, roles: options.roles ?? [], permissions: '68608', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
        }
      : { context: 1, user }),
  };
}

/** A `/port <subcommand>` slash command. */
export function slashCommandEvent(
  fake: FakeDiscord,
  options: {
    channelId: string;
    user: { id: string; username: string };
    subcommand: string;
    reason?: string;
    guild?: boolean;
    thread?: boolean;
  },
): any {
  return {
    ...interactionBase(fake, options),
    type: 2,
    data: {
      id: '900000000000000050',
      name: 'port',
      type: 1,
      options: [{ type: 1, name: options.subcommand, options: options.reason ? [{ type: 3, name: 'reason', value: options.reason }] : [] }],
    },
  };
}

/** `/staff <command>`: one string option. In a server the member carries `roles` (role ids). */
export function staffCommandEvent(
  fake: FakeDiscord,
  options: {
    channelId: string;
    user: { id: string; username: string };
    command: string;
    roles?: string[];
    guild?: boolean;
  },
): any {
  return {
    ...interactionBase(fake, options),
    type: 2,
    data: { id: '900000000000000051', name: 'staff', type: 1, options: [{ type: 3, name: 'command', value: options.command }] },
  };
}

/** A click on a button (or a pick in a select menu) of a message the bot sent earlier. */
export function componentEvent(
  fake: FakeDiscord,
  options: {
    channelId: string;
    user: { id: string; username: string };
    message: any;
    customId: string;
    values?: string[];
    thread?: boolean;
    /** A guild channel that is not a thread (the staff channel). */
    guild?: boolean;
    roles?: string[];
  },
): any {
  return {
    ...interactionBase(fake, { ...options, guild: options.guild ?? options.thread }),
    type: 3,
    message: options.message,
    data: options.values ? { custom_id: options.customId, component_type: 3, values: options.values } : { custom_id: options.customId, component_type: 2 },
  };
}
