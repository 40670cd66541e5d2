/**
 * The facts a notice or a customer's message states, beside its reasons: the numbers (ranges
 * expanded), which number is the pilot or the billing number, the losing carrier and whether it resells
 * another network's service, order and ticket numbers, dates, and which field of the order is wrong.
 * Walkthrough steps name the fact that answers them (`fill:` in intents/<id>.yaml), so a question whose
 * answer the customer already gave is never asked.
 */
import { z } from 'zod';
import { LOA_PROBLEMS, WRONG_FIELDS, type ReasonCode, type WrongField } from '../content/schema.js';
import { codeKey } from '../content/load-content.js';
import { approximateDay, type EntityExtractor, type PhoneEntity } from './extract.js';

export const noticeFactsSchema = z.object({
  /** Every number named, in display form, ranges expanded. */
  numbers: z.array(z.string()).optional(),
  /** The hunt group's pilot (main) number, when the text says which one it is. */
  pilot: z.string().optional(),
  /** The account's billing (main) telephone number, when named. */
  btn: z.string().optional(),
  /** The losing carrier (a carriers.yaml id): the one the number is leaving. */
  carrier: z.string().optional(),
  /** The provider resells another network's service (true), or the customer says it does not (false). */
  resold: z.boolean().optional(),
  /** Port order or PON numbers. */
  orders: z.array(z.string()).optional(),
  /** Ticket, case or confirmation numbers. */
  tickets: z.array(z.string()).optional(),
  /** Dates named (ISO). */
  dates: z.array(z.string()).optional(),
  /** Fields of the order the text says are wrong, in order of mention. */
  wrongFields: z.array(z.enum(WRONG_FIELDS)).optional(),
  /** Numbers that stay with the old carrier: named so, or the ones left when the text says only some are moving. */
  staying: z.array(z.string()).optional(),
  /** The customer says they already paid what the carrier says is owed, and when if they say (ISO date). */
  paid: z.boolean().optional(),
  paidOn: z.string().optional(),
  /** The port date the order asked for, when the text names it with its date (ISO). */
  requestedDate: z.string().optional(),
  /** What the text says is wrong with the requested date. */
  dateProblem: z.enum(['too_soon', 'too_far', 'past', 'weekend']).optional(),
  /** What is pending on the account, when the text says: a change order (a plan or line change) or another port. */
  pendingKind: z.enum(['change_order', 'port_out']).optional(),
  /** What kind of freeze the text names: a landline's local service freeze, or a mobile line's app lock. */
  freezeKind: z.enum(['mobile', 'landline']).optional(),
  /** The person on the account has died or left ("my late husband", "he left the company"). */
  holderGone: z.boolean().optional(),
  /** The customer says who is on the account ("my husband Tom is the account holder", "it's under Robert Chen"). */
  holderKnown: z.boolean().optional(),
  /** That person's name as the customer wrote it, when they give one ("Tom", "Robert Chen"). */
  holderName: z.string().optional(),
  /** Services named on the account besides the numbers ("the internet and the fax line"), as short names. */
  services: z.array(z.string()).optional(),
  /** What the customer wants for each service named ("keep the internet", "the fax can be disconnected"). */
  servicePlans: z.record(z.string(), z.enum(['keep', 'port', 'disconnect'])).optional(),
  /** The line that should become the hunt group's new pilot ("make 0182 the new main number"). */
  newPilot: z.string().optional(),
  /** What the text says was wrong with the letter of authorization, in order of mention. */
  loaProblems: z.array(z.enum(LOA_PROBLEMS)).optional(),
  /** The number lock, freeze or port protection is off (true) or still on (false), as the customer answered. */
  lockOff: z.boolean().optional(),
});
export type NoticeFacts = z.infer<typeof noticeFactsSchema>;

export { FACT_KINDS, type FactKind } from '../content/flow-schema.js';

