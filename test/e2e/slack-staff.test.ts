/**
 * Staff handoff on Slack end to end: `startPortpilot` with a real Bolt App, a local fake Slack Web API
 * and signed requests. A customer asks for a person in a thread; the case appears in the staff channel
 * with a Claim button; staff claim, reply, hand back and close with `/portpilot-staff`; the customer's
 * words on a claimed case reach the claimer's DM. Nothing leaves 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickPayload, dmWith, nextTriggerId, FAKE_BOT_USER_ID, type FakeSlackApi, type RecordedCall, type SlackSender } from '../fakes/fake-slack-api.js';
import { eventually as waitFor, startWithFakeSlack, type LogLine, type WithFakeSlack } from '../helpers/start-with-fakes.js';

const CUSTOMER = 'U0CUSTOMER';
const SUPPORT_CHANNEL = 'C0SUPPORT';
const STAFF_CHANNEL = 'C0STAFF';
const STAFF_GROUP = 'S0STAFFGRP';
const GROUP_MEMBER = 'U0GROUPIE';
/** Staff by user id; each test claims with its own, so "mine" always names one case. */
const STAFF = ['U0STAFFA', 'U0STAFFB', 'U0STAFFC', 'U0STAFFD', 'U0STAFFE', 'U0STAFFF', 'U0STAFFG'] as const;

let bot: WithFakeSlack;
let fake: FakeSlackApi;
let slack: SlackSender;
let logLines: LogLine[];
let nextTs = 500;

beforeAll(async () => {
  bot = await startWithFakeSlack(
    {
      PORTPILOT_STAFF_SLACK_USER_IDS: STAFF.join(','),
      PORTPILOT_STAFF_SLACK_USERGROUP_IDS: STAFF_GROUP,
      PORTPILOT_STAFF_SLACK_CHANNEL: STAFF_CHANNEL,
    },
    (fake) => {
      fake.usergroups = { [STAFF_GROUP]: [GROUP_MEMBER, 'U0SOMEONE'] };
    },
  );
  ({ fake, slack } = bot);
  logLines = bot.logger.lines;
});

afterAll(async () => {
  await bot?.stop();
});

const newTs = () => `1790001${String(++nextTs).padStart(3, '0')}.000100`;
const newEventId = () => `EvStaff${String(++nextTs).padStart(6, '0')}`;

const postsIn = (channel: string, threadTs?: string) =>
  fake.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && (threadTs === undefined || c.params.thread_ts === threadTs));
const textOf = (calls: RecordedCall[]) => calls.map((c) => `${c.params.text}\n${JSON.stringify(c.params.blocks ?? [])}`).join('\n');
const hasButtons = (call: RecordedCall) => (call.params.blocks ?? []).some((b: any) => b.type === 'actions');

/** Polls until `check` holds, then returns its value; a timeout lists the Web API calls made. */
const eventually = <T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> =>
  waitFor(check, what, () => `calls: ${fake.calls.map((c) => c.method).join(', ')}`, timeoutMs);

/** The customer mentions portpilot in the support channel; the answer goes to a thread under `root`. */
async function customerMentions(text: string): Promise<string> {
  const root = newTs();
  await slack.event({ type: 'app_mention', channel: SUPPORT_CHANNEL, user: CUSTOMER, text: `<@${FAKE_BOT_USER_ID}> ${text}`, ts: root, event_ts: root }, { eventId: newEventId() });
  return root;
}

/** The customer writes in their thread without a mention. */
async function customerWritesInThread(thread: string, text: string): Promise<void> {
  const ts = newTs();
  await slack.event({ type: 'message', channel: SUPPORT_CHANNEL, channel_type: 'channel', user: CUSTOMER, text, ts, event_ts: ts, thread_ts: thread }, { eventId: newEventId() });
}

/** `/portpilot-staff <text>` from `user`; resolves with the ephemeral answer sent to the response URL. */
async function staffCommand(text: string, user: string, userName = 'dana'): Promise<RecordedCall> {
  const before = fake.callsTo('response_url').length;
  const res = await slack.command(text, { channel: 'C0ANYWHERE', user, userName, command: '/portpilot-staff' });
  expect(res.status).toBe(200);
  return eventually(() => fake.callsTo('response_url')[before], `the answer to /portpilot-staff ${text}`);
}

