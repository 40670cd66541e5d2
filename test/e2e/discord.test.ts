/**
 * The Discord channel end to end: `startPortpilot` (as `npm start` runs it) with a real discord.js
 * Client against a local fake Discord REST API and gateway on 127.0.0.1. Nothing reaches the internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EN } from '../../src/dialogue/messages/en.js';
import type { RunningPortpilot } from '../../src/server.js';
import {
  APPLICATION_ID,
  BASIC_PERMISSIONS,
  BOT_ID,
  CUSTOMER,
  HELP_CHANNEL_ID,
  MANAGE_MESSAGES_PERMISSIONS,
  OTHER_BOT,
  OTHER_USER,
  componentEvent,
  isCallback,
  isFollowUp,
  isOriginalEdit,
  postsTo,
  shownText,
  messageEvent,
  slashCommandEvent,
  type FakeDiscord,
} from '../fakes/fake-discord.js';
import { startWithFakeDiscord, type LogLine, type WithFakeDiscord } from '../helpers/start-with-fakes.js';

const EPHEMERAL = 64;
const MESSAGE_CONTENT_STEPS = 'Developer Portal > your app > Bot > Privileged Gateway Intents > Message Content Intent';

let bot: WithFakeDiscord;
let fake: FakeDiscord;
let running: RunningPortpilot;
let logs: LogLine[];

beforeAll(async () => {
  bot = await startWithFakeDiscord();
  ({ fake, running } = bot);
  logs = bot.logger.lines;
});

afterAll(async () => {
  await bot?.stop();
});

/** Requests recorded after `from` (an index into the fake's log). */
const since = (from: number) => fake.requests.slice(from);

/** A message through the gateway; resolves once the bot has answered (unless `unanswered`) and gone quiet. */
async function sendMessage(options: Parameters<typeof messageEvent>[1], wait: { unanswered?: boolean } = {}): Promise<{ id: string; from: number }> {
  const from = fake.requests.length;
  const event = messageEvent(fake, options) as { id: string };
  fake.dispatch('MESSAGE_CREATE', event);
  await fake.quiet(undefined, undefined, wait.unanswered ? undefined : from);
  return { id: event.id, from };
}

/** The newest message the bot posted in a channel with components, and how to press its first option. */
function lastOffer(channelId: string) {
  const posted = fake.requests.filter((r) => postsTo(channelId)(r) && r.body?.components?.length > 0).at(-1);
  expect(posted, `an offer of choices in ${channelId}`).toBeDefined();
  const component = posted!.body.components[0].components[0];
  const message = posted!.response;
  return component.type === 3
    ? { message, customId: component.custom_id as string, values: [component.options[0].value as string] }
    : { message, customId: component.custom_id as string };
}

async function press(channelId: string, user: typeof CUSTOMER, offer: ReturnType<typeof lastOffer>, thread = false) {
  const from = fake.requests.length;
  const interaction = componentEvent(fake, { channelId, user, thread, ...offer });
  fake.dispatch('INTERACTION_CREATE', interaction);
  await fake.waitForRequest(isCallback(interaction));
  await fake.quiet();
  return { interaction, from };
}