const PILOT = /\b(?:pilot|lead number|main number of (?:the|a) hunt|hunt group main|main (?:number|one|line))\b/gi;
const NEW_PILOT = /\bnew\s+(?:pilot|lead|main)\b/i;
/** "I unlocked it", "turned off the number lock", "the freeze was lifted": the lock is off, as the customer says. */
const LOCK_OFF =
  /\b(?:unlocked|turned off|switched off|disabled|removed|lifted)\s+(?:it|the (?:number|lock|freeze|protection|number lock|port(?:-out)? protection|port out protection))\b|\b(?:lock|freeze|protection)\s+(?:is|was|has been)\s+(?:now\s+)?(?:off|lifted|removed|disabled)\b|\b(?:it'?s|it is|it has been|number is|number'?s|is now)\s+(?:now\s+|already\s+|been\s+)?unlocked\b|\bi(?:'ve| have)?\s+(?:already\s+|just\s+|finally\s+)?unlocked\b|\bya\s+(?:lo\s+|la\s+)?(?:desactiv[eé]|desbloque[eé]|quit[eé]|retir[eé]|levant[eé])(?![a-záéíóúñ])|\bya\s+est[aá]\s+(?:desactivad[oa]|desbloquead[oa]|retirad[oa])\b/i;
/** Services an account can hold besides the numbers being moved, and what each is called in a list. */
const SERVICES: Array<[RegExp, string]> = [
  [/\bdsl\b/i, 'DSL internet'],
  [/\b(?:internet|broadband|wi-?fi)\b/i, 'Internet'],
  [/\bfax(?:\s+(?:line|number|machine))?\b/i, 'Fax line'],
  [/\balarm(?:\s+(?:line|panel|system|monitoring))?\b|\bsecurity system\b/i, 'Alarm line'],
  [/\b(?:cable tv|tv|television)\b/i, 'TV'],
  [/\belevator(?:\s+(?:phone|line))?\b/i, 'Elevator line'],
];
/** A negation just before a statement ("I haven't unlocked it"): the statement does not hold. */
const NEGATED_BEFORE = /\b(?:not|never|haven'?t|hasn'?t|didn'?t|can'?t|couldn'?t|won'?t)\b[^.;,]{0,12}$/i;
/** "I already paid that last week", "we paid it on Monday": a payment the customer made. */
const PAID =
  /\b(?:i|we|i'?ve|we'?ve)\s+(?:already\s+|just\s+|finally\s+)?(?:paid|settled|cleared)\b(?:\s+(?:it|that|this|the (?:bill|balance|fee|charge|amount)))?|\bya\s+(?:lo\s+|la\s+|le\s+)?(?:pagu[eé]|pagamos|liquid[eé]|liquidamos)(?![a-záéíóúñ])|\bya\s+(?:est[aá]|qued[oó])\s+pagad[oa]\b/i;
/** Words that name the order's port date ("the due date I asked for", "requested FOC"). */
const PORT_DATE = /\b(?:due date|port(?:ing)? date|foc(?: date)?|requested (?:date|due date|for)|date (?:i|we) (?:asked for|requested|picked|chose|put)|asked for)\b/i;
/** What can be wrong with a port date, and the walkthrough's name for it. */
const DATE_PROBLEMS: Array<[RegExp, 'too_soon' | 'too_far' | 'past' | 'weekend']> = [
  [/\b(?:holiday|weekend|saturday|sunday|feriado|festivo|fin de semana)\b/i, 'weekend'],
  [/\b(?:more than|over|beyond) (?:30|thirty) days\b|\btoo far (?:out|ahead|away)\b/i, 'too_far'],
  [/\bin the past\b|\b(?:already )?(?:passed|expired)\b/i, 'past'],
  [/\btoo (?:soon|early|close)\b|\bnot enough (?:notice|lead time)\b|\bdemasiado pronto\b/i, 'too_soon'],
];
/** What an open order is: a change to the account, or another carrier's port request. */
const PENDING_KINDS: Array<[RegExp, 'change_order' | 'port_out']> = [
  [
    /\b(?:change order|chang(?:ed|ing|e) (?:my|our|the) (?:plan|package|service|features?|lines?)|plan change|(?:add(?:ed)?|remov(?:ed|e)|adding|removing|cancel(?:l?ed)?) (?:a |one |two |\d+ |an? (?:extra|new) )?(?:new )?lines?|new line|upgrad(?:ed?|ing)|feature change|moved service)\b/i,
    'change_order',
  ],
  [
    /\b(?:another|other|different) (?:carrier|company|provider)(?:'s)? (?:port|request|order)|\b(?:tried|trying|started) to (?:port|move|switch) (?:it|them|the number|my number)? ?(?:to|with)\b|\bport(?:-out)? request (?:from|with|by) (?:another|a different)\b/i,
    'port_out',
  ],
];
/** The account's person is gone: died, or left the business. */
const HOLDER_GONE =
  /\b(?:my|our|the) late\s+\w+|\b(?:passed away|died|deceased|fallecid[oa])\b|\bmuri[oó](?![a-záéíóúñ])|\b(?:left|quit|retired from) (?:the|our) (?:company|business|firm|practice|office)\b|\bno longer (?:works? (?:here|for us|with us)|with (?:the|our) (?:company|business|firm))\b/i;
/** What a clause wants for the service it names: keep it, move it with the numbers, or disconnect it. */
const SERVICE_PLANS: Array<[RegExp, 'keep' | 'port' | 'disconnect']> = [
  [
    /\b(?:disconnect(?:ed)?|cancel(?:l?ed)?|remove[ds]?|drop(?:ped)?|shut (?:it )?off|get rid of|don'?t need|no longer need|don'?t use|no longer use|(?:is|are) not needed|not needed|ditch|can (?:just |all )?go(?: away)?|desconectar|cancelar|dar de baja|quitar|ya no (?:lo |la )?(?:necesito|usamos|uso))\b/i,
    'disconnect',
  ],
  [/\b(?:port(?:ed)?|move[ds]?|bring (?:it |that )?over|transfer(?:red)?|portar|transferir|pasar)\b(?![^.;,]{0,20}\b(?:with them|there)\b)/i, 'port'],
  [/\b(?:keep|stay|leave|remain|mantener|conservar|dejar)s?\b/i, 'keep'],
];
/** A landline's freeze ("LSP FREEZE", "local service freeze") or a mobile line's lock ("Number Lock", "Port Out Protection"). */
const LANDLINE_FREEZE = /\b(?:lsp|local service|pic|slamming|lec)\s+freeze\b|\blocal (?:service )?freeze\b|\bfreeze on (?:the|our) (?:landline|business line|phone line)\b/i;
const MOBILE_LOCK =
  /\b(?:number lock|wireless account lock|port(?:-| )?out protection|number transfer lock|(?:in|from) the (?:app|myverizon|my verizon|myat&t)|(?:verizon|at&t|att) wireless|(?:cell|mobile|cellphone|wireless) (?:number|line|phone))\b/i;
const AREA_CODE = /\barea code\s*(?:is\s+|of\s+)?\(?([2-9]\d{2})\)?(?!\d)/gi;
const NEW_PILOT_ALL = /\bnew\s+(?:pilot|lead|main)(?:\s+(?:number|one|line))?\b/gi;
/** "we're only porting 0180 and 0181", "just moving (212) 555-0180": the numbers that move, when the text names fewer than it lists. */
const ONLY_MOVING = /\b(?:only|just)\s+(?:porting|moving|transferring|bringing over|switching)\b|\b(?:porting|moving|transferring)\s+(?:only|just)\b/gi;
const BTN = /\b(?:btn|atn|billing (?:telephone |phone |tel )?(?:number|no|nbr|tn)|account telephone number|main billing number)\b/gi;
/** How far (characters) a number may stand from the word that says it is the pilot or the BTN. */
const NEAR = 40;

const RESOLD_NO = /\b(?:not|isn'?t|is not|never|no,?)\s+(?:a\s+)?(?:resold|resale|reseller|reselling)\b|\b(?:own network|their own (?:lines|network))\b/i;
const RESOLD_YES =
  /\b(?:resold|resale|reseller|resells?|reselling|wholesale|underlying (?:carrier|network|provider)|(?:bigger|larger|another|other) (?:company'?s? )?network|rides? on \w+|runs? on (?:the )?\w+(?:'s)? network|mvno|leases? (?:the )?lines?)\b/i;

const TICKET = /\b(?:ticket|tkt|case|confirmation|conf|reference|ref|incident|inc)\s*(?:number|no\.?|num|nbr|#|id)?\s*[:#-]?\s*([A-Z0-9][A-Z0-9-]{3,19})\b/gi;
const ORDER = /\b(?:PON|PO|port order|order|ord|LSR|request|req|version)\s*(?:number|no\.?|num|nbr|#|id)?\s*[:#-]?\s*([A-Z0-9][A-Z0-9-]{3,19})\b/gi;
const TO_CARRIER = /\b(?:to|into|with us at|switch(?:ing)? to|mov(?:e|ing) to|port(?:ing)? (?:it |them |the numbers? )?to|over to)\s+(?:the\s+)?$/i;

/** Plain words for fields, for texts that name one without a reason code, in English and Spanish. Most specific first. */
const FIELD_WORDS: Array<[RegExp, WrongField]> = [
  [/\bauthori[sz]ed (?:name|user|contact|person)|\bauth name\b|\bnombre (?:del )?autorizado\b/gi, 'authorized_name'],
  [/\bhouse (?:number|nbr|no|#)|\bstreet number\b|\bsano\b|\bn[uú]mero de (?:la )?casa\b/gi, 'house_number'],
  [/\b(?:zip|postal)(?: code)?\b|\bc[oó]digo postal\b/gi, 'zip'],
  [/\bstreet name\b|\bsasn\b|\bnombre de la calle\b/gi, 'street'],
  [/\bbtn\b|\batn\b|\bbilling (?:telephone |phone )?number\b|\bn[uú]mero de (?:tel[eé]fono de )?facturaci[oó]n\b/gi, 'btn'],
  [/\bservice address|\bsvc addr|\baddress\b|\bsuite\b|\bdirecci[oó]n\b/gi, 'service_address'],
  [/\baccount (?:number|nbr|no|#)|\bacct (?:number|nbr|no|#)|\bacct\b(?! name)|\baccount num\b|\bn[uú]mero de cuenta\b/gi, 'account_number'],
  [
    /\b(?:business|company|customer|account|end user|subscriber|legal) name\b|\bname (?:on the account|doesn'?t match|does not match|mismatch)|\bnombre (?:de la empresa|del negocio|comercial|en la cuenta|del titular)\b/gi,
    'name',
  ],
];
const MISMATCH =
  /\b(?:mismatch|not match|doesn'?t match|don'?t match|does not match|incorrect|invalid|wrong|differ|different|error|inaccurate|not valid|misspell|typo|no coincide|no coinciden|no corresponde|equivocad[oa]s?|est[aá]n? mal|distint[oa]s?)/i;
/** A part of a sentence that says its detail is right: "the address is fine". */
const FIELD_FINE = /\b(?:is|are|was|were)\s+(?:fine|correct|right|ok|okay|good)\b|\b(?:matches|matched|checks out)\b|\best[aá]n? bien\b|\bs[ií] coincide/i;

export interface FactReaderOptions {
  extractor: EntityExtractor;
  reasonCodes: ReasonCode[];
}

export function createFactReader({ extractor, reasonCodes }: FactReaderOptions) {
  const fieldCodes = reasonCodes.flatMap((code) => (code.field ? [code.code, ...code.also].map((spelling) => ({ key: ` ${codeKey(spelling)} `, field: code.field! })) : []));

  return {
    /** Facts stated in `text`; see `inPassing` for a message that is not the notice. */
    /**
     * `knownNumbers`: the numbers the conversation already holds in full, so that a number given by its
     * last four digits ("0180 is the main one") can be told to be the pilot or the BTN.
     */
    read(text: string, options: { referenceDate?: Date; knownNumbers?: string[] } = {}): NoticeFacts {
      const facts: NoticeFacts = {};
      const phones = extractor.phoneNumbers(text);
      // "All in area code 617": local numbers written without it take it.
      const areaCodes = [...new Set([...text.matchAll(AREA_CODE)].map((m) => m[1]!))];
      const withArea = (display: string) => (areaCodes.length === 1 && /^\d{3}-\d{4}$/.test(display) ? `(${areaCodes[0]}) ${display}` : display);
      const positions = phonePositions(text, phones).map((p) => ({ ...p, display: withArea(p.display) }));
      if (phones.length > 0) facts.numbers = phones.map((p) => withArea(p.display));
      const listed = [...new Set([...(facts.numbers ?? []), ...(options.knownNumbers ?? [])])];
      const named = [...positions, ...namedByLastFour(text, listed)];
      const pilot = nearestTo(text, PILOT, named, (at) => !NEW_PILOT.test(text.slice(Math.max(0, at - 12), at + 12)));
      if (pilot) facts.pilot = pilot;
      const newPilot = nearestTo(text, NEW_PILOT_ALL, named);
      if (newPilot) facts.newPilot = newPilot;
      const moving = onlyMoving(text, named);
      if (moving.length > 0 && moving.length < listed.length) {
        facts.numbers = moving;
        facts.staying = listed.filter((n) => !moving.includes(n));
      }
      const btn = nearestTo(text, BTN, named);
      if (btn) facts.btn = btn;
      const carrier = losingCarrier(text);
      if (carrier) facts.carrier = carrier;
      const services = SERVICES.filter(([pattern]) => pattern.test(text)).map(([, name]) => name);
      // DSL is internet: named once.
      if (services.length > 0) facts.services = services.includes('DSL internet') ? services.filter((s) => s !== 'Internet') : services;
      const plans = servicePlans(text);
      if (Object.keys(plans).length > 0) facts.servicePlans = plans;
      if (HOLDER_GONE.test(text)) facts.holderGone = true;
      const holder = accountHolder(text);
      if (holder) {
        facts.holderKnown = true;
        if (holder.name) facts.holderName = holder.name;
      }
      if (LANDLINE_FREEZE.test(text)) facts.freezeKind = 'landline';
      else if (MOBILE_LOCK.test(text)) facts.freezeKind = 'mobile';
      const pending = PENDING_KINDS.find(([pattern]) => pattern.test(text));
      if (pending) facts.pendingKind = pending[1];
      const paid = PAID.exec(text);
      if (paid && !NEGATED_BEFORE.test(text.slice(0, paid.index))) {
        facts.paid = true;
        // The date said with the payment ("paid that last week"), not any date of the message.
        const rest = text.slice(paid.index, paid.index + 60).split(/[.;!?\n]/)[0]!;
        const [on] = /\d|today|yesterday|last|ago|monday|tuesday|wednesday|thursday|friday|saturday|sunday/i.test(rest) ? extractor.dateMentions(rest, options.referenceDate) : [];
        // "last week" is kept as said: the summary must not turn it into a day the customer never gave.
        if (on) facts.paidOn = on.vague ? approximateDay(on.iso, on.words) : on.iso;
      }
      const lockOff = LOCK_OFF.exec(text);
      if (lockOff && !NEGATED_BEFORE.test(text.slice(0, lockOff.index))) facts.lockOff = true;
      if (RESOLD_NO.test(text)) facts.resold = false;
      else if (RESOLD_YES.test(text)) facts.resold = true;
      const tickets = [...text.matchAll(TICKET)].map((m) => m[1]!).filter((v) => /\d/.test(v));
      if (tickets.length > 0) facts.tickets = [...new Set(tickets.map((t) => t.toUpperCase()))];
      const orders = [...text.matchAll(ORDER)].map((m) => m[1]!).filter((v) => /\d/.test(v) && !tickets.includes(v));
      if (orders.length > 0) facts.orders = [...new Set(orders.map((o) => o.toUpperCase()))];
      if (/\d|today|tomorrow|monday|tuesday|wednesday|thursday|friday/i.test(text)) {
        const dates = extractor.dates(text, options.referenceDate);
        if (dates.length > 0) facts.dates = dates;
      }
      if (PORT_DATE.test(text)) {
        if (facts.dates && facts.dates.length > 0) facts.requestedDate = facts.dates[0];
        const problem = DATE_PROBLEMS.find(([pattern]) => pattern.test(text));
        if (problem) facts.dateProblem = problem[1];
      }
      const fields = wrongFields(text);
      if (fields.length > 0) facts.wrongFields = fields;
      const loa = loaProblems(text);
      if (loa.length > 0) facts.loaProblems = loa;
      return facts;
    },
  };

  function losingCarrier(text: string): string | undefined {
    // The first carrier named that the number is not moving *to*.
    const lower = text.toLowerCase();
    for (const id of extractor.carriers(text)) {
      const name = id.replace(/_/g, ' ');
      const at = lower.indexOf(name.slice(0, 4));
      if (at > 0 && TO_CARRIER.test(lower.slice(Math.max(0, at - 30), at))) continue;
      return id;
    }
    return undefined;
  }

  function wrongFields(text: string): WrongField[] {
    const found: Array<{ field: WrongField; at: number }> = [];
    const squashed = ` ${codeKey(text)} `;
    for (const { key, field } of fieldCodes) {
      const at = squashed.indexOf(key);
      if (at >= 0) found.push({ field, at });
    }
    if (found.length === 0 && MISMATCH.test(text)) {
      // Without a code, a field counts when its sentence also says something is wrong, unless its own part
      // says it is fine: "the account number and the house number don't match, the ZIP is right".
      let offset = 0;
      for (const sentence of text.split(/([.;\n!?]|\bbut\b|\bpero\b|\(\s*[a-z]\s*\))/i)) {
        const at = offset;
        offset += sentence.length;
        if (!MISMATCH.test(sentence)) continue;
        let partAt = at;
        for (const part of sentence.split(/(,)/)) {
          const partStart = partAt;
          partAt += part.length;
          if (FIELD_FINE.test(part) && !MISMATCH.test(part)) continue;
          const taken: Array<[number, number]> = [];
          for (const [pattern, field] of FIELD_WORDS) {
            for (const m of part.matchAll(pattern)) {
              const start = m.index ?? 0;
              const end = start + m[0].length;
              if (taken.some(([s, e]) => start < e && s < end)) continue;
              taken.push([start, end]);
              found.push({ field, at: partStart + start });
            }
          }
        }
      }
    }
    const ordered = found.sort((a, b) => a.at - b.at).map((f) => f.field);
    return [...new Set(ordered)];
  }
}

export type FactReader = ReturnType<typeof createFactReader>;

/**
 * The facts of a message that is not the notice (an answer, a remark in passing): only the notice's
 * numbers are the order's numbers; a later message's numbers belong to its question.
 */
export function inPassing(facts: NoticeFacts): NoticeFacts {
  const { numbers: _numbers, ...rest } = facts;
  return rest;
}

/** Merges facts, later ones winning for single values and lists joined without repeats. */
export function mergeFacts(earlier: NoticeFacts, later: NoticeFacts): NoticeFacts {
  const merged: NoticeFacts = { ...earlier };
  for (const [key, value] of Object.entries(later) as Array<[keyof NoticeFacts, NoticeFacts[keyof NoticeFacts]]>) {
    if (value === undefined) continue;
    const before = merged[key];
    (merged as Record<string, unknown>)[key] = Array.isArray(value) && Array.isArray(before) ? [...new Set([...before, ...value])] : value;
  }
  return merged;
}

export function hasFacts(facts: NoticeFacts): boolean {
  return Object.values(facts).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0));
}

/** Every place each number is written (a number can be named twice: in a list, then as the pilot). */
function phonePositions(text: string, phones: PhoneEntity[]): Array<{ display: string; at: number }> {
  const positions: Array<{ display: string; at: number }> = [];
  for (const phone of phones) {
    const pattern = new RegExp(`${phone.local.slice(0, 3)}\\D{0,3}${phone.local.slice(-4)}(?!\\d)`, 'g');
    for (const m of text.matchAll(pattern)) positions.push({ display: phone.display, at: m.index ?? 0 });
  }
  return positions;
}

/** Per service named, what the clause naming it wants done with it: "keep the internet, the fax line can be disconnected". */
/** A sentence about the letter of authorization or its signature. */
const LOA_CONTEXT = /\b(?:loa|letter of authori[sz]ation|authori[sz]ation (?:letter|form)|carta (?:de )?autorizaci[oó]n|signature|signed|firma(?:da|do)?)\b/i;
const LOA_PROBLEM_PATTERNS: Array<[RegExp, (typeof LOA_PROBLEMS)[number]]> = [
  [/\b(?:loa|letter of authori[sz]ation)\s+(?:is\s+|was\s+)?(?:missing|not (?:attached|provided|received|included))\b|\b(?:no|missing)\s+loa\b/i, 'missing'],
  [
    /\b(?:unsigned|not signed|(?:is|was)n'?t (?:signed|dated)|no signature|signature (?:is |was )?(?:missing|blank|empty)|not dated|undated|no date|sin firma|no (?:est[aá] )?firmad[ao])\b/i,
    'unsigned',
  ],
  [/\b(?:illegible|unreadable|blurry|hard to read|can'?t be read|cannot be read|cut off|ilegible)\b/i, 'illegible'],
  [/\b(?:older than \d+ days|more than \d+ days old|over \d+ days old|too old|expired|outdated|stale|signed too long ago|vencid[ao])\b/i, 'too_old'],
  [
    /\bsignature\s+(?:does(?:n'?t| not)|doesnt|dont|not|did(?:n'?t| not))\s+match|\bsigned by (?:the )?wrong|\bwrong (?:person|signer|signature)|\bunauthori[sz]ed (?:signer|signatory|person)|\bnot (?:signed by )?(?:an? |the )?authori[sz]ed (?:signer|signatory|person)/i,
    'wrong_signer',
  ],
  [
    /\b(?:does(?:n'?t| not)|doesnt|didn'?t|did not)\s+(?:list|include|show)\b|\b(?:numbers?|tns?|lines?)\s+(?:are\s+|were\s+|is\s+)?(?:missing|not listed|left off)\b|\bmissing\s+(?:numbers?|tns?|lines?)\b/i,
    'numbers_missing',
  ],
];

/** What the text says was wrong with the LOA: read in sentences about the LOA or its signature only. */
function loaProblems(text: string): Array<(typeof LOA_PROBLEMS)[number]> {
  const found: Array<{ problem: (typeof LOA_PROBLEMS)[number]; at: number }> = [];
  let offset = 0;
  for (const sentence of text.split(/(?<=[.;!?\n])/)) {
    if (LOA_CONTEXT.test(sentence)) {
      for (const [pattern, problem] of LOA_PROBLEM_PATTERNS) {
        const m = pattern.exec(sentence);
        if (m && !found.some((f) => f.problem === problem)) found.push({ problem, at: offset + m.index });
      }
    }
    offset += sentence.length;
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.problem);
}

/** People an account is often in the name of, as customers call them ("my husband", "mi mamá", "our office manager"). */
const RELATION = String.raw`(?:ex-?(?:wife|husband|partner)|husband|wife|spouse|partner|business partner|co-?founder|dad|father|mom|mum|mother|son|daughter|brother|sister|grand(?:mother|father|ma|pa)|aunt|uncle|boss|office manager|manager|accountant|roommate|landlord|esposo|esposa|marido|mujer|pap[aá]|padre|mam[aá]|madre|hij[oa]|herman[oa]|abuel[oa]|jefe|jefa|soci[oa])`;
/** What the person is to the account: its holder, its owner, the one the carrier lists as authorized. */
const HOLDER_ROLE = String.raw`(?:the\s+)?(?:account\s*holder|account\s+owner|owner\s+of\s+the\s+account|one\s+on\s+(?:the\s+)?(?:account|file)|authori[sz]ed\s+(?:one|person|contact|user|party|name)|contact\s+on\s+file|name\s+on\s+the\s+account)`;
/** "my husband Tom is the account holder", "our boss, Dana Reyes, is the authorized contact". */
const RELATION_IS_HOLDER = new RegExp(
  String.raw`\b(?:my|our)\s+${RELATION}(?![a-záéíóúñ]),?\s*([^,.;!?]{0,40}?),?\s+(?:is|was|'s)\s+(?:still\s+|actually\s+)?(?:listed\s+as\s+)?${HOLDER_ROLE}`,
  'i',
);
/** "the account is in my husband's name", "it's under Robert Chen", "a nombre de mi mamá". */
const IN_NAME_OF = new RegExp(
  String.raw`\b(?:in\s+(?:my|our)\s+${RELATION}'?s\s+name|(?:account|it|line|number|phone)(?:'s|\s+is|\s+was)\s+(?:still\s+)?(?:under|in\s+the\s+name\s+of)\s+(?:(?:my|our)\s+${RELATION}(?![a-záéíóúñ]),?\s*)?([^,.;!?]{0,40})|a\s+nombre\s+de\s+(?:mi\s+${RELATION}(?![a-záéíóúñ]),?\s*)?([^,.;!?]{0,40}))`,
  'i',
);
/** "the account holder is my wife Ana", "el titular es mi papá". */
const HOLDER_IS = new RegExp(
  String.raw`\b(?:${HOLDER_ROLE}|(?:el\s+)?titular(?:\s+de\s+la\s+cuenta)?)\s+(?:is|es)\s+(?:(?:my|our|mi)\s+${RELATION}(?![a-záéíóúñ]),?\s*)?([^,.;!?]{0,40})`,
  'i',
);
/** A person named by who they are to the customer: "my husband", "our office manager", "mi mamá". */
const RELATED = new RegExp(String.raw`(?:my|our|mi)\s+${RELATION}`, 'i');
/** "only Robert Chen can authorize the port". */
const ONLY_CAN_AUTHORIZE = /\bonly\s+([^,.;!?]{2,40}?)\s+can\s+(?:authori[sz]e|approve|sign)/i;
/** A name as people write one: capitalised words ("Robert Chen", "Ana M. Ruiz"), or the single word after "my husband". */
const PROPER_NAME = /^(?:[A-ZÁÉÍÓÚÑ][a-zá-úñü'’-]+)(?:\s+[A-Z]\.)?(?:\s+[A-ZÁÉÍÓÚÑ][a-zá-úñü'’-]+){0,2}/;
/** Words after "my husband" that are not his name. */
const NOT_A_NAME = /^(?:is|was|has|had|who|that|and|still|the|on|in|set|opened|signed|says|said|does|did|can|will|just|also|actually|listed|es|está|tiene|que|y)$/i;

/** The person the text says is on the account, and their name when it gives one; undefined when it names nobody. */
function accountHolder(text: string): { name?: string } | undefined {
  const nameIn = (tail: string | undefined, afterRelation: boolean): string | undefined => {
    const words = (tail ?? '').trim();
    const proper = PROPER_NAME.exec(words)?.[0];
    if (proper && !NOT_A_NAME.test(proper.split(/\s+/)[0]!)) return proper;
    // "my husband tom is ...": one lowercase word right after the relation is his name.
    const first = /^[a-zá-úñü'’-]{2,}$/i.exec(words.split(/\s+/)[0] ?? '')?.[0];
    if (afterRelation && first && words.split(/\s+/).length === 1 && !NOT_A_NAME.test(first)) return first[0]!.toUpperCase() + first.slice(1);
    return undefined;
  };
  const negated = (at: number, match: string) => /\b(?:not|isn'?t|wasn'?t|no)\b/i.test(match) || /\b(?:not|no|never)\s*$/i.test(text.slice(Math.max(0, at - 8), at));
  const relationIs = RELATION_IS_HOLDER.exec(text);
  if (relationIs && !negated(relationIs.index, relationIs[0])) return withName(nameIn(relationIs[1], true));
  const holderIs = HOLDER_IS.exec(text);
  if (holderIs && !negated(holderIs.index, holderIs[0])) {
    const related = RELATED.test(holderIs[0]);
    const name = nameIn(holderIs[1], related);
    // "the account holder is ..." must say who: a relation or a name ("the account holder is wrong" says nobody).
    if (related || name) return withName(name);
  }
  const inName = IN_NAME_OF.exec(text);
  if (inName && !negated(inName.index, inName[0])) {
    const related = RELATED.test(inName[0]);
    const name = nameIn(inName[1] ?? inName[2], related);
    if (related || name) return withName(name);
  }
  const only = ONLY_CAN_AUTHORIZE.exec(text);
  const onlyName = only ? nameIn(only[1], false) : undefined;
  if (onlyName) return { name: onlyName };
  return undefined;
}

const withName = (name: string | undefined): { name?: string } => (name ? { name } : {});

function servicePlans(text: string): Record<string, 'keep' | 'port' | 'disconnect'> {
  const plans: Record<string, 'keep' | 'port' | 'disconnect'> = {};
  for (const clause of text.split(/[.;,!?\n]|\bbut\b|\band\b(?=\s+(?:the|our|my|we|i)\b)/i)) {
    const named = SERVICES.filter(([pattern]) => pattern.test(clause)).map(([, name]) => name);
    const plan = SERVICE_PLANS.find(([pattern]) => pattern.test(clause));
    if (!plan || named.length === 0) continue;
    for (const name of named.includes('DSL internet') ? named.filter((n) => n !== 'Internet') : named) plans[name] = plan[1];
  }
  return plans;
}

/** The numbers named right after "only porting" (in full or by their last four digits), up to the end of that clause. */
function onlyMoving(text: string, named: Array<{ display: string; at: number }>): string[] {
  const moving: string[] = [];
  for (const m of text.matchAll(ONLY_MOVING)) {
    const from = (m.index ?? 0) + m[0].length;
    const end = text.slice(from).search(/[.;!?\n]|\b(?:but|because|since|so)\b/i);
    const to = end < 0 ? text.length : from + end;
    for (const p of named) if (p.at >= from && p.at < to && !moving.includes(p.display)) moving.push(p.display);
  }
  return moving;
}

/** Where a known number is named by its last four digits alone ("0180"), when those digits are one known number's. */
export function namedByLastFour(text: string, known: string[]): Array<{ display: string; at: number }> {
  if (known.length === 0) return [];
  const positions: Array<{ display: string; at: number }> = [];
  for (const m of text.matchAll(/(?<![\d-])(\d{4})(?![\d-])/g)) {
    const matching = [...new Set(known.filter((k) => k.replace(/\D/g, '').endsWith(m[1]!)))];
    if (matching.length === 1) positions.push({ display: matching[0]!, at: m.index ?? 0 });
  }
  return positions;
}

/** The number closest to a mention of `word` (within NEAR characters), or undefined. */
function nearestTo(text: string, word: RegExp, positions: Array<{ display: string; at: number }>, accept: (at: number) => boolean = () => true): string | undefined {
  let best: { display: string; distance: number } | undefined;
  for (const m of text.matchAll(word)) {
    const at = m.index ?? 0;
    if (!accept(at)) continue;
    for (const p of positions) {
      const distance = p.at < at ? at - p.at - 14 : p.at - (at + m[0].length);
      if (distance <= NEAR && (!best || distance < best.distance)) best = { display: p.display, distance };
    }
  }
  return best?.display;
}
