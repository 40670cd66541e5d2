/**
 * Slack in Socket Mode and Slack start-up failures: a real Bolt App connects to a local WebSocket server
 * (handed out by the fake's `apps.connections.open`), and a refused token stops start-up by name.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import type { Bot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import type { ConversationStore } from '../../src/core/ports.js';
import { ConfigError } from '../../src/core/errors.js';
import { startPortpilot, type RunningPortpilot } from '../../src/server.js';
import { FAKE_BOT_USER_ID, FAKE_TEAM_ID, startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.js';
import { composeTestBot, fixedClock, silentLogger } from '../helpers/compose-test-bot.js';

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let fake: FakeSlackApi;
  let sockets: WebSocketServer;
  let running: RunningPortpilot;
  const acks: string[] = [];
  let connection: Promise<WebSocket>;

  beforeAll(async () => {
    fake = await startFakeSlackApi();
    sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => sockets.once('listening', () => resolve()));
    fake.socketModeUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/link`;
    connection = new Promise((resolve) =>
      sockets.on('connection', (socket) => {
        socket.on('message', (data) => acks.push(JSON.parse(String(data)).envelope_id));
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0PORTPILOT' } }));
        resolve(socket);
      }),
    );
    const config = loadConfig({
      PORT: '0',
      PORTPILOT_STORE_URL: 'memory://',
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-0000-test-token',
      SLACK_SIGNING_SECRET: 'portpilotTestSigningSecret42',
      SLACK_APP_TOKEN: 'xapp-1-A0PORTPILOT-test',
      SLACK_API_URL: fake.apiUrl,
    });
    running = await startPortpilot(config, { logger: silentLogger, clock: fixedClock, slackWebApiRetries: 0 });
  });

  afterAll(async () => {
    await running?.stop();
    await new Promise<void>((resolve) => sockets?.close(() => resolve()));
    await fake?.close();
  });

  it('GIVEN an app-level token THEN portpilot connects out and answers a DM delivered over the socket', async () => {
    const socket = await connection;
    socket.send(
      JSON.stringify({
        envelope_id: 'env-dm-1',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
        payload: {
          type: 'event_callback',
          team_id: FAKE_TEAM_ID,
          api_app_id: 'A0PORTPILOT',
          event_id: 'EvSocket0001',
          event_time: 1790000000,
          authorizations: [{ enterprise_id: null, team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, is_bot: true }],
          event: { type: 'message', channel: 'D0SOCKET', channel_type: 'im', user: 'U0CUSTOMER', text: 'my google voice port was rejected', ts: '1790000500.000100' },
        },
      }),
    );
    const posts = await fake.waitForCalls('chat.postMessage', 1);
    expect(posts[0]!.params.channel).toBe('D0SOCKET');
    expect(acks).toContain('env-dm-1');
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('GIVEN Socket Mode THEN no HTTP endpoint is mounted for Slack', async () => {
    const res = await fetch(`${running.url}slack/events`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
  });
});

describe('Slack start-up', () => {
  let bot: Bot;
  let store: ConversationStore;
  beforeAll(() => {
    ({ bot, store } = composeTestBot());
  });

  it('GIVEN a bot token Slack refuses THEN start() fails with a ConfigError naming SLACK_BOT_TOKEN', async () => {
    const fake = await startFakeSlackApi();
    try {
      fake.failNext('auth.test', 'invalid_auth');
      const adapter = createSlackAdapter({
        bot,
        store,
        logger: silentLogger,
        httpApp: express(),
        botToken: 'xoxb-0000-refused',
        signingSecret: 'portpilotTestSigningSecret42',
        apiUrl: fake.apiUrl,
        webApiRetries: 0,
      });
      const failure = await adapter.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toMatch(/SLACK_BOT_TOKEN: .*invalid_auth/);
    } finally {
      await fake.close();
    }
  });

  it('GIVEN an unreachable Web API THEN start() fails at once, naming the address', async () => {
    const adapter = createSlackAdapter({
      bot,
      store,
      logger: silentLogger,
      httpApp: express(),
      botToken: 'xoxb-0000-test-token',
      signingSecret: 'portpilotTestSigningSecret42',
      apiUrl: 'http://127.0.0.1:9/api/',
      webApiRetries: 0,
    });
    await expect(adapter.start()).rejects.toThrow(/could not be reached at http:\/\/127\.0\.0\.1:9\/api\//);
  });
});