describe('Discord adapter against a fake Discord', () => {
  it('GIVEN the bot starts THEN it identifies with the guild, message, DM and message-content intents', async () => {
    // Guilds 1 | GuildMessages 512 | DirectMessages 4096 | MessageContent 32768
    expect(await fake.identified).toBe(1 | 512 | 4096 | 32768);
    expect(running.channels.map((c) => c.name)).toContain('discord');
  });

  it('GIVEN a direct message about a rejection THEN the walkthrough is posted in the DM with choices', async () => {
    const dm = fake.nextId();
    const { from } = await sendMessage({ channelId: dm, author: CUSTOMER, content: 'my port was rejected, google voice says the number is locked' });
    const posted = since(from).filter(postsTo(dm));
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.map((r) => shownText(r.body)).join('\n')).toMatch(/Google Voice/i);
    expect(posted.some((r) => r.body.components?.length > 0)).toBe(true);
  });

  it('GIVEN two quick messages in one DM THEN both turns count: the second waits for the first (no lost update)', async () => {
    const dm = fake.nextId();
    fake.dispatch('MESSAGE_CREATE', messageEvent(fake, { channelId: dm, author: CUSTOMER, content: 'hello' }));
    fake.dispatch('MESSAGE_CREATE', messageEvent(fake, { channelId: dm, author: CUSTOMER, content: 'my port was rejected because of a freeze' }));
    await fake.waitForRequest(postsTo(dm));
    await fake.quiet();
    const state = (await running.composition.store.get(`conversation:discord:dm:${dm}`)) as { turn: number };
    expect(state.turn).toBe(2);
  });

  it('GIVEN an offer WHEN the customer presses a choice THEN the old components are disabled and the walkthrough continues', async () => {
    const dm = fake.nextId();
    await sendMessage({ channelId: dm, author: CUSTOMER, content: 'the port was rejected: my google voice number must be unlocked first' });
    const offer = lastOffer(dm);
    const { interaction, from } = await press(dm, CUSTOMER, offer);

    const callback = since(from).find(isCallback(interaction))!;
    expect(callback.body.type).toBe(6); // DEFERRED_UPDATE_MESSAGE: acknowledged within Discord's 3 s
    const edit = since(from).find(isOriginalEdit(interaction))!;
    const components = edit.body.components.flatMap((row: any) => row.components);
    expect(components.length).toBeGreaterThan(0);
    expect(components.every((c: any) => c.disabled === true)).toBe(true);
    expect(since(from).filter(postsTo(dm)).length).toBeGreaterThan(0);

    // The customer types instead of pressing the new offer, then presses it after all: that press is stale,
    // and the note goes to the presser alone.
    const newerOffer = lastOffer(dm);
    await sendMessage({ channelId: dm, author: CUSTOMER, content: 'start over' });
    const again = await press(dm, CUSTOMER, newerOffer);
    const notes = since(again.from).filter(isFollowUp(again.interaction));
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((r) => r.body.flags === EPHEMERAL)).toBe(true);
    expect(notes.map((r) => r.body.content).join('\n')).toContain(EN.staleChoice);
    expect(since(again.from).filter(postsTo(dm))).toHaveLength(0);
  });

  it('GIVEN a mention in the help channel THEN a thread is opened for the customer and the walkthrough continues there', async () => {
    const { id, from } = await sendMessage({
      channelId: HELP_CHANNEL_ID,
      guild: true,
      mentionsBot: true,
      author: CUSTOMER,
      content: `<@${BOT_ID}> my port got rejected because of a freeze on the account`,
    });
    const created = since(from).find((r) => r.method === 'POST' && r.path === `/channels/${HELP_CHANNEL_ID}/messages/${id}/threads`);
    expect(created, 'a thread started from the customer message').toBeDefined();
    const thread = created!.response.id as string;
    expect(since(from).some((r) => r.method === 'PUT' && r.path === `/channels/${thread}/thread-members/${CUSTOMER.id}`)).toBe(true);
    expect(
      since(from)
        .filter(postsTo(thread))
        .map((r) => shownText(r.body))
        .join('\n'),
    ).toMatch(/freeze/i);
    expect(since(from).filter(postsTo(HELP_CHANNEL_ID))).toHaveLength(0);

    // The customer continues in the thread without a mention.
    const next = await sendMessage({ channelId: thread, guild: true, author: CUSTOMER, content: 'start over' });
    expect(since(next.from).filter(postsTo(thread)).length).toBeGreaterThan(0);

    // Someone else chatting in the thread is left alone; a mention from them gets a pointer to their own thread.
    const chatter = await sendMessage({ channelId: thread, guild: true, author: OTHER_USER, content: 'I had the same problem last year' }, { unanswered: true });
    expect(since(chatter.from)).toHaveLength(0);
    const asked = await sendMessage({ channelId: thread, guild: true, mentionsBot: true, author: OTHER_USER, content: `<@${BOT_ID}> help me too` });
    const pointer = since(asked.from).filter(postsTo(thread));
    expect(pointer).toHaveLength(1);
    expect(pointer[0]!.body.content).toMatch(/another customer's conversation/);

    // A press by another user on the customer's buttons gets an ephemeral note and changes nothing.
    const offer = lastOffer(thread);
    const foreign = await press(thread, OTHER_USER, offer, true);
    const callback = since(foreign.from).find(isCallback(foreign.interaction))!;
    expect(callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.body.data.content).toMatch(/another customer's conversation/);
    expect(since(foreign.from).filter((r) => r.method !== 'POST' || !isCallback(foreign.interaction)(r))).toHaveLength(0);

    // The customer's own press in the thread continues the walkthrough there.
    const own = await press(thread, CUSTOMER, offer, true);
    expect(since(own.from).find(isCallback(own.interaction))!.body.type).toBe(6);
    expect(since(own.from).filter(postsTo(thread)).length).toBeGreaterThan(0);
  });

  it('GIVEN /port start with a reason in a DM THEN the interaction is deferred within the deadline and the walkthrough for that reason is posted', async () => {
    const dm = fake.nextId();
    const from = fake.requests.length;
    const command = slashCommandEvent(fake, { channelId: dm, user: CUSTOMER, subcommand: 'start', reason: 'pin_required' });
    fake.dispatch('INTERACTION_CREATE', command);
    const callback = await fake.waitForRequest(isCallback(command));
    expect(callback.path).toBe(`/interactions/${command.id}/${command.token}/callback`);
    expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    await fake.quiet();
    expect(since(from).some((r) => r.method === 'DELETE' && r.path === `/webhooks/${APPLICATION_ID}/${command.token}/messages/@original`)).toBe(true);
    expect(
      since(from)
        .filter(postsTo(dm))
        .map((r) => shownText(r.body))
        .join('\n'),
    ).toMatch(/PIN/);
  });

  it('GIVEN /port help in the help channel THEN a thread is opened, the customer is told where, and the help is posted there', async () => {
    const from = fake.requests.length;
    const command = slashCommandEvent(fake, { channelId: HELP_CHANNEL_ID, guild: true, user: CUSTOMER, subcommand: 'help' });
    fake.dispatch('INTERACTION_CREATE', command);
    await fake.waitForRequest(isCallback(command));
    await fake.quiet();
    const created = since(from).find((r) => r.method === 'POST' && r.path === `/channels/${HELP_CHANNEL_ID}/threads`);
    expect(created).toBeDefined();
    const thread = created!.response.id as string;
    expect(since(from).find(isOriginalEdit(command))!.body.content).toContain(`<#${thread}>`);
    expect(since(from).filter(postsTo(thread)).length).toBeGreaterThan(0);
  });

  it('GIVEN /port restart THEN the bot starts over in the same DM', async () => {
    const dm = fake.nextId();
    await sendMessage({ channelId: dm, author: CUSTOMER, content: 'the carrier says the account is frozen' });
    const from = fake.requests.length;
    const command = slashCommandEvent(fake, { channelId: dm, user: CUSTOMER, subcommand: 'restart' });
    fake.dispatch('INTERACTION_CREATE', command);
    await fake.waitForRequest(isCallback(command));
    await fake.quiet();
    expect(
      since(from)
        .filter(postsTo(dm))
        .map((r) => shownText(r.body))
        .join('\n'),
    ).toMatch(/start over|starting/i);
  });

  it('GIVEN @everyone, @here and a role mention in customer text THEN nothing the bot sends can ping anyone', async () => {
    const dm = fake.nextId();
    const { from } = await sendMessage({ channelId: dm, author: CUSTOMER, content: '@everyone @here <@&900000000000000999> my port was rejected, the number is frozen' });
    const posted = since(from).filter(postsTo(dm));
    expect(posted.length).toBeGreaterThan(0);
    for (const r of posted) {
      expect(r.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
      expect(shownText(r.body)).not.toMatch(/@(everyone|here)|<@&/);
    }
  });

  it('GIVEN a PIN typed in a thread THEN the customer is warned, the message is deleted, and the PIN is nowhere', async () => {
    const start = await sendMessage({ channelId: HELP_CHANNEL_ID, guild: true, mentionsBot: true, author: CUSTOMER, content: `<@${BOT_ID}> verizon says the pin is wrong` });
    const thread = since(start.from).find((r) => r.path.endsWith('/threads'))!.response.id as string;

    const { id, from } = await sendMessage({ channelId: thread, guild: true, author: CUSTOMER, content: 'ok my transfer pin is 482913, is that right?' });
    expect(since(from).some((r) => r.method === 'DELETE' && r.path === `/channels/${thread}/messages/${id}`)).toBe(true);
    const posted = since(from).filter(postsTo(thread));
    const warning = posted.find((r) => String(r.body.content).includes('never type a PIN'));
    expect(warning?.body.message_reference).toMatchObject({ message_id: id, fail_if_not_exists: false });
    expect(posted.some((r) => r.body.content === 'I deleted your message so the code is no longer visible here.')).toBe(true);
    expect(JSON.stringify(fake.requests)).not.toContain('482913');
    expect(JSON.stringify(await running.composition.store.get(`conversation:discord:thread:${thread}`))).not.toContain('482913');
    expect(JSON.stringify(logs)).not.toContain('482913');
  });

  it('GIVEN the bot lacks Manage Messages THEN a PIN is not deleted and the customer is asked to delete it', async () => {
    const start = await sendMessage({ channelId: HELP_CHANNEL_ID, guild: true, mentionsBot: true, author: CUSTOMER, content: `<@${BOT_ID}> port rejected, pin required` });
    const thread = since(start.from).find((r) => r.path.endsWith('/threads'))!.response.id as string;
    fake.setEveryonePermissions(BASIC_PERMISSIONS);
    try {
      await fake.quiet(100);
      const { from } = await sendMessage({ channelId: thread, guild: true, author: CUSTOMER, content: 'the account pin is 7731' });
      expect(since(from).some((r) => r.method === 'DELETE')).toBe(false);
      expect(
        since(from)
          .filter(postsTo(thread))
          .map((r) => r.body.content)
          .join('\n'),
      ).toMatch(/Please delete it yourself/);

      // Discord refusing the delete anyway (a channel override) is caught and logged, with the same note.
      fake.setEveryonePermissions(MANAGE_MESSAGES_PERMISSIONS);
      fake.options.deleteMessageStatus = 403;
      const refused = await sendMessage({ channelId: thread, guild: true, author: CUSTOMER, content: 'my passcode is 99182' });
      expect(since(refused.from).some((r) => r.method === 'DELETE')).toBe(true);
      expect(
        since(refused.from)
          .filter(postsTo(thread))
          .map((r) => r.body.content)
          .join('\n'),
      ).toMatch(/Please delete it yourself/);
      expect(logs.some((l) => l.level === 'warn' && /could not delete/.test(l.msg ?? ''))).toBe(true);
    } finally {
      fake.setEveryonePermissions(MANAGE_MESSAGES_PERMISSIONS);
      fake.options.deleteMessageStatus = 204;
    }
  });

  it('GIVEN its own messages, other bots and unmentioned chatter THEN the bot sends nothing', async () => {
    const dm = fake.nextId();
    const own = await sendMessage({ channelId: dm, author: { id: BOT_ID, username: 'portpilot', bot: true }, content: 'hello' }, { unanswered: true });
    expect(since(own.from)).toHaveLength(0);
    const otherBot = await sendMessage(
      { channelId: HELP_CHANNEL_ID, guild: true, mentionsBot: true, author: OTHER_BOT, content: `<@${BOT_ID}> port rejected, freeze` },
      { unanswered: true },
    );
    expect(since(otherBot.from)).toHaveLength(0);
    const chatter = await sendMessage(
      { channelId: HELP_CHANNEL_ID, guild: true, author: OTHER_USER, content: 'my port was rejected too, freeze on the account' },
      { unanswered: true },
    );
    expect(since(chatter.from)).toHaveLength(0);
  });

  it('GIVEN a server message mentioning the bot with empty content THEN the log says exactly how to enable the Message Content intent', async () => {
    await sendMessage({ channelId: HELP_CHANNEL_ID, guild: true, mentionsBot: true, author: CUSTOMER, content: '' });
    expect(logs.some((l) => l.level === 'warn' && (l.msg ?? '').includes(MESSAGE_CONTENT_STEPS))).toBe(true);
  });

  it('every message the bot sent or edited carried allowed_mentions that ping no one', () => {
    const sends = fake.requests.filter(
      (r) => (r.method === 'POST' || r.method === 'PATCH') && (/\/messages$/.test(r.path) || r.path.startsWith('/webhooks/') || /@original$/.test(r.path)),
    );
    const replies = fake.requests.filter((r) => r.path.endsWith('/callback') && r.body.type === 4).map((r) => ({ body: r.body.data }));
    expect(sends.length).toBeGreaterThan(10);
    for (const r of [...sends, ...replies]) expect(r.body.allowed_mentions, JSON.stringify(r.body)).toEqual({ parse: [], replied_user: false });
  });
});