/** A customer asks for a person in a new thread; resolves with the thread, the case id and its staff-channel notice. */
async function escalateInThread(): Promise<{ thread: string; caseId: string; notice: RecordedCall }> {
  const thread = await customerMentions('I want to talk to a person');
  const opened = await eventually(() => postsIn(SUPPORT_CHANNEL, thread).find((p) => /opened case C-/.test(p.params.text)), 'the case opened in the thread');
  const caseId = /case (C-[A-Z0-9]+)/.exec(opened.params.text)![1]!;
  const notice = await eventually(() => postsIn(STAFF_CHANNEL).find((p) => String(p.params.text).includes(caseId)), `the notice for ${caseId}`);
  return { thread, caseId, notice };
}

/** `user` presses Claim on a case notice; resolves with the ephemeral answer to the click. */
async function clickClaim(notice: RecordedCall, user: string, userName = 'dana'): Promise<RecordedCall> {
  const before = fake.callsTo('response_url').length;
  const res = await slack.action(clickPayload(notice, 'Claim', { user, userName, responseUrl: fake.responseUrl }));
  expect(res.status).toBe(200);
  return eventually(() => fake.callsTo('response_url')[before], 'the answer to the Claim click');
}

/** Escalates in a thread and has `staff` claim it with the button. */
async function claimedCase(staff: string, name: string) {
  const escalated = await escalateInThread();
  await clickClaim(escalated.notice, staff, name);
  await eventually(() => postsIn(SUPPORT_CHANNEL, escalated.thread).find((p) => /has joined/.test(p.params.text)), 'the joined message');
  return escalated;
}

describe('a new case in the staff channel', () => {
  it('GIVEN a customer in a thread asks for a person THEN the case is posted in the staff channel with a Claim button carrying its id', async () => {
    const { caseId, notice } = await escalateInThread();
    expect(notice.params.thread_ts).toBeUndefined();
    expect(notice.params.text).toMatch(new RegExp(`New case ${caseId} from slack`));
    const actions = notice.params.blocks.find((b: any) => b.type === 'actions');
    expect(actions.elements).toEqual([
      expect.objectContaining({ type: 'button', action_id: 'portpilot_staff_claim', value: `ppclaim1:${caseId}`, text: expect.objectContaining({ text: 'Claim' }) }),
    ]);
    expect(textOf([notice])).toContain(`/portpilot-staff claim ${caseId}`);
  });
});

