/**
 * The Slack app end to end: `startPortpilot` (what `npm start` runs) with a real Bolt App on the one
 * HTTP port, a local fake Slack Web API, and requests signed as Slack signs them. Nothing leaves 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPortpilot } from '../../src/server.js';
import { clickPayload, FAKE_BOT_ID, FAKE_BOT_USER_ID, type FakeSlackApi, type RecordedCall, type SlackSender } from '../fakes/fake-slack-api.js';
import { eventually as waitFor, startWithFakeSlack, type RecordingLogger, type WithFakeSlack } from '../helpers/start-with-fakes.js';

const CUSTOMER = 'U0CUSTOMER';
const SUPPORT_CHANNEL = 'C0SUPPORT';

let bot: WithFakeSlack;
let fake: FakeSlackApi;
let running: RunningPortpilot;
let slack: SlackSender;
let logger: RecordingLogger;
let nextTs = 100;

beforeAll(async () => {
  bot = await startWithFakeSlack();
  ({ fake, running, slack, logger } = bot);
});

afterAll(async () => {
  await bot?.stop();
});

/** A fresh Slack message timestamp, so every test talks in its own DM or thread. */
const newTs = () => `1790000${String(++nextTs).padStart(3, '0')}.000100`;
const newEventId = () => `Ev${String(++nextTs).padStart(8, '0')}`;

function directMessage(channel: string, text: string, extra: Record<string, unknown> = {}) {
  const ts = newTs();
  return { type: 'message', channel, channel_type: 'im', user: CUSTOMER, text, ts, event_ts: ts, ...extra };
}

function mention(text: string, extra: Record<string, unknown> = {}) {
  const ts = newTs();
  return { type: 'app_mention', channel: SUPPORT_CHANNEL, user: CUSTOMER, text: `<@${FAKE_BOT_USER_ID}> ${text}`, ts, event_ts: ts, ...extra };
}

const postsIn = (channel: string, threadTs?: string) =>
  fake.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && (threadTs === undefined || c.params.thread_ts === threadTs));
const ephemeralsIn = (channel: string, threadTs?: string) =>
  fake.callsTo('chat.postEphemeral').filter((c) => c.params.channel === channel && (threadTs === undefined || c.params.thread_ts === threadTs));
const hasChoices = (call: RecordedCall) => (call.params.blocks ?? []).some((b: any) => b.type === 'actions');
const choiceLabels = (call: RecordedCall): string[] => {
  const element = call.params.blocks.find((b: any) => b.type === 'actions').elements;
  return element[0].type === 'static_select' ? element[0].options.map((o: any) => o.text.text) : element.map((b: any) => b.text.text);
};
const textOf = (calls: RecordedCall[]) => calls.map((c) => `${c.params.text}\n${JSON.stringify(c.params.blocks ?? [])}`).join('\n');

/** Polls until `check` holds, then returns its value; a timeout lists the Web API calls made. */
const eventually = <T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> =>
  waitFor(check, what, () => `calls: ${fake.calls.map((c) => c.method).join(', ')}`, timeoutMs);

/** Waits for a message with choices in a DM or thread: the end of a turn that offers the next step. */
const choicesPostedIn = (channel: string, threadTs?: string, after = 0) => eventually(() => postsIn(channel, threadTs).slice(after).find(hasChoices), `choices in ${channel}`);

