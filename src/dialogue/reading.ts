/**
 * Presenting what the bot read in a notice, honestly. One reason read surely starts its walkthrough.
 * Several reasons, or reasons that are only possible, are said back ("I read two problems: ... Right?")
 * with a way to correct them. Below the calibrated confidence the bot never says "rejected because": it
 * says what it might be and asks, with "it's something else" and "I don't know what it says" paths.
 */
import type { WrongField } from '../content/schema.js';
import type { NoticeFacts } from '../nlu/notice-facts.js';
import type { NoticeReading } from '../nlu/notice-reader.js';
import type { Language } from './messages/index.js';
import { markSuspected, offerMenu, type TurnContext } from './turn-context.js';
import { startChecklist } from './walkthrough.js';

export function presentReading(ctx: TurnContext, reading: NoticeReading): void {
  const sure = reading.reasons.filter((r) => r.sure).map((r) => r.intent as string);
  const unsure = [...new Set([...reading.reasons.filter((r) => !r.sure), ...reading.possible].map((r) => r.intent as string))];
  const known = describeFacts(ctx, reading.facts);
  ctx.state.misses = 0;

  // One reason read surely: start at once; the walkthrough says which of its questions the facts answered.
  if (sure.length === 1 && unsure.length === 0) return startChecklist(ctx, sure, 'read');

  ctx.state.pendingReading = { reasons: sure, possible: unsure };
  markSuspected(ctx, unsure);
  const list = (ids: string[]) => ids.map((id, i) => `${i + 1}. ${ctx.titleOf(id)}`).join('\n');
  const factsLine = known ? `\n${ctx.say('factsRead', { facts: known })}` : '';

  if (sure.length > 0) {
    const maybe = unsure.length > 0 ? `\n${ctx.say('alsoPossibly', { titles: unsure.map((id) => ctx.titleOf(id)).join('; ') })}` : '';
    const head = sure.length === 1 ? ctx.say('readOne', { title: ctx.titleOf(sure[0]!) }) : ctx.say('readMany', { count: String(sure.length), list: list(sure) });
    const choices =
      unsure.length > 0
        ? [
            ctx.choice({ kind: 'include' }, sure.length + unsure.length === 2 ? ctx.say('bothLabel') : ctx.say('allOfThemLabel')),
            ctx.choice(
              { kind: 'confirm' },
              sure.length === 1 ? ctx.say('justThisLabel', { title: ctx.titleOf(sure[0]!) }) : ctx.say('justThoseLabel', { count: String(sure.length) }),
            ),
            ctx.choice({ kind: 'other' }, ctx.say('somethingElseLabel')),
          ]
        : [ctx.choice({ kind: 'confirm' }, ctx.say('yesRightLabel')), ctx.choice({ kind: 'other' }, ctx.say('notRightLabel'))];
    return ctx.reply({ kind: 'choices', text: `${head}${maybe}${factsLine}\n${ctx.say(unsure.length > 0 ? 'whichToWalk' : 'isThatRight')}`, choices });
  }

  // Nothing read surely: say what it might be, and ask.
  if (unsure.length === 1) {
    return ctx.reply({
      kind: 'choices',
      text: `${ctx.say('mightBeOne', { title: ctx.titleOf(unsure[0]!) })}${factsLine}`,
      choices: [
        ctx.choice({ kind: 'confirm' }, ctx.say('yesThatsItLabel')),
        ctx.choice({ kind: 'other' }, ctx.say('somethingElseLabel')),
        ctx.choice({ kind: 'unknown' }, ctx.say('unknownReasonLabel')),
      ],
    });
  }
  ctx.reply({
    kind: 'choices',
    text: `${ctx.say('mightBeMany', { list: list(unsure) })}${factsLine}`,
    choices: [
      ...unsure.map((intent) => ctx.choice({ kind: 'reason', intent }, ctx.titleOf(intent))),
      ctx.choice({ kind: 'include' }, unsure.length === 2 ? ctx.say('bothLabel') : ctx.say('allOfThemLabel')),
      ctx.choice({ kind: 'other' }, ctx.say('somethingElseLabel')),
      ctx.choice({ kind: 'unknown' }, ctx.say('unknownReasonLabel')),
    ],
  });
}

