/**
 * One driver per channel for the channel contract: each talks to the real bot the way that channel's
 * customers do, and reports what they were shown.
 */
import { randomUUID } from 'node:crypto';
import { runScript } from '../../src/adapters/terminal/scripted-chat.js';
import { loadConfig } from '../../src/config.js';
import { replyChoices, replyToText, type Reply } from '../../src/core/types.js';
import { startPortpilot, type RunningPortpilot } from '../../src/server.js';
import {
  BOT_ID,
  CUSTOMER,
  HELP_CHANNEL_ID,
  componentEvent,
  isFollowUp,
  isOriginalEdit,
  messageEvent,
  postsTo,
  staffCommandEvent,
  type FakeDiscord,
  type RecordedRequest,
} from '../fakes/fake-discord.js';
import { clickPayload, dmWith, type FakeSlackApi, type RecordedCall, type SlackSender } from '../fakes/fake-slack-api.js';
import { composeTestBot, createBreakableStore, fixedClock, silentLogger } from '../helpers/compose-test-bot.js';
import { startWithFakeDiscord, startWithFakeSlack, type WithFakeDiscord, type WithFakeSlack } from '../helpers/start-with-fakes.js';
import type { ChannelDriver, CustomerSession, Shown } from './channel.contract.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** What a core reply shows on a channel that renders replies as text with choices (web, terminal). */
function shownFromReplies(replies: Reply[], offerOf: (reply: Reply) => unknown): Shown[] {
  return replies.map((reply) => ({
    text: replyToText(reply),
    choices: replyChoices(reply).map((c) => c.label),
    privately: false,
    offer: offerOf(reply),
  }));
}

// ---------------------------------------------------------------------------------------------- web