describe('Slack on the one HTTP port (startPortpilot)', () => {
  it('GIVEN Slack configuration WHEN portpilot starts THEN it checks the token on the fake API and still serves the web chat', async () => {
    expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(running.channels.map((c) => c.name)).toContain('slack');
    expect(await (await fetch(`${running.url}healthz`)).json()).toEqual({ status: 'ok', store: 'ok', kind: 'memory' });
  });

  it('GIVEN a signed url_verification request THEN the challenge is echoed', async () => {
    const res = await slack.raw(JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'abc123' });
  });

  it('GIVEN a forged or stale signature THEN Slack gets 401 and nothing is posted', async () => {
    const before = fake.calls.length;
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'EvForged', event: directMessage('D0FORGED', 'my google voice port was rejected') });
    expect((await slack.raw(body, 'application/json', { secret: 'not-the-secret' })).status).toBe(401);
    expect((await slack.raw(body, 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const unsigned = await fetch(`${running.url}slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(fake.calls.length).toBe(before);
  });
});

describe('direct messages', () => {
  it('GIVEN a DM about a rejected Google Voice port THEN the Google Voice walkthrough is posted in the DM, not in a thread', async () => {
    const res = await slack.event(directMessage('D0GOOGLE', 'my google voice port was rejected'), { eventId: newEventId() });
    expect(res.status).toBe(200);
    await choicesPostedIn('D0GOOGLE');
    const posts = postsIn('D0GOOGLE');
    expect(textOf(posts)).toMatch(/Google Voice/);
    expect(posts.every((p) => p.params.thread_ts === undefined)).toBe(true);
  });

  it('GIVEN a walkthrough WHEN the customer presses a choice THEN the old message loses its buttons and the bot answers in the DM', async () => {
    await slack.event(directMessage('D0PRESS', 'my google voice port was rejected'), { eventId: newEventId() });
    const offered = await choicesPostedIn('D0PRESS');
    const label = choiceLabels(offered)[0]!;
    const postsBefore = postsIn('D0PRESS').length;

    const res = await slack.action(clickPayload(offered, label, { user: CUSTOMER, responseUrl: fake.responseUrl }));
    expect(res.status).toBe(200);

    const update = await eventually(() => fake.callsTo('chat.update').find((c) => c.params.ts === offered.response.ts), 'chat.update');
    expect(update.params.channel).toBe('D0PRESS');
    expect(update.params.blocks.some((b: any) => b.type === 'actions')).toBe(false);
    expect(update.params.text).toBe(`You chose: ${label}`);
    await eventually(() => postsIn('D0PRESS').length > postsBefore, 'the answer to the press');
  });

  it('GIVEN the pressed message cannot be updated THEN the answer is still posted', async () => {
    await slack.event(directMessage('D0NOUPDATE', 'my google voice port was rejected'), { eventId: newEventId() });
    const offered = await choicesPostedIn('D0NOUPDATE');
    const before = postsIn('D0NOUPDATE').length;
    fake.failNext('chat.update', 'message_not_found');
    await slack.action(clickPayload(offered, choiceLabels(offered)[0]!, { user: CUSTOMER, responseUrl: fake.responseUrl }));
    await eventually(() => postsIn('D0NOUPDATE').length > before, 'the answer to the press');
  });

  it('GIVEN Slack fails while a press is answered THEN the customer is told politely and the same button works again', async () => {
    await slack.event(directMessage('D0FAIL', 'my google voice port was rejected'), { eventId: newEventId() });
    const offered = await choicesPostedIn('D0FAIL');
    const press = clickPayload(offered, choiceLabels(offered)[0]!, { user: CUSTOMER, responseUrl: fake.responseUrl });
    const responsesBefore = fake.callsTo('response_url').length;
    fake.failNext('chat.postMessage', 'internal_error');
    await slack.action(press);
    const sorry = await eventually(() => fake.callsTo('response_url').slice(responsesBefore)[0], 'the apology');
    expect(sorry.params).toMatchObject({ response_type: 'ephemeral' });
    expect(sorry.params.text).toMatch(/something went wrong/);

    const updatesBefore = fake.callsTo('chat.update').filter((c) => c.params.ts === offered.response.ts).length;
    const postsBefore = postsIn('D0FAIL').length;
    await slack.action(press);
    await eventually(() => fake.callsTo('chat.update').filter((c) => c.params.ts === offered.response.ts).length > updatesBefore, 'the second press handled');
    // The press is handled again: the bot answers from where the conversation now stands.
    await eventually(() => postsIn('D0FAIL').length > postsBefore, 'the answer to the second press');
  });

  it('GIVEN a 40 kB message THEN the customer gets a polite answer', async () => {
    const huge = 'my google voice port was rejected. '.repeat(1200);
    expect(huge.length).toBeGreaterThan(40_000);
    expect((await slack.event(directMessage('D0HUGE', huge), { eventId: newEventId() })).status).toBe(200);
    const reply = await eventually(() => postsIn('D0HUGE').find((p) => /long message/i.test(p.params.text)), 'the long-message note');
    expect(reply.params.text.length).toBeLessThan(3001);
  });

  it('GIVEN a PIN typed in a DM THEN the warning is posted in the DM and the PIN is never sent', async () => {
    await slack.event(directMessage('D0PIN', 'the google voice number is locked for transfer; pin is 482913'), { eventId: newEventId() });
    await eventually(() => postsIn('D0PIN').find((p) => /never type a PIN/.test(p.params.text)), 'the PIN warning');
    expect(fake.everythingSent()).not.toContain('482913');
  });

  it.each([
    ['another bot', { bot_id: 'B0OTHER', subtype: 'bot_message' }],
    ['portpilot itself', { user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID }],
    ['an edit', { subtype: 'message_changed' }],
    ['Slackbot', { user: 'USLACKBOT' }],
  ])('GIVEN a message from %s THEN it is ignored', async (_who, extra) => {
    // How many messages a greeting alone gets, measured in a DM of its own.
    const control = `D0CONTROL${nextTs++}`;
    await slack.event(directMessage(control, 'hello'), { eventId: newEventId() });
    await choicesPostedIn(control);

    const channel = `D0IGNORE${nextTs++}`;
    await slack.event(directMessage(channel, 'my google voice port was rejected', extra), { eventId: newEventId() });
    await slack.event(directMessage(channel, 'hello'), { eventId: newEventId() });
    await choicesPostedIn(channel);
    expect(postsIn(channel).length).toBe(postsIn(control).length);
  });
});

describe('mentions in channels', () => {
  it('GIVEN a mention in a channel THEN the walkthrough is answered in a thread under it', async () => {
    const event = mention('my google voice port was rejected');
    await slack.event(event, { eventId: newEventId() });
    await choicesPostedIn(SUPPORT_CHANNEL, event.ts);
    expect(textOf(postsIn(SUPPORT_CHANNEL, event.ts))).toMatch(/Google Voice/);
  });

  it('GIVEN a walkthrough in a thread WHEN a choice is pressed THEN the answer stays in that thread', async () => {
    const event = mention('my google voice port was rejected');
    await slack.event(event, { eventId: newEventId() });
    const offered = await choicesPostedIn(SUPPORT_CHANNEL, event.ts);
    const before = postsIn(SUPPORT_CHANNEL, event.ts).length;
    await slack.action(clickPayload(offered, choiceLabels(offered)[0]!, { user: CUSTOMER, responseUrl: fake.responseUrl }));
    await eventually(() => postsIn(SUPPORT_CHANNEL, event.ts).length > before, 'the answer in the thread');
    await eventually(() => fake.callsTo('chat.update').find((c) => c.params.ts === offered.response.ts), 'chat.update');
  });

  it('GIVEN a walkthrough in a thread WHEN the customer replies in the thread without a mention THEN the walkthrough continues there', async () => {
    const event = mention('our port was rejected because of a hunt group');
    await slack.event(event, { eventId: newEventId() });
    await eventually(() => textOf(postsIn(SUPPORT_CHANNEL, event.ts)).includes('Which numbers are you moving'), 'the first question');
    const before = postsIn(SUPPORT_CHANNEL, event.ts).length;
    const ts = newTs();
    await slack.event(
      { type: 'message', channel: SUPPORT_CHANNEL, channel_type: 'channel', user: CUSTOMER, text: '(312) 555-0147, (312) 555-0148', ts, event_ts: ts, thread_ts: event.ts },
      { eventId: newEventId() },
    );
    await eventually(() => textOf(postsIn(SUPPORT_CHANNEL, event.ts).slice(before)).includes('Which number is the pilot'), 'the next question in the thread');
  });

  it('GIVEN channel chatter (no mention, or a thread the bot is not in) THEN the bot stays quiet', async () => {
    const before = fake.callsTo('chat.postMessage').length;
    const plain = newTs();
    await slack.event(
      { type: 'message', channel: SUPPORT_CHANNEL, channel_type: 'channel', user: CUSTOMER, text: 'my port got rejected, hunt group', ts: plain, event_ts: plain },
      { eventId: newEventId() },
    );
    const reply = newTs();
    await slack.event(
      { type: 'message', channel: SUPPORT_CHANNEL, channel_type: 'channel', user: CUSTOMER, text: 'same here, a freeze', ts: reply, event_ts: reply, thread_ts: newTs() },
      { eventId: newEventId() },
    );
    // A DM afterwards is answered: by then the two events above have been handled (or ignored).
    const dm = directMessage('D0CHATTER', 'hello');
    await slack.event(dm, { eventId: newEventId() });
    await eventually(() => postsIn('D0CHATTER').length > 0, 'the DM answer');
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === SUPPORT_CHANNEL).length).toBe(
      fake
        .callsTo('chat.postMessage')
        .slice(0, before)
        .filter((c) => c.params.channel === SUPPORT_CHANNEL).length,
    );
  });

  it('GIVEN Slack retries an event (same event_id, then a new event_id for the same message) THEN the bot replies once', async () => {
    const event = mention('google voice rejected our port');
    await slack.event(event, { eventId: 'EvRetry0001' });
    await choicesPostedIn(SUPPORT_CHANNEL, event.ts);
    const answered = postsIn(SUPPORT_CHANNEL, event.ts).length;
    const duplicatesBefore = logger.lines.filter((l) => l.msg?.includes('already answered')).length;

    expect((await slack.event(event, { eventId: 'EvRetry0001', retryNum: 1 })).status).toBe(200);
    expect((await slack.event(event, { eventId: 'EvRetry0002', retryNum: 2 })).status).toBe(200);
    await eventually(() => logger.lines.filter((l) => l.msg?.includes('already answered')).length === duplicatesBefore + 2, 'both retries');
    expect(postsIn(SUPPORT_CHANNEL, event.ts).length).toBe(answered);
  });

  it('GIVEN <!channel>, <!here> and a user group in customer text THEN no broadcast mention is ever sent', async () => {
    const event = mention('<!channel> <!here> <!everyone> <!subteam^S0SUPPORT|@support> my google voice port was rejected');
    await slack.event(event, { eventId: newEventId() });
    await choicesPostedIn(SUPPORT_CHANNEL, event.ts);
    const sent = fake.everythingSent();
    for (const broadcast of ['<!channel', '<!here', '<!everyone', '<!subteam']) expect(sent).not.toContain(broadcast);
    expect(fake.calls.some((c) => 'link_names' in c.params || 'parse' in c.params)).toBe(false);
  });

  it('GIVEN a PIN in a shared channel THEN the warning is ephemeral to the author and the PIN is never sent or logged', async () => {
    const event = mention('the google voice number is locked for transfer; pin is 482913');
    await slack.event(event, { eventId: newEventId() });
    const warning = await eventually(() => ephemeralsIn(SUPPORT_CHANNEL, event.ts).find((c) => /never type a PIN/.test(c.params.text)), 'the ephemeral PIN warning');
    expect(warning.params.user).toBe(CUSTOMER);
    await eventually(() => ephemeralsIn(SUPPORT_CHANNEL, event.ts).find((c) => /delete it/.test(c.params.text)), 'the delete-your-message note');
    expect(textOf(postsIn(SUPPORT_CHANNEL, event.ts))).not.toMatch(/never type a PIN/);
    expect(fake.everythingSent()).not.toContain('482913');
    expect(JSON.stringify(logger.lines)).not.toContain('482913');
  });

  it('GIVEN an old button in a thread WHEN it is pressed THEN the presser gets an ephemeral note, the old buttons go, and the current options still work', async () => {
    const event = mention('my google voice port was rejected');
    await slack.event(event, { eventId: newEventId() });
    const old = await choicesPostedIn(SUPPORT_CHANNEL, event.ts);
    const before = postsIn(SUPPORT_CHANNEL, event.ts).length;
    // A new message in the thread moves the conversation on, so the first buttons are now old.
    await slack.event(mention('hello', { thread_ts: event.ts }), { eventId: newEventId() });
    await choicesPostedIn(SUPPORT_CHANNEL, event.ts, before);
    const postsAfterSecondTurn = postsIn(SUPPORT_CHANNEL, event.ts).length;

    await slack.action(clickPayload(old, choiceLabels(old)[0]!, { user: CUSTOMER, responseUrl: fake.responseUrl }));
    const note = await eventually(() => ephemeralsIn(SUPPORT_CHANNEL, event.ts).find((c) => /earlier question/.test(c.params.text)), 'the stale-button note');
    expect(note.params.user).toBe(CUSTOMER);
    const closed = await eventually(() => fake.callsTo('chat.update').find((c) => c.params.ts === old.response.ts), 'the old message update');
    expect(closed.params.text).toMatch(/no longer active/);
    expect(postsIn(SUPPORT_CHANNEL, event.ts).length).toBe(postsAfterSecondTurn);

    // The options offered again in the ephemeral note can be pressed; the ephemeral is replaced via its response URL.
    const reoffered = await eventually(() => ephemeralsIn(SUPPORT_CHANNEL, event.ts).find(hasChoices), 'the re-offered options');
    const responsesBefore = fake.callsTo('response_url').length;
    await slack.action(clickPayload(reoffered, choiceLabels(reoffered)[0]!, { user: CUSTOMER, responseUrl: fake.responseUrl }));
    const replaced = await eventually(
      () =>
        fake
          .callsTo('response_url')
          .slice(responsesBefore)
          .find((c) => c.params.replace_original === true),
      'the ephemeral replaced',
    );
    expect(replaced.params.text).toMatch(/^You chose: /);
    await eventually(() => postsIn(SUPPORT_CHANNEL, event.ts).length > postsAfterSecondTurn, 'the answer to the re-offered option');
  });

  it('GIVEN a button whose value is not ours THEN the presser gets a polite ephemeral note and nothing breaks', async () => {
    const event = mention('my google voice port was rejected');
    await slack.event(event, { eventId: newEventId() });
    const offered = await choicesPostedIn(SUPPORT_CHANNEL, event.ts);
    const responsesBefore = fake.callsTo('response_url').length;
    await slack.action(clickPayload(offered, choiceLabels(offered)[0]!, { user: CUSTOMER, responseUrl: fake.responseUrl, value: 'garbage<>value' }));
    const note = await eventually(() => fake.callsTo('response_url').slice(responsesBefore)[0], 'the ephemeral note');
    expect(note.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(note.params.text).toMatch(/couldn't read that button/);
    expect(fake.callsTo('chat.update').some((c) => c.params.ts === offered.response.ts)).toBe(false);
  });
});

describe('the /portpilot command', () => {
  it('GIVEN /portpilot start <reason id> in a channel THEN it is acknowledged before any work and answered in a new thread', async () => {
    const release = fake.hold('chat.postMessage');
    const res = await slack.command('start google_voice_unlock', { channel: 'C0COMMANDS', user: CUSTOMER });
    // The acknowledgement came back while every Slack call was still held: ack first, work after.
    expect(res.status).toBe(200);
    expect(postsIn('C0COMMANDS')).toHaveLength(0);
    release();

    const root = await eventually(() => postsIn('C0COMMANDS').find((p) => p.params.thread_ts === undefined), 'the thread root');
    expect(root.params.text).toContain(`<@${CUSTOMER}>`);
    expect(root.params.text).not.toContain('google');
    await choicesPostedIn('C0COMMANDS', root.response.ts);
    expect(textOf(postsIn('C0COMMANDS', root.response.ts))).toMatch(/Google Voice/);
  });

  it.each([
    ['help', /port order/i],
    ['restart', /start over/i],
    ['', /port order/i],
  ])('GIVEN /portpilot %s in a DM THEN the bot answers in the DM with options', async (text, expected) => {
    const channel = `D0CMD${nextTs++}`;
    expect((await slack.command(text, { channel, user: CUSTOMER })).status).toBe(200);
    const offered = await choicesPostedIn(channel);
    expect(offered.params.text).toMatch(expected);
  });

  it('GIVEN a conversation the bot cannot post in THEN the customer gets an ephemeral explanation', async () => {
    fake.failNext('chat.postMessage', 'not_in_channel');
    const responsesBefore = fake.callsTo('response_url').length;
    await slack.command('help', { channel: 'C0PRIVATE', user: CUSTOMER });
    const note = await eventually(() => fake.callsTo('response_url').slice(responsesBefore)[0], 'the explanation');
    expect(note.params).toMatchObject({ response_type: 'ephemeral' });
    expect(note.params.text).toMatch(/invite me/i);
  });
});

describe('App Home', () => {
  it('GIVEN a user opens the Home tab THEN a view explaining portpilot is published for them', async () => {
    await slack.event({ type: 'app_home_opened', user: CUSTOMER, channel: 'D0HOME', tab: 'home', event_ts: newTs() }, { eventId: newEventId() });
    const published = await fake.waitForCalls('views.publish', 1);
    expect(published[0]!.params.user_id).toBe(CUSTOMER);
    expect(published[0]!.params.view.type).toBe('home');
    expect(JSON.stringify(published[0]!.params.view)).toMatch(/port order/);
  });
});