/** The customer answered the reading: walk what it read, everything it read, or pick another reason. */
export function answerReading(ctx: TurnContext, answer: 'confirm' | 'include' | 'other' | 'unknown'): void {
  const pending = ctx.state.pendingReading;
  if (answer === 'other') {
    ctx.state.pendingReading = null;
    return offerMenu(ctx, ctx.say('pickTheReason'));
  }
  if (answer === 'unknown') {
    ctx.state.pendingReading = null;
    return offerMenu(ctx, ctx.say('reasonUnknown'));
  }
  if (!pending) {
    ctx.out.press = 'refused';
    ctx.text('staleChoice');
    return offerMenu(ctx, ctx.say('menuPrompt'));
  }
  const reasons = answer === 'include' || pending.reasons.length === 0 ? [...pending.reasons, ...pending.possible] : pending.reasons;
  startChecklist(ctx, reasons, 'confirmed');
}

/** "Numbers: (312) 555-0114 to (312) 555-0116. Carrier: AT&T." from what a message stated, in the customer's language, or ''. */
export function describeFacts(ctx: TurnContext, facts: NoticeFacts): string {
  const parts: string[] = [];
  const language = ctx.language();
  if (facts.numbers && facts.numbers.length > 0) {
    const value =
      facts.numbers.length > 6
        ? ctx.say('readManyNumbers', { first: facts.numbers.slice(0, 3).join(', '), last: facts.numbers[facts.numbers.length - 1]!, count: String(facts.numbers.length) })
        : facts.numbers.join(', ');
    parts.push(ctx.say(facts.staying && facts.staying.length > 0 ? 'readMoving' : 'readNumbers', { value }));
  }
  if (facts.staying && facts.staying.length > 0) parts.push(ctx.say('readStaying', { value: facts.staying.join(', ') }));
  if (facts.pilot) parts.push(ctx.say('readPilot', { value: facts.pilot }));
  if (facts.newPilot) parts.push(ctx.say('readNewPilot', { value: facts.newPilot }));
  if (facts.btn) parts.push(ctx.say('readBtn', { value: facts.btn }));
  if (facts.carrier) {
    const name = ctx.content.carriers.find((c) => c.id === facts.carrier)?.name ?? facts.carrier;
    parts.push(ctx.say(facts.resold ? 'readCarrierResold' : 'readCarrier', { value: name }));
  } else if (facts.resold) parts.push(ctx.say('readResold'));
  if (facts.orders && facts.orders.length > 0) parts.push(ctx.say('readOrder', { value: facts.orders.join(', ') }));
  if (facts.tickets && facts.tickets.length > 0) parts.push(ctx.say('readTicket', { value: facts.tickets.join(', ') }));
  if (facts.wrongFields && facts.wrongFields.length > 0) parts.push(ctx.say('readWrongFields', { value: facts.wrongFields.map((f) => FIELD_NAMES[f][language]).join(', ') }));
  return parts.join('. ');
}

/** How each field of the order is called when the bot says back what it read. */
const FIELD_NAMES: Record<WrongField, Record<Language, string>> = {
  service_address: { en: 'service address', es: 'dirección del servicio' },
  house_number: { en: 'house number', es: 'número de casa' },
  street: { en: 'street name', es: 'nombre de la calle' },
  zip: { en: 'ZIP code', es: 'código postal' },
  city: { en: 'city', es: 'ciudad' },
  account_number: { en: 'account number', es: 'número de cuenta' },
  name: { en: 'name on the account', es: 'nombre en la cuenta' },
  btn: { en: 'billing number (BTN)', es: 'número de facturación (BTN)' },
  authorized_name: { en: 'authorized name', es: 'nombre autorizado' },
  pin: { en: 'PIN', es: 'PIN' },
  end_user: { en: 'end-user details', es: 'datos del usuario final' },
};