export function webDriver(): ChannelDriver {
  const breakable = createBreakableStore();
  let running: RunningPortpilot;
  const sent: string[] = [];
  async function post(conversationId: string, body: { text: string } | { choice: string }): Promise<Shown[]> {
    const res = await fetch(`${running.url}api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId, ...body }) });
    const raw = await res.text();
    sent.push(raw);
    const json = JSON.parse(raw) as { replies: Reply[] };
    return shownFromReplies(json.replies, (reply) => replyChoices(reply));
  }
  return {
    name: 'web',
    publicPlace: false,
    hasPrivateMessages: false,
    deliversTwice: false,
    async start() {
      running = await startPortpilot(loadConfig({ PORT: '0', HOST: '127.0.0.1', PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'silent', PORTPILOT_RATE_LIMIT_PER_MINUTE: '0' }), {
        logger: silentLogger,
        clock: fixedClock,
        observeStore: breakable.observeStore,
      });
    },
    stop: () => running.stop(),
    async newCustomer(): Promise<CustomerSession> {
      const id = `contract-${randomUUID()}`;
      const say = (text: string) => post(id, { text });
      return {
        conversationKey: `web:${id}`,
        say,
        press: (on, label) => post(id, { choice: (on.offer as Array<{ id: string; label: string }>).find((c) => c.label === label)!.id }),
        // The web chat has no staff entry point: a customer can only type the words.
        tryStaffCommand: say,
      };
    },
    store: () => running.composition.store,
    setStoreDown: breakable.setDown,
    everythingSent: () => sent.join('\n'),
  };
}

// ----------------------------------------------------------------------------------------- terminal

export function terminalDriver(): ChannelDriver {
  const breakable = createBreakableStore();
  let composition: ReturnType<typeof composeTestBot>;
  const sent: string[] = [];
  return {
    name: 'terminal',
    publicPlace: false,
    hasPrivateMessages: false,
    deliversTwice: false,
    async start() {
      // The scripted terminal chat, in process: `npm run chat -- --script` runs the same runScript.
      // Staff lines are refused here (PORTPILOT_STAFF_TERMINAL=false): the contract tries one as a customer.
      const base = composeTestBot();
      composition = composeTestBot({ store: breakable.observeStore(base.store), env: { PORTPILOT_STAFF_TERMINAL: 'false' } });
    },
    async stop() {},
    async newCustomer(): Promise<CustomerSession> {
      const conversationKey = `terminal:contract-${randomUUID()}`;
      const run = async (line: Parameters<typeof runScript>[0][number]): Promise<Shown[]> => {
        const shown: Shown[] = [];
        for await (const turn of runScript([line], { bot: composition.bot, conversationKey, outbox: composition.outbox })) {
          shown.push(...shownFromReplies(turn.result.replies, (reply) => replyChoices(reply)));
          sent.push(JSON.stringify(turn.result.replies), JSON.stringify(turn.outbox));
        }
        return shown;
      };
      return {
        conversationKey,
        say: (text) => run({ text }),
        press: (on, label) => run({ choice: (on.offer as Array<{ id: string; label: string }>).find((c) => c.label === label)!.id }),
        // A staff line from someone on a terminal where staff lines are not trusted (PORTPILOT_STAFF_TERMINAL off).
        tryStaffCommand: (command) => run({ text: command, staff: true, user: 'a-customer' }),
      };
    },
    store: () => composition.store,
    setStoreDown: breakable.setDown,
    everythingSent: () => sent.join('\n'),
  };
}

// -------------------------------------------------------------------------------------------- slack

/** Resolves once something new has been recorded after `from` (within 5 s) and then nothing for 250 ms. */
async function settled(count: () => number, from: number, unanswered = false): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!unanswered && count() <= from && Date.now() < deadline) await sleep(10);
  let seen = -1;
  while (seen !== count()) {
    seen = count();
    await sleep(250);
  }
}

const SLACK_HELP_CHANNEL = 'C0HELPDESK';

function slackShown(call: RecordedCall): Shown {
  const blocks = (call.params.blocks as Array<Record<string, any>> | undefined) ?? [];
  const actions = blocks.find((b) => b.type === 'actions');
  const element = actions?.elements?.[0];
  const choices: string[] = element?.type === 'static_select' ? element.options.map((o: any) => o.text.text) : (actions?.elements ?? []).map((b: any) => b.text.text);
  const privately = call.method === 'chat.postEphemeral' || (call.method === 'response_url' && call.params.response_type !== 'in_channel');
  return { text: `${call.params.text ?? ''}\n${JSON.stringify(blocks)}`, choices, privately, offer: call };
}

/**
 * Slack: `place` 'dm' is a direct message; 'thread' is a thread in a help channel, opened by a mention,
 * where others can read the bot's answers (private ones go ephemeral).
 */
export function slackDriver(place: 'dm' | 'thread'): ChannelDriver {
  const breakable = createBreakableStore();
  let running: WithFakeSlack;
  let fake: FakeSlackApi;
  let slack: SlackSender;
  let users = 0;
  const shownSince = (from: number, where: { channel: string; threadTs?: string }) =>
    fake.calls
      .slice(from)
      .filter((c) => c.method === 'response_url' || ((c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') && c.params.channel === where.channel))
      .filter((c) => c.method === 'response_url' || !where.threadTs || c.params.thread_ts === where.threadTs)
      .map(slackShown);
  return {
    name: place === 'dm' ? 'slack (direct message)' : 'slack (thread in a channel)',
    publicPlace: place === 'thread',
    hasPrivateMessages: true,
    deliversTwice: true,
    async start() {
      running = await startWithFakeSlack({}, undefined, { overrides: { observeStore: breakable.observeStore } });
      ({ fake, slack } = running);
    },
    stop: () => running.stop(),
    async newCustomer(): Promise<CustomerSession> {
      const user = `U0CONTRACT${++users}`;
      const channel = place === 'dm' ? dmWith(user) : SLACK_HELP_CHANNEL;
      let threadTs: string | undefined;
      let messages = 0;
      const deliver = async (text: string, times: number): Promise<Shown[]> => {
        const from = fake.calls.length;
        const ts = `1790000${users}.${String(++messages).padStart(6, '0')}`;
        const eventId = `Ev${randomUUID().slice(0, 8)}`;
        const mention = place === 'thread' && threadTs === undefined;
        const event =
          place === 'dm'
            ? { type: 'message', channel, channel_type: 'im', user, text, ts }
            : mention
              ? { type: 'app_mention', channel, user, text: `<@U0BOT> ${text}`, ts }
              : { type: 'message', channel, channel_type: 'channel', user, text, ts, thread_ts: threadTs };
        for (let i = 0; i < times; i++) await slack.event(event, { eventId, ...(i > 0 ? { retryNum: i } : {}) });
        if (mention) threadTs = ts;
        await settled(() => fake.calls.length, from);
        return shownSince(from, { channel, ...(threadTs ? { threadTs } : {}) });
      };
      return {
        get conversationKey() {
          return place === 'dm' ? `slack:T0PORTPILOT:${channel}` : `slack:T0PORTPILOT:${channel}:${threadTs}`;
        },
        say: (text) => deliver(text, 1),
        sayDeliveredTwice: (text) => deliver(text, 2),
        async press(on, label) {
          const from = fake.calls.length;
          await slack.action(clickPayload(on.offer as RecordedCall, label, { user, responseUrl: fake.responseUrl }));
          await settled(() => fake.calls.length, from);
          return shownSince(from, { channel, ...(threadTs ? { threadTs } : {}) });
        },
        async tryStaffCommand(command) {
          const from = fake.calls.length;
          await slack.command(command, { channel, user, command: '/portpilot-staff' });
          await settled(() => fake.calls.length, from);
          return shownSince(from, { channel });
        },
      };
    },
    store: () => running.running.composition.store,
    setStoreDown: breakable.setDown,
    everythingSent: () => fake.everythingSent(),
  };
}

// ------------------------------------------------------------------------------------------ discord

function discordShown(request: RecordedRequest): Shown {
  const body = request.body ?? {};
  const components = ((body.components ?? []) as any[]).flatMap((row) => row.components ?? []);
  const choices = components.flatMap((c: any) => (c.type === 3 ? c.options.map((o: any) => o.label) : [c.label]));
  const privately = ((body.flags ?? body.data?.flags ?? 0) & 64) !== 0;
  const content = body.content ?? body.data?.content ?? '';
  return { text: `${content}\n${JSON.stringify(body.embeds ?? [])}`, choices, privately, offer: request };
}

/**
 * Discord: `place` 'dm' is a direct message; 'thread' is the thread the bot opens in a help channel
 * for a customer who mentions it there, where others can read its answers (private ones go ephemeral).
 */
export function discordDriver(place: 'dm' | 'thread'): ChannelDriver {
  const breakable = createBreakableStore();
  let running: WithFakeDiscord;
  let fake: FakeDiscord;
  let customers = 0;
  return {
    name: place === 'dm' ? 'discord (direct message)' : 'discord (thread in a help channel)',
    publicPlace: place === 'thread',
    hasPrivateMessages: true,
    deliversTwice: true,
    async start() {
      running = await startWithFakeDiscord({}, { observeStore: breakable.observeStore });
      ({ fake } = running);
    },
    stop: () => running.stop(),
    async newCustomer(): Promise<CustomerSession> {
      // In a DM the channel is known; a thread exists once the first mention has opened it.
      let channel = place === 'dm' ? fake.nextId() : '';
      const author = { id: String(BigInt(CUSTOMER.id) + BigInt(++customers * 7)), username: `customer${customers}` };
      const interactionAnswers = (interaction: { id: string; token: string }) => (r: RecordedRequest) =>
        isFollowUp(interaction)(r) || isOriginalEdit(interaction)(r) || (r.path.startsWith(`/interactions/${interaction.id}/`) && r.body?.type === 4);
      const deliver = async (text: string, times: number): Promise<Shown[]> => {
        const from = fake.requests.length;
        const opening = place === 'thread' && channel === '';
        const event = opening
          ? messageEvent(fake, { channelId: HELP_CHANNEL_ID, guild: true, mentionsBot: true, author, content: `<@${BOT_ID}> ${text}` })
          : messageEvent(fake, { channelId: channel, guild: place === 'thread', author, content: text });
        for (let i = 0; i < times; i++) fake.dispatch('MESSAGE_CREATE', event);
        await fake.quiet(undefined, undefined, from);
        if (opening) channel = String(fake.requests.slice(from).find((r) => r.path.endsWith('/threads'))?.response?.id ?? '');
        // A message has no private answer: a private reply is a reply to the customer's own message.
        // The mention that opens a thread is answered in the help channel when the thread cannot be used.
        const where = (r: RecordedRequest) => postsTo(channel)(r) || (opening && postsTo(HELP_CHANNEL_ID)(r));
        return fake.requests
          .slice(from)
          .filter(where)
          .map((r) => ({ ...discordShown(r), privately: r.body?.message_reference !== undefined }));
      };
      return {
        get conversationKey() {
          return `discord:${place}:${channel}`;
        },
        say: (text) => deliver(text, 1),
        sayDeliveredTwice: (text) => deliver(text, 2),
        async press(on, label) {
          const posted = on.offer as RecordedRequest;
          const components = (posted.body.components as any[]).flatMap((row) => row.components);
          const button = components.find((c) => c.type === 2 && c.label === label);
          const select = components.find((c) => c.type === 3);
          const option = select?.options.find((o: any) => o.label === label);
          const interaction = componentEvent(fake, {
            channelId: channel,
            thread: place === 'thread',
            user: author,
            message: posted.response,
            customId: button ? button.custom_id : select.custom_id,
            ...(button ? {} : { values: [option.value] }),
          });
          const from = fake.requests.length;
          fake.dispatch('INTERACTION_CREATE', interaction);
          await fake.quiet(undefined, undefined, from);
          return (
            fake.requests
              .slice(from)
              // The edit that closes the pressed message's buttons is not a message shown.
              .filter((r) => postsTo(channel)(r) || (interactionAnswers(interaction)(r) && !isOriginalEdit(interaction)(r)))
              .map(discordShown)
          );
        },
        async tryStaffCommand(command) {
          const interaction = staffCommandEvent(fake, { channelId: channel, user: author, command, guild: place === 'thread' });
          const from = fake.requests.length;
          fake.dispatch('INTERACTION_CREATE', interaction);
          await fake.quiet(undefined, undefined, from);
          return fake.requests.slice(from).filter(interactionAnswers(interaction)).map(discordShown);
        },
      };
    },
    store: () => running.running.composition.store,
    setStoreDown: breakable.setDown,
    everythingSent: () => JSON.stringify(fake.requests.map((r) => r.body)),
  };
}
