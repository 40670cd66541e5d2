/**
 * The channel contract: what a customer sees the same way on every channel, whatever the channel's SDK.
 * Each channel supplies a driver (test/contract/drivers.ts) that talks to the real bot through that
 * channel's real path (HTTP, the scripted terminal, the Slack or Discord SDK against a local fake) and
 * reports what the customer was shown. channels.test.ts runs this suite once per channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '../../src/handoff/case-store.js';
import type { ConversationStore } from '../../src/core/ports.js';
import { EN } from '../../src/dialogue/messages/en.js';

/** One message the customer was shown. */
export interface Shown {
  text: string;
  /** Labels of the choices it offered, in order. */
  choices: string[];
  /** Only the customer could see it (an ephemeral message), where the channel has such messages. */
  privately: boolean;
  /** Opaque: what the driver needs to press one of its choices later. */
  offer?: unknown;
}

export interface CustomerSession {
  /** The conversation's key in the bot (its state is stored under `conversation:<key>`). */
  conversationKey: string;
  say(text: string): Promise<Shown[]>;
  /** Presses the choice labelled `label` on the message `on` (an offer shown earlier). */
  press(on: Shown, label: string): Promise<Shown[]>;
  /** A staff command through the channel's staff entry point (or typed, where there is none), by this customer. */
  tryStaffCommand(command: string): Promise<Shown[]>;
  /** The same message delivered twice (a retry, a second instance): what the customer was shown in all. */
  sayDeliveredTwice?(text: string): Promise<Shown[]>;
}

export interface ChannelDriver {
  name: string;
  /** The session is in a place others can read (a channel thread): private replies must stay private. */
  publicPlace: boolean;
  /** Private messages exist on this channel (Slack and Discord ephemerals). */
  hasPrivateMessages: boolean;
  /** The channel can deliver one message twice (Slack retries, several instances on one Discord session). */
  deliversTwice: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  newCustomer(): Promise<CustomerSession>;
  store(): ConversationStore;
  setStoreDown(down: boolean): void;
  /** Everything the bot sent on the channel so far, as text, for "never sent" checks. */
  everythingSent(): string;
}

const texts = (shown: Shown[]) => shown.map((s) => s.text).join('\n');
const lastOffer = (shown: Shown[]) => {
  const offer = [...shown].reverse().find((s) => s.choices.length > 0);
  expect(offer, `an offer of choices in: ${texts(shown)}`).toBeDefined();
  return offer!;
};

export function channelContract(driver: ChannelDriver): void {
  describe(`channel contract: ${driver.name}`, () => {
    beforeAll(() => driver.start());
    afterAll(() => driver.stop());

    it('GIVEN a greeting THEN the bot introduces itself and says what it helps with', async () => {
      const customer = await driver.newCustomer();
      const shown = await customer.say('hello');
      expect(shown.length).toBeGreaterThan(0);
      expect(texts(shown)).toMatch(/port/i);
      expect(texts(shown)).not.toContain(EN.internalError);
    });

    it('GIVEN a rejection with buttons WHEN the customer presses one THEN the walkthrough goes on from that answer', async () => {
      const customer = await driver.newCustomer();
      const offer = lastOffer(await customer.say('my port was rejected, google voice says the number is locked'));
      const next = await customer.press(offer, offer.choices[0]!);
      expect(next.length).toBeGreaterThan(0);
      expect(texts(next)).not.toContain(EN.staleChoice);
      expect(texts(next)).not.toContain(EN.unknownChoice);
      expect(texts(next)).not.toBe(offer.text);
    });

    it(`GIVEN a button of an earlier question WHEN pressed THEN the bot says it is old${driver.hasPrivateMessages ? ', to the presser alone,' : ''} and where things stand`, async () => {
      const customer = await driver.newCustomer();
      const first = lastOffer(await customer.say('my port was rejected, google voice says the number is locked'));
      // The customer types instead of pressing, which moves the conversation on, then presses the old offer.
      await customer.say('start over');
      const again = await customer.press(first, first.choices[0]!);
      expect(texts(again)).toContain(EN.staleChoice);
      if (driver.hasPrivateMessages && driver.publicPlace) expect(again.every((s) => s.privately)).toBe(true);
    });

    it('GIVEN a PIN typed THEN the customer is warned and the PIN is in nothing the bot sent or stored', async () => {
      const customer = await driver.newCustomer();
      const shown = await customer.say('verizon rejected it, my transfer pin is 482913');
      expect(texts(shown)).toMatch(/PIN/);
      expect(driver.everythingSent()).not.toContain('482913');
      expect(JSON.stringify(await driver.store().get(`conversation:${customer.conversationKey}`))).toMatch(/\w/);
      expect(JSON.stringify(await driver.store().get(`conversation:${customer.conversationKey}`))).not.toContain('482913');
    });

    it('GIVEN @everyone, @here and <!channel> typed THEN nothing the bot sends can reach everyone', async () => {
      const customer = await driver.newCustomer();
      await customer.say('@everyone @here <!channel> my port was rejected, the account is frozen');
      expect(driver.everythingSent()).not.toMatch(/(?<![`\u200b])@(everyone|here)\b|<!(channel|everyone|here)>/);
    });

    it('GIVEN a case waiting for staff WHEN a customer tries a staff command THEN it is refused and the case stays unclaimed', async () => {
      const customer = await driver.newCustomer();
      const asked = await customer.say('I want to talk to a human please');
      const caseId = /\bC-[0-9A-Z]{4,}\b/.exec(texts(asked))?.[0];
      expect(caseId, `a case id in: ${texts(asked)}`).toBeDefined();
      const tried = await customer.tryStaffCommand(`claim ${caseId}`);
      expect(tried.length).toBeGreaterThan(0);
      const cases = createCaseStore(driver.store());
      expect((await cases.get(caseId!))?.claimedBy ?? null).toBeNull();
    });

    it('GIVEN the store is down THEN the customer is told so politely, and once it is back the conversation goes on', async () => {
      const customer = await driver.newCustomer();
      driver.setStoreDown(true);
      let shown: Shown[];
      try {
        shown = await customer.say('my port was rejected because of a freeze on the account');
      } finally {
        driver.setStoreDown(false);
      }
      expect(texts(shown)).toContain(EN.storeDown);
      const back = await customer.say('my port was rejected because of a freeze on the account');
      expect(texts(back)).toMatch(/freeze/i);
    });

    if (!driver.deliversTwice) return;
    it('GIVEN the same message delivered twice THEN it is answered once', async () => {
      const customer = await driver.newCustomer();
      const once = await customer.say('hello');
      const twice = await customer.sayDeliveredTwice!('my port got rejected because of a freeze on the account');
      expect(once.length).toBeGreaterThan(0);
      const freezeAnswers = twice.filter((s) => /freeze/i.test(s.text));
      expect(freezeAnswers.length).toBeGreaterThan(0);
      // One turn's replies, not two: no reply is shown twice.
      expect(new Set(twice.map((s) => s.text)).size).toBe(twice.length);
    });
  });
}
