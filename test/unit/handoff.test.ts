/**
 * Staff handoff through the real bot: escalation triggers, the case file, every staff command (and its
 * refusal for a customer), relay both ways while claimed, handback, close, and one winner per claim.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import type { StaffNotice } from '../../src/core/ports.js';
import { replyToText, type Reply, type TurnResult } from '../../src/core/types.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { composeTestBot, silentLogger } from '../helpers/compose-test-bot.js';

const STAFF = 'U0STAFF01';
const OTHER_STAFF = 'U0STAFF02';
const env = { PORTPILOT_STAFF_SLACK_USER_IDS: `${STAFF},${OTHER_STAFF}` };

function setUp(store = openStore({ url: 'memory://', logger: silentLogger })) {
  const composition = composeTestBot({ store, env });
  const toCustomer: Array<{ key: string; text: string; choices: Array<{ id: string; label: string }> }> = [];
  const toStaff: StaffNotice[] = [];
  composition.outbox.register('slack', {
    async toConversation(key, replies) {
      for (const r of replies) toCustomer.push({ key, text: replyToText(r), choices: r.kind === 'choices' ? r.choices : [] });
    },
    async toStaff(notice) {
      toStaff.push(notice);
    },
  });
  const customer = (key: string, body: { text?: string; choice?: string }) =>
    composition.bot.handle({ channel: 'slack', conversationKey: key, actor: { id: 'U0CUSTOMER' }, ...body });
  const staff = (text: string, id = STAFF) => composition.bot.staff({ channel: 'slack', actor: { id, displayName: id === STAFF ? 'Dana' : 'Sam' }, text });
  return { ...composition, toCustomer, toStaff, customer, staff };
}

const textOf = (result: { replies: Reply[] }) => result.replies.map(replyToText).join('\n');
const choiceId = (result: TurnResult, label: string) =>
  (result.replies.flatMap((r: Reply) => (r.kind === 'choices' ? r.choices : [])).find((c) => c.label === label) ?? { id: 'missing' }).id;

describe('escalation triggers', () => {
  it('GIVEN a customer who asks for a person THEN a case opens and staff are told', async () => {
    const s = setUp();
    const result = await s.customer('slack:T1:C1:1.1', { text: 'I want to talk to a real person' });
    expect(result.escalation?.id).toMatch(/^C-[A-Z0-9]{6}$/);
    expect(textOf(result)).toMatch(new RegExp(`opened case ${result.escalation!.id}`));
    expect(s.toStaff[0]).toMatchObject({ kind: 'case_opened', caseId: result.escalation!.id });
  });

  it('GIVEN a reason only guessed WHEN the customer asks for a person THEN the case marks it suspected, not confirmed, and keeps the facts given', async () => {
    const s = setUp();
    await s.customer('slack:T1:C1:1.9', { text: 'port got rejected, something to do with the lines i think. Verizon, order PON 4471' });
    const result = await s.customer('slack:T1:C1:1.9', { text: 'I want to talk to a real person' });
    const show = textOf(await s.staff(`show ${result.escalation!.id}`));
    expect(show).toMatch(/Reasons: \w+ \(suspected, not confirmed\)/);
    expect(show).toMatch(/Facts: .*carrier = verizon/);
    expect(show).toMatch(/orders = 4471/);
    expect(s.toStaff[0]!.text).toMatch(/\(suspected\)/);
  });

  it('GIVEN a customer who writes in Spanish WHEN they ask for a person in Spanish THEN the case is marked es for staff', async () => {
    const s = setUp();
    await s.customer('slack:T1:C1:1.8', { text: 'Hola, rechazaron la portabilidad de mi número porque la cuenta tiene un saldo pendiente' });
    const result = await s.customer('slack:T1:C1:1.8', { text: 'necesito hablar con una persona' });
    expect(result.escalation).not.toBeNull();
    expect(textOf(await s.staff(`show ${result.escalation!.id}`))).toMatch(/writes in Spanish \(es\)/);
    expect(s.toStaff[0]!.text).toMatch(/customer writes in Spanish: es/);
  });

  it('GIVEN a walkthrough step that needs staff THEN a case opens with that step as the blocker', async () => {
    const s = setUp();
    const first = await s.customer('slack:T1:C1:1.2', { text: 'port rejected, the numbers are on two different accounts' });
    const result = await s.customer('slack:T1:C1:1.2', { choice: choiceId(first, 'No, several accounts') });
    expect(result.escalation).not.toBeNull();
    const show = await s.staff(`show ${result.escalation!.id}`);
    expect(textOf(show)).toMatch(/because: Your numbers sit on more than one account: .*separate orders/i);
  });

  it('GIVEN three messages the bot cannot understand THEN a case opens', async () => {
    const s = setUp();
    let result: TurnResult | undefined;
    for (const text of ['zxqv blorp', 'qwertyuiop asdf', 'mmmm hmmm zzz']) result = await s.customer('slack:T1:C1:1.3', { text });
    expect(result!.escalation).not.toBeNull();
  });

  it('GIVEN clear frustration THEN the bot apologises and a case opens', async () => {
    const s = setUp();
    const result = await s.customer('slack:T1:C1:1.4', { text: 'this is useless!!! worst support ever, my hunt group port got rejected' });
    expect(textOf(result)).toMatch(/sorry this has been so frustrating/i);
    expect(result.escalation).not.toBeNull();
  });

  it('GIVEN a case already open WHEN the customer asks again THEN no second case opens', async () => {
    const s = setUp();
    const first = await s.customer('slack:T1:C1:1.5', { text: 'talk to a person please' });
    const again = await s.customer('slack:T1:C1:1.5', { text: 'can I talk to a human' });
    expect(again.escalation?.id).toBe(first.escalation?.id);
    expect(textOf(again)).toMatch(/already with our team/);
    expect(s.toStaff.filter((n) => n.kind === 'case_opened')).toHaveLength(1);
  });
});

describe('the case file', () => {
  it('holds the reasons, answers, steps, summary and a transcript with secrets redacted', async () => {
    const s = setUp();
    const key = 'slack:T1:C1:2.1';
    await s.customer(key, { text: 'rejected: hunt group, the pilot number is on the order' });
    await s.customer(key, { text: '(312) 555-0147, (312) 555-0148' });
    await s.customer(key, { text: 'my pin is 4821 by the way' });
    const escalated = await s.customer(key, { text: 'I want to talk to a person' });
    const file = textOf(await s.staff(`show ${escalated.escalation!.id}`));
    expect(file).toMatch(/Reasons: hunt_group/);
    expect(file).toMatch(/porting = \(312\) 555-0147, \(312\) 555-0148/);
    expect(file).toMatch(/Steps done \(hunt_group\): porting/);
    expect(file).toMatch(/customer: my pin is \[redacted\] by the way/);
    expect(file).not.toContain('4821');
  });
});

describe('staff commands', () => {
  it.each(['queue', 'stats', 'show next', 'claim next', 'reply mine hello', 'note mine x', 'handback mine', 'close mine done'])(
    'refuses "%s" from a customer, politely',
    async (command) => {
      const s = setUp();
      await s.customer('slack:T1:C1:3.0', { text: 'talk to a person' });
      const result = await s.staff(command, 'U0CUSTOMER');
      expect(textOf(result)).toMatch(/only for the support team/);
      expect(s.toCustomer).toHaveLength(0);
    },
  );

  it('GIVEN a claimed case THEN the bot is quiet, relays both ways, and handback resumes the walkthrough', async () => {
    const s = setUp();
    const key = 'slack:T1:C1:3.1';
    await s.customer(key, { text: 'rejected because of a hunt group' });
    await s.customer(key, { text: '(312) 555-0147, (312) 555-0148' });
    const escalated = await s.customer(key, { text: 'can I speak to someone' });
    const id = escalated.escalation!.id;

    const queue = textOf(await s.staff('queue'));
    expect(queue).toContain(id);
    const claim = await s.staff(`claim ${id}`);
    expect(textOf(claim)).toMatch(/You have claimed/);
    expect(s.toCustomer.at(-1)!.text).toMatch(/Dana .* has joined/);

    const quiet = await s.customer(key, { text: 'the pilot is the first one' });
    expect(quiet.replies).toHaveLength(0);
    expect(quiet.escalation?.id).toBe(id);
    expect(s.toStaff.at(-1)).toMatchObject({ kind: 'customer_message', to: { channel: 'slack', staffId: STAFF } });
    expect(s.toStaff.at(-1)!.text).toMatch(/the pilot is the first one/);

    await s.staff(`reply ${id} Thanks, I will sort out the pilot with the carrier.`);
    expect(s.toCustomer.at(-1)).toEqual({ key, text: 'Thanks, I will sort out the pilot with the carrier.', choices: [] });
    await s.staff(`reply ${id} @everyone <!channel> done`);
    expect(s.toCustomer.at(-1)!.text).not.toMatch(/@everyone|<!channel>/);

    expect(textOf(await s.staff(`reply ${id} hi`, OTHER_STAFF))).toMatch(/claimed by slack:U0STAFF01/);
    expect(textOf(await s.staff(`note ${id} carrier ticket 123`))).toMatch(/Note added/);

    await s.staff(`handback ${id}`);
    const delivered = s.toCustomer
      .slice(-2)
      .map((d) => d.text)
      .join('\n');
    expect(delivered).toMatch(/back with portpilot/);
    expect(delivered).toMatch(/Which number is the pilot/);
    const next = await s.customer(key, { text: '(312) 555-0147' });
    expect(next.flow).toBe('hunt_group');
    expect(textOf(next)).toMatch(/Do any lines of the hunt group stay/);
  });

  it('GIVEN a case WHEN it is closed THEN the resolution is recorded and the customer told', async () => {
    const s = setUp();
    const key = 'slack:T1:C1:3.2';
    const escalated = await s.customer(key, { text: 'I need a human' });
    const id = escalated.escalation!.id;
    await s.staff('claim next');
    await s.staff('close mine split into two orders by phone');
    expect(s.toCustomer.at(-2)!.text).toMatch(/closed: split into two orders by phone/);
    const file = textOf(await s.staff(`show ${id}`));
    expect(file).toMatch(/Resolution: split into two orders by phone/);
    expect(file).toMatch(/slack:U0STAFF01 closed/);
    // The case is over: one tap on whether the team helped, taken once and counted.
    const rating = s.toCustomer.at(-1)!;
    expect(rating.text).toMatch(/Did our team help/);
    await s.customer(key, { choice: rating.choices.find((c) => c.label === 'This helped')!.id });
    expect((await s.outcomes.report()).satisfaction).toEqual({ helpful: 1, not_helpful: 0 });
    const stats = textOf(await s.staff('stats'));
    expect(stats).toMatch(/Closed today: 1/);
    // The short outcome report: the hand-off counted once, no walkthrough, the one rating given above.
    expect(stats).toMatch(/Walkthroughs: 0 reasons recognised, 0 fix summaries given \(0 confirmed fixed\), 1 handed to a person, 0 left before the end/);
    expect(stats).toMatch(/Rated helpful: 1 of 1/);
    const after = await s.customer(key, { text: 'hi again' });
    expect(after.replies.length).toBeGreaterThan(0);
  });

  it('GIVEN two instances sharing a store WHEN two staff claim the same case at once THEN exactly one wins', async () => {
    const url = `sqlite://${join(mkdtempSync(join(tmpdir(), 'portpilot-claim-')), 'state.sqlite')}`;
    const a = setUp(openStore({ url, logger: silentLogger }));
    const b = setUp(openStore({ url, logger: silentLogger }));
    const escalated = await a.customer('slack:T1:C1:4.1', { text: 'please get me a person' });
    const id = escalated.escalation!.id;
    const results = await Promise.all([a.staff(`claim ${id}`, STAFF), b.staff(`claim ${id}`, OTHER_STAFF)]);
    const texts = results.map(textOf);
    expect(texts.filter((t) => /You have claimed/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /already claimed/.test(t))).toHaveLength(1);
    await a.store.close();
    await b.store.close();
  });

  it('GIVEN nobody claims a case in time THEN the customer is told what to expect, once, without writing again', async () => {
    const store = openStore({ url: 'memory://', logger: silentLogger });
    let now = new Date('2026-11-26T12:00:00Z');
    const composition = compose(loadConfig({ PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'silent', PORTPILOT_CLAIM_TIMEOUT_MINUTES: '15', ...env }), {
      logger: silentLogger,
      clock: { now: () => now },
      store,
    });
    const delivered: string[] = [];
    composition.outbox.register('slack', {
      async toConversation(_key, replies) {
        delivered.push(...replies.map(replyToText));
      },
    });
    await composition.bot.handle({ channel: 'slack', conversationKey: 'slack:T1:C1:5.1', actor: { id: 'U0CUSTOMER' }, text: 'let me talk to a person' });
    expect(await composition.handoff.sweepUnclaimed()).toBe(0);
    now = new Date(now.getTime() + 16 * 60_000);
    expect(await composition.handoff.sweepUnclaimed()).toBe(1);
    expect(delivered.join('\n')).toMatch(/Nobody from .* has picked up case C-\w+ yet.*Monday to Friday/);
    expect(await composition.handoff.sweepUnclaimed()).toBe(0);
  });
});