describe('the Claim button', () => {
  it('GIVEN a case notice WHEN a staff member clicks Claim THEN the notice shows who claimed it and the customer hears that a person has joined', async () => {
    const { thread, caseId, notice } = await escalateInThread();
    const answer = await clickClaim(notice, STAFF[0], 'dana');
    expect(answer.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.params.text).toMatch(new RegExp(`You have claimed ${caseId}`));

    const update = await eventually(() => fake.callsTo('chat.update').find((c) => c.params.ts === notice.response.ts), 'the notice update');
    expect(update.params.channel).toBe(STAFF_CHANNEL);
    expect(hasButtons(update)).toBe(false);
    expect(textOf([update])).toContain(`Claimed by <@${STAFF[0]}>`);
    expect(textOf([update])).not.toContain('/portpilot-staff claim');

    const joined = await eventually(() => postsIn(SUPPORT_CHANNEL, thread).find((p) => /has joined/.test(p.params.text)), 'the joined message');
    expect(joined.params.text).toMatch(new RegExp(`^dana from .* has joined \\(case ${caseId}\\)`));
  });

  it('GIVEN a claimed case WHEN another staff member clicks Claim THEN only they are told it is taken and the notice is not changed again', async () => {
    const { notice } = await claimedCase(STAFF[1], 'sam');
    const updates = fake.callsTo('chat.update').filter((c) => c.params.ts === notice.response.ts).length;
    const answer = await clickClaim(notice, STAFF[2], 'kim');
    expect(answer.params.text).toMatch(new RegExp(`already claimed by slack:${STAFF[1]}`));
    expect(fake.callsTo('chat.update').filter((c) => c.params.ts === notice.response.ts).length).toBe(updates);
  });

  it('GIVEN a case notice WHEN a customer clicks Claim THEN they get the polite refusal privately and nothing changes', async () => {
    const { thread, notice } = await escalateInThread();
    const threadPosts = postsIn(SUPPORT_CHANNEL, thread).length;
    const answer = await clickClaim(notice, CUSTOMER, 'customer');
    expect(answer.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.params.text).toMatch(/only for the support team/);
    expect(fake.callsTo('chat.update').some((c) => c.params.ts === notice.response.ts)).toBe(false);
    expect(postsIn(SUPPORT_CHANNEL, thread).length).toBe(threadPosts);
  });

  it('GIVEN a Claim button whose value is not ours THEN the clicker gets a polite note and nothing is claimed', async () => {
    const { notice } = await escalateInThread();
    const before = fake.callsTo('response_url').length;
    await slack.action(clickPayload(notice, 'Claim', { user: STAFF[0], responseUrl: fake.responseUrl, value: 'ppclaim1:not a case' }));
    const note = await eventually(() => fake.callsTo('response_url')[before], 'the note');
    expect(note.params.text).toMatch(/couldn't read that button/);
    expect(fake.callsTo('chat.update').some((c) => c.params.ts === notice.response.ts)).toBe(false);
  });
});

describe('while a case is claimed', () => {
  it('GIVEN a claimed case WHEN the customer writes in the thread THEN the claimer gets it by DM, the bot says nothing there, and a staff reply reaches the thread', async () => {
    const staff = STAFF[3];
    const { thread, caseId } = await claimedCase(staff, 'lee');
    const threadBefore = postsIn(SUPPORT_CHANNEL, thread).length;

    await customerWritesInThread(thread, 'hello? <!channel> can someone split my order?');
    const relayed = await eventually(() => postsIn(dmWith(staff)).find((p) => String(p.params.text).includes('split my order')), 'the relay to the DM');
    expect(fake.callsTo('conversations.open').some((c) => c.params.users === staff)).toBe(true);
    expect(relayed.params.text).toContain(`${caseId}, customer:`);
    expect(relayed.params.text).not.toMatch(/@channel/);
    expect(fake.everythingSent()).not.toContain('<!channel');

    const answer = await staffCommand(`reply mine We'll split it into two orders.`, staff, 'lee');
    expect(answer.params.text).toMatch(/Sent to the customer/);
    await eventually(() => postsIn(SUPPORT_CHANNEL, thread).length > threadBefore, 'the staff reply in the thread');
    // The only message in the thread since the customer wrote is the staff reply: the bot stayed silent.
    expect(
      postsIn(SUPPORT_CHANNEL, thread)
        .slice(threadBefore)
        .map((p) => p.params.text),
    ).toEqual(["We'll split it into two orders."]);
  });

  it('GIVEN a staff reply command WHEN the same signed command is replayed (same trigger_id) THEN the customer gets the reply once', async () => {
    const staff = STAFF[3];
    const { thread, caseId } = await claimedCase(staff, 'lee');
    const threadBefore = postsIn(SUPPORT_CHANNEL, thread).length;
    const triggerId = nextTriggerId();
    const send = () => slack.command(`reply ${caseId} Your new order is in.`, { channel: 'C0ANYWHERE', user: staff, userName: 'lee', command: '/portpilot-staff', triggerId });
    expect((await send()).status).toBe(200);
    await eventually(() => postsIn(SUPPORT_CHANNEL, thread).length > threadBefore, 'the staff reply in the thread');
    expect((await send()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      postsIn(SUPPORT_CHANNEL, thread)
        .slice(threadBefore)
        .map((p) => p.params.text),
    ).toEqual(['Your new order is in.']);
  });

  it('GIVEN a claimed case WHEN the customer types a PIN THEN the claimer gets it redacted and the PIN is never sent anywhere', async () => {
    const staff = STAFF[4];
    const { thread } = await claimedCase(staff, 'ari');
    const threadBefore = postsIn(SUPPORT_CHANNEL, thread).length;
    await customerWritesInThread(thread, 'my pin is 4821 if you need it');
    const relayed = await eventually(() => postsIn(dmWith(staff)).find((p) => String(p.params.text).includes('if you need it')), 'the relay');
    expect(relayed.params.text).toContain('[redacted]');
    // The customer alone is warned (ephemeral); nothing is posted in the thread.
    await eventually(() => fake.callsTo('chat.postEphemeral').find((c) => c.params.thread_ts === thread && /never type a PIN/.test(c.params.text)), 'the private warning');
    expect(postsIn(SUPPORT_CHANNEL, thread).length).toBe(threadBefore);
    expect(fake.everythingSent()).not.toContain('4821');
    expect(JSON.stringify(logLines)).not.toContain('4821');
  });

  it('GIVEN a claimed case WHEN staff hand it back THEN the bot resumes in the thread and answers the customer again', async () => {
    const staff = STAFF[5];
    const { thread, caseId } = await claimedCase(staff, 'jo');
    const threadBefore = postsIn(SUPPORT_CHANNEL, thread).length;
    const answer = await staffCommand('handback mine', staff, 'jo');
    expect(answer.params.text).toBe(`Handed ${caseId} back to the bot.`);
    const resumed = await eventually(() => postsIn(SUPPORT_CHANNEL, thread).slice(threadBefore).find(hasButtons), 'the menu in the thread');
    expect(textOf(postsIn(SUPPORT_CHANNEL, thread).slice(threadBefore))).toMatch(/You're back with portpilot/);
    expect(resumed.params.text).toMatch(/Which one did you get/);

    // The bot answers the customer's next message in the thread itself again.
    const before = postsIn(SUPPORT_CHANNEL, thread).length;
    await customerWritesInThread(thread, 'my google voice port was rejected');
    await eventually(() => /Google Voice/.test(textOf(postsIn(SUPPORT_CHANNEL, thread).slice(before))), 'the bot answering again');
  });

  it('GIVEN a case claimed with /portpilot-staff claim WHEN staff close it with a resolution THEN the notice loses its Claim button and the customer is told in the thread', async () => {
    const staff = STAFF[6];
    const { thread, caseId, notice } = await escalateInThread();
    const claimed = await staffCommand(`claim ${caseId.toLowerCase()}`, staff);
    expect(claimed.params.text).toMatch(new RegExp(`You have claimed ${caseId}`));
    // The case's notice loses its Claim button as if it had been clicked.
    const update = await eventually(() => fake.callsTo('chat.update').find((c) => c.params.ts === notice.response.ts), 'the notice update');
    expect(update.params.channel).toBe(STAFF_CHANNEL);
    expect(hasButtons(update)).toBe(false);
    expect(textOf([update])).toContain(`Claimed by <@${staff}>`);
    await eventually(() => postsIn(SUPPORT_CHANNEL, thread).find((p) => /has joined/.test(p.params.text)), 'the joined message');

    const closed = await staffCommand('close mine split into two orders', staff);
    expect(closed.params.text).toBe(`Closed ${caseId}: split into two orders`);
    const told = await eventually(() => postsIn(SUPPORT_CHANNEL, thread).find((p) => /is closed/.test(p.params.text)), 'the closing message');
    expect(told.params.text).toMatch(new RegExp(`Your case ${caseId} is closed: split into two orders`));
    const shown = await staffCommand(`show ${caseId}`, staff);
    expect(shown.params.text).toMatch(/closed/);
  });
});

describe('/portpilot-staff', () => {
  it('GIVEN a customer WHEN they run /portpilot-staff queue THEN only they see the polite refusal', async () => {
    const postsBefore = fake.callsTo('chat.postMessage').length;
    const answer = await staffCommand('queue', CUSTOMER, 'customer');
    expect(answer.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.params.text).toMatch(/only for the support team/);
    expect(fake.callsTo('chat.postMessage').length).toBe(postsBefore);
    expect(logLines.some((l) => l.msg === 'staff command refused: not staff' && (l.obj as { actor?: string }).actor === CUSTOMER)).toBe(true);
  });

  it('GIVEN a member of the staff user group THEN they are staff, and the group is read at most once a minute', async () => {
    const reads = () => fake.callsTo('usergroups.users.list').filter((c) => c.params.usergroup === STAFF_GROUP).length;
    await staffCommand('stats', GROUP_MEMBER, 'pat');
    const readsAfterFirst = reads();
    expect(readsAfterFirst).toBeGreaterThan(0);
    const queue = await staffCommand('queue', GROUP_MEMBER, 'pat');
    expect(queue.params.text).toMatch(/Open cases \(\d+\), oldest first/);
    expect(reads()).toBe(readsAfterFirst);
  });

  it('GIVEN /portpilot-staff THEN Slack gets its acknowledgement before the answer is sent', async () => {
    const release = fake.hold('response_url');
    const before = fake.callsTo('response_url').length;
    const res = await slack.command('queue', { channel: 'C0ANYWHERE', user: STAFF[1], userName: 'sam', command: '/portpilot-staff' });
    expect(res.status).toBe(200);
    expect(fake.callsTo('response_url').length).toBe(before);
    release();
    await eventually(() => fake.callsTo('response_url')[before], 'the answer');
  });

  it('GIVEN /portpilot-staff with no command THEN staff get the list of commands', async () => {
    const answer = await staffCommand('', STAFF[1], 'sam');
    expect(answer.params.text).toMatch(/^Staff commands/);
    // Escaped for mrkdwn, so Slack shows "<case>" literally.
    expect(textOf([answer])).toMatch(/handback &lt;case&gt;/);
  });
});
