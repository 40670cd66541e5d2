/**
 * The notice reader: one pass over whatever the customer wrote or pasted (a carrier's e-mail, LSR
 * remarks, API JSON, portal text, their own story) that returns every reason it states, in the order it
 * states them, each with its evidence and how sure the reading is; the reasons read only weakly ("also
 * possibly"); and the facts it states. Reason codes come from knowledge/reason-codes.yaml (data, not
 * code); clauses are read by the classifier one by one; the whole message by the understander.
 */
import type { Content } from '../content/load-content.js';
import { codeKey } from '../content/load-content.js';
import { escapeRegExp } from './normalize.js';
import { isRejectionId, REJECTION_UNSPECIFIED, type RejectionId } from '../content/ids.js';
import type { IntentClassifier } from './classifier.js';
import { MAX_CLASSIFIED_CHARS, normalizeText, tokenize } from './normalize.js';
import type { FactReader, NoticeFacts } from './notice-facts.js';
import type { Understander, Understanding } from './understand.js';

export interface ReasonReading {
  intent: RejectionId;
  /** The words of the message that state it (a code, a clause), for the customer and the case file. */
  evidence: string;
  /** Sure: a reason code, a clause recognised with high confidence, or a whole message read confidently. */
  sure: boolean;
  confidence: number;
  /** What stated it: a reason code, a plain-words cue, a clause or fragment read by the classifier, the whole message, or the optional model. */
  via?: 'code' | 'cue' | 'clause' | 'whole' | 'model';
}

export interface NoticeReading {
  /** The reasons the message states, in the order it states them. */
  reasons: ReasonReading[];
  /** Reasons a clause suggests without certainty: offered as "also possibly", never dropped. */
  possible: ReasonReading[];
  facts: NoticeFacts;
  /** The understander's reading of the whole message (conversation intents, out of scope, ...). */
  whole: Understanding;
  /** Somewhere in the message the customer asks for a person, whatever else it says. */
  asksForPerson: boolean;
  /** The language the message is written in, when it is clear: Spanish or English. */
  language: 'en' | 'es' | null;
}

const SPANISH_OPENER = /^[¡¿]*(?:hola|buen[oa]s(?:\s+(?:d[ií]as|tardes|noches))?|ayuda|necesito ayuda|ay[uú]deme|saludos)[\s!.,?]*$/i;

/** Spanish when Spanish words clearly outnumber English ones; null for a message too short to tell. */
export function languageOf(text: string): 'en' | 'es' | null {
  // A Spanish greeting or call for help on its own is Spanish enough: "hola", "ayuda", "buenos días".
  if (SPANISH_OPENER.test(text.trim())) return 'es';
  const es = text.match(SPANISH_WORDS)?.length ?? 0;
  const en = text.match(ENGLISH_WORDS)?.length ?? 0;
  if (es + en < 2) return null;
  return es >= 2 && es > en * 1.5 ? 'es' : en > es ? 'en' : null;
}

export interface NoticeReaderThresholds {
  /** A clause read at or above this confidence states its reason. */
  clauseConfidence: number;
  /** A fragment of a clause (split at commas, "and", ...) read at or above this states its reason. */
  fragmentConfidence: number;
  /** A clause read at or above this (and below `clauseConfidence`) suggests its reason as possible. */
  possibleConfidence: number;
  /** A whole message read as one reason at or above this is sure; below it the reason is only suspected. */
  sureConfidence: number;
}

export const DEFAULT_READER_THRESHOLDS: NoticeReaderThresholds = {
  clauseConfidence: 0.85,
  fragmentConfidence: 0.85,
  possibleConfidence: 0.45,
  sureConfidence: 0.7,
};

/** Clause boundaries: lines, sentences, semicolons, list markers, "(b)", "plus", "also", JSON separators. */
const CLAUSE_BREAK =
  /\n+|\s+(?=[✓✔☑✗✘❌])|(?<=[;!?]|(?<!(?:^|[\s'"‘“(])[a-z])\.)\s+|;|\|| \/ |\s+(?:\d+[.)]|[*•]|(?<![✗✘❌✓✔☑][^✗✘❌✓✔☑\n]{0,40})-)\s+|\(\s*[a-z0-9]\s*\)|"\s*[,}\]]\s*[{[]?\s*"?|\b(?:and|but)\s+(?=also\b|they\b|it\b|the carrier\b|there\b|the\b|our\b|we\b|my\b|a\b|an\b)|\bplus\b|\balso\b|\bas well as\b/gi;
const MAX_CLAUSES = 16;
/** Sentences: lines, and stops followed by a space. */
const SENTENCE_BREAK = /\n+|(?<=[;!?]|(?<!(?:^|[\s'"‘“(])[a-z])\.)\s+|;/gi;
/** A whole message read this surely as a conversation intent (greeting, help, thanks) keeps weak clause guesses to itself. */
const PLAIN_CONVERSATION = 0.8;
/** The whole message's probability a fragment's reason needs for the fragment to state it. */
const FRAGMENT_SUPPORT = 0.01;
/** A whole message read as one reason at least this surely leaves a fragment's other reason room only with support. */
const SURE_WHOLE = 0.9;
/** A whole message read as a single reason at least this surely... */
const CERTAIN_WHOLE = 0.99;
/** ...needs its fragments (not its clauses) this sure to add another reason. */
const CERTAIN_WHOLE_FRAGMENT_CONFIDENCE = 0.97;
/** A clause the classifier reads as a request for a person this surely is one. */
const PERSON_CLAUSE_CONFIDENCE = 0.7;
/**
 * Plain requests for a person, for clauses the classifier reads as something else because they carry
 * other words ("no it's a normal number. I want a human NOW"). A verb of wanting or talking is required,
 * so "the agent said the line is active" is not a request.
 */
const ASKS_FOR_PERSON =
  /\b(?:(?:want|need|get|give|put|connect|transfer|escalate)\s+(?:me\s+)?(?:to\s+|with\s+)?(?:a|an|some|your|the)?\s*(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|representative|rep|somebody real|someone real|staff|operator|supervisor|manager)|(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|some|your|the)?\s*(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|representative|rep|someone|somebody|staff|operator|supervisor|manager|people)|human\s+(?:please|pls|now)|real person|live agent)\b/i;
/** The same in Spanish: "necesito hablar con una persona", "quiero un agente". */
const ASKS_FOR_PERSON_ES =
  /\b(?:hablar|comunicarme|comunicar|comuníquenme|comuniquenme)\s+con\s+(?:una?\s+)?(?:persona|humano|agente|representante|alguien)\b|\b(?:quiero|necesito)\s+(?:una?\s+)?(?:persona|humano|agente|representante)\b/i;
/** Words that mark a message as Spanish (function words and porting words), counted to tell the language. */
const SPANISH_WORDS =
  /\b(?:el|la|los|las|de|del|que|y|por|para|con|mi|mis|su|una?|es|está|están|número|cuenta|portabilidad|rechaz\w+|necesito|quiero|hola|gracias|dicen?|porque|también|factura|dirección)\b/gi;
const ENGLISH_WORDS = /\b(?:the|and|of|to|my|is|are|was|with|for|that|it|number|account|port|rejected|please|thanks)\b/gi;
const NOT_ASKING = /\b(?:don'?t|do not|no need to|not)\s+(?:want|need)\s+(?:to\s+)?(?:talk|speak|a|an)\b/i;
/** Weaker boundaries inside a clause: commas, "and", "&", "with", "because". A fragment must be surer. */
const FRAGMENT_BREAK = /,|\s\+\s|\s(?:and|&|with|because|since|but|or|y|pero|porque|además)\s|\s-\s|:\s/gi;
/** Parts with fewer words (placeholders not counted) say too little to state a reason on their own ("Dear Valued Partner"). */
const MIN_PART_WORDS = 3;
const SHORT_PART_CONFIDENCE = 0.995;
/** A part of at least this many words that states a problem states its reason at this confidence. */
const PROBLEM_PART_WORDS = 4;
const PROBLEM_PART_CONFIDENCE = 0.75;

/**
 * A clause that says a detail is fine ("the account number and address are correct", "the line is
 * active and nothing's blocking it") states no reason, though its words are a reason's words.
 */
const SAYS_FINE = new RegExp(
  [
    // "is correct", "are all fine", "was verified", "is signed", "is attached", "is zero"
    String.raw`\b(?:is|are|was|were|looks?|all|both|now)\s+(?:all\s+|both\s+|now\s+)?(?:correct|fine|right|ok|okay|good|accurate|valid|active|current|signed|attached|verified|confirmed|accepted|zero|paid|in order)\b`,
    // "verified", "confirmed", "accepted", "passed", "checks out", "matches" (not "doesn't match")
    String.raw`\b(?:verified|confirmed|(?=accepted)(?<!\b(?:request|order|port|lsr)\b[^.;,]{0,25})accepted(?!\s+(?:port(?:-out|-in)?\s+)?(?:request|order))|(?<!\b(?:already|has|have|had|date)\s)passed|approved|validated|cleared)\b`,
    String.raw`\bchecks? out\b|\bchecked out\b`,
    String.raw`(?=(?:all\s+)?match)(?<!not |n't |n’t |t |nothing |none |never |no longer )\b(?:all\s+)?match(?:es|ed)?(?:\s+(?:exactly|perfectly|fine|their records|the csr|our records))?\b`,
    String.raw`(?:exactly|just) what (?:i|we) put`,
    // "both numbers are on one account", "it's one account"
    String.raw`(?=(?:on|under|in)?\s*(?:one|a single|the same|same)\s+account\b)(?<!\b(?:internet|tv|dsl|alarm|fax|cable|services?|line)\b[^.;,]{0,30})\b(?:on|under|in)?\s*(?<!\bthan\s)(?:one|a single|the same|same)\s+account\b`,
    // "there's no lock", "no contract", "no other services remain", "nothing is pending", "nothing to correct"
    String.raw`\b(?:there'?s|there is|there are|with|has|have|had)?\s*no\s+(?!(?:active|working)\s+service)(?:\w+\s+){0,2}(?:lock|freeze|contract|balance|services?|lines?|order|orders|issue|problem|hold|restriction|mismatch)s?(?:\s+(?:or|and|nor)\s+(?:\w+\s+){0,2}(?:lock|freeze|contract|balance|services?|lines?|orders?|issues?|problems?|holds?|restrictions?))*\b`,
    String.raw`\bnothing(?:'s| is| was)?\s+(?:else\s+)?(?:to correct|blocking|pending|wrong|owed|locked|frozen|on it)\b`,
    // "the pin worked", "went through fine", "all good", "already on file", "still active" said of a detail
    // "no RespOrg change is required", "no new LOA needed"
    String.raw`\bno\s+(?:\w+\s+){0,3}(?:is\s+|are\s+)?(?:required|needed)\b`,
    String.raw`\b(?:(?:it|pin|code|passcode)\s+(?:\w+\s+)?worked|went through(?: fine)?|all good|already on file|on file already|no problem)\b`,
    // a checklist: "✓ BTN", "✔ LOA signed"
    String.raw`^\s*[✓✔☑]`,
    // Spanish: "están correctos", "está bien", "sin bloqueo"
    String.raw`(?<!\bno )\b(?:est[aá]n?|son|es)\s+(?:tambi[eé]n\s+)?(?:correct[oa]s?|bien)\b|\bsin (?:bloqueo|contrato|saldo)\b|\btambi[eé]n\b(?=[^.]*\bcorrect)`,
    String.raw`\b(?:isn'?t|is not|wasn'?t|not) (?:the|a|an) (?:\w+\s+){0,2}(?:problem|issue|thing)|\b(?:that'?s|that is|it'?s|it is) not (?:it|that)\b`,
    // "Freeze NOT on acct", "the lock is not active", "contract is done", "I'm month to month"
    String.raw`\b(?:freeze|lock|hold|block|protection|contract)\s+(?:is\s+|was\s+)?not\s+(?:on|in|active|applied|set)\b|\bcontract (?:is|was|has)\s+(?:already\s+)?(?:done|over|ended|finished|up|expired)\b|\bmonth[- ]to[- ]month\b|\b(?:balance|bill|account)(?:'s| is| was) paid off\b`,
    // a field marked fine at the end of its line: "PIN OK", "Address - good"
    String.raw`[a-z0-9](?<!\bnot|\bno|n't|\bnever)\s*[-:=–—]*\s*\b(?:ok|okay|good|fine|valid|n/?a)\s*[.!]?\s*$`,
    // Spanish: "el PIN sí estaba bien", "sí coincide", "está ok", "lo del PIN ya lo corregimos"
    String.raw`\bs[ií] (?:estaba|est[aá]|coincide|coincid[ií]a)\b|\b(?:est[aá]|estaba) (?:bien|ok|okay)\b|\bya lo (?:corregimos|arreglamos|resolvimos|cambiamos)\b`,
    // a field label with its verdict: "PIN: correct", "Address | ✔"
    String.raw`\b[a-z]+\s*[:|]\s*(?:correct|ok|okay|fine|good|valid|verified|done|paid|none|matches|[✓✔☑])(?=\s*(?:[.,;|]|$))`,
    String.raw`\b(?:is|was|are|were)\s+(?:already\s+)?(?:unlocked|released)\b|\bfee (?:is |was |has been )?paid\b|\b(?:that'?s|it'?s|is|was|been)\s+(?:all\s+)?(?:sorted|fixed|taken care of|dealt with)\b`,
    String.raw`\b(?:not|isn't|is not) (?:a|an|on a|in a|part of a) (?:google voice|gv|hunt group|contract)\b|\bpaid up\b|\bpaid in full\b|\b(?:i|we)\s+(?:already\s+|just\s+|finally\s+)?(?:paid|settled|cleared)\s+(?:it|that|the (?:bill|balance|fee|charge))\b|\b(?:bill|balance|account)(?:'s| is) (?:paid|current)\b`,
    // a problem that is over: "freeze removed", "the freeze is gone", "was lifted", "went thru fine"
    String.raw`\b(?:freeze|lock|block|hold|mismatch|balance)\s+(?:was\s+|has been\s+)?(?:removed|lifted|released|cleared|resolved)\b|\b(?:was|were|been|is|got)\s+(?:already\s+)?(?:removed|lifted|released|resolved|taken care of)\b|\b(?:is|are|was) gone\b|\bwent thru\b`,
    // "not on contract", "never in a hunt group", "not rejected for: PIN, LOA", "owe nothing"
    String.raw`\b(?:not|never) (?:on|under|in|part of) (?:a |any |the )?(?:contract|term|freeze|hunt group|lock)\b|\bnot rejected for\b|\bowe (?:nothing|zero|\$0)\b`,
    // Spanish: "el PIN fue aceptado", "ya lo aceptaron", "está activo", "el contrato ya terminó"
    String.raw`(?<!\bno )\b(?:fue|fueron|est[aá]n?|es|son)\s+(?:\w+\s+)?(?:aceptad[oa]s?|verificad[oa]s?|activ[oa]s?|v[aá]lid[oa]s?)\b|\bya (?:lo |la |los |las )?(?:aceptaron|verificaron|pagu[eé]|pagamos)(?![a-záéíóúñ])|\bya termin[oó]\b|\btermin[oó] ya\b`,
    // a field label, not a problem: "Requested FOC: 06/21", "Requested FOC=2024-09-12"
    String.raw`\brequested\s+(?:foc|due date|port date|date)\s*(?:[:=]|of\b)|^\W*fecha solicitada\b`,
  ].join('|'),
  'i',
);
const SAYS_FINE_ALL = new RegExp(SAYS_FINE.source, 'gi');
/** A customer guessing ("I think it's the PIN", "creo que hay un bloqueo"): a cue in a guess is only possible. */
const HEDGE = /\b(?:i think|i guess|i'm guessing|i believe|maybe|perhaps|probably|possibly|might be|may be|not sure|no idea|creo que|quiz[aá]s?|tal vez|a lo mejor|puede que)\b/i;
/** How many words before a cue a negation turns it around: "not part of a hunt group". */
const NEGATION_REACH = 4;
/** Words just before a cue that turn it around: "not a hunt group", "isn't on two accounts". */
const NEGATION = /\b(?:not|no|never|without|nor|nobody|nothing|neither|ni|sin)\b|n't\b/i;
/** A checklist's cross ("✗ PIN - expired") marks a problem. */
const CROSS = /^\s*[✗✘❌]/;
/** A checklist's tick ("✓ Not in a hunt group") marks a detail that passed, whatever words follow. */
const CHECK = /^\s*[✓✔☑]/;
/** A rejection from before, now dealt with: "last time it was the PIN", "prior rejection (bill copy too old) resolved". */
const PAST_REJECTION =
  /\b(?:that part is done|so that shouldn'?t be it|shouldn'?t be (?:it|the problem)|(?:is|was) the problem last (?:week|time|month)|i turned (?:that|it) off|is off, i checked|already paid|unlock (?:is )?done|that'?s done|no tengo)\b|\b(?:last time|the time before|(?:prior|previous|earlier) reject(?:ion)?|la vez pasada)\b|\b(?:has since been|was since|already been) (?:cleared|resolved|fixed|corrected)\b/i;
const PAST_REJECTION_ALL = new RegExp(PAST_REJECTION.source, 'gi');
/** Money said to be owed: stated even when the customer adds that they paid. */
const OWED = /\b(?:i|we|you)\s+(?:still\s+)?owe\b|\b(?:balance (?:due|owed|owing)|still past[- ]due)\b/i;
/** Words that say a detail is wrong, without "rejected" or "required", which every notice has. */
const PROBLEM =
  /\b(?:not|wrong|mismatch\w*|invalid|incorrect|differ\w*|missing|expired|owes?|owed|unpaid|locked|frozen|disconnected|inactive|illegible|unsigned)\b|n't\b|^\s*[✗✘❌]/i;
/** Idioms with a reason's word that state no reason: "rejected pending receipt of this document". */
const IDIOM =
  /^\s*(?:\[[^\]]{1,12}\]\s*)?(?:customer|cust|agent|agente|cliente|user|rep|tech)\s*:|^\s*\[[^\]]{1,12}\]\s*[\w .'-]{0,20}?(?::|$)|\b(?:so )?what'?s (?:wrong|the problem|the issue)(?: now| then)?\s*\?+|\bcontract (?:no|number|nbr|#)\b\.?|\bno-contract\b|\b(?:toll[- ]free|8[0-8]{2})(?: numbers?)? port(?: request| order| rejection)?(?: for| of)?\b|\b(?:the )?\$\s?3(?:\.00)? (?:unlock )?(?:fee|charge)\b|\b(?:rj|rej|rjct|reject|rejection)\s+code\s+\w+\b|\beu (?:to|must|should|needs to) contact\b|\b(?:(?:all|they'?re|they are|numbers are)\s+)?(?:in|with|under)\s+(?:the\s+)?area code\s*\(?\d{3}\)?|\b(?:came back from|rejected by|returned by|reject from) the resp ?org\b|\bthe resp ?org rejected\b|\bstatus\s*:?\s*pending\b|\b(?:(?:they|was|were|got|been|has been|it was) )?rejected(?: (?:it|my port|the port|my order|the order|my request|the request))?(?: again| twice| a second time)\b|\bpending\s*(?:->|→|=>)|\bstatus changed\b|\b(?:request|order) (?:could not|couldn't|cannot|can't) be processed\b|\bremaining (?:issue|problem|item|step|question)s?\b|\bpending (?:receipt|review|verification|approval|confirmation|the outcome)\b|\b(?:rejected|held) until (?:this|it) is provided\b/gi;
const SAYS_WRONG =
  /\b(?:past[- ]due|overdue|delinquent|pendiente|vencid[oa]|incorrect[oa]|no coincide|bloquead[oa]|suspendid[oa]|desconectad[oa]|debe|debo|adeuda|falta|must|has to|have to|until|has passed|already passed|in the past|not|wrong|mismatch\w*|invalid|incorrect|differ\w*|missing|expired|required|needs?|too (?:soon|early|old|late|far|close|long|many)|holiday|weekend|owes?|owed|unpaid|locked|frozen|pending|disconnected|inactive|illegible|unsigned)\b|n't\b/i;
/** E-mail headers and forwarding lines ("Date: Mon, Jun 3", "---------- Forwarded message"): never a reason. */
const HEADER = /^(?:[>\s-]*)(?:(?:from|to|cc|bcc|date|sent|subject|re|fw|fwd)\s*:|forwarded message\b)|^-{3,}/i;
/** A question the customer or a colleague asked ("> Did they say anything about the PIN?") states nothing. */
const QUESTION =
  /^(?:>\s*)?(?:\[[^\]]{1,12}\]\s*)?(?:[\w .'-]{1,40}:\s*)?(?:did|do|does|was|were|is|are|can|could|should|would|will|what|how|why|which|any|anything|ok and|need)\b[^?]*\?+\s*$|^\s*(?:\[[^\]]{1,12}\]\s*)?(?:[\w .'-]{1,20}:\s*)?(?:what if|if there (?:was|were|is)|if (?:i|we|she|he|they) (?:had|was|were|owed))\b|^\s*if\b[^.;]*\b(?:we'll|we will|we'd|they'll|they'd)\b|\bchecked (?:for|whether|if)\b|\b(?:i|we|he|she|cust(?:omer)?|caller|client|(?:the )?\w+ (?:person|rep|agent))\s+(?:also\s+|then\s+)?(?:asked|wondered|wants? to know|wanted to know)\s+(?:\w+\s+)?(?:if|whether|about)\b|\b(?:nobody|no one|no-one)\s+(?:\w+\s+){0,2}(?:asked|said|mentioned)\b|^\s*(?:[\w\s]{1,20}:\s*)?(?:¿|and the |the |y el |y la |el |la )[^?]{0,20}\?\s*$/i;
/** A salutation or sign-off ("Dear Valued Partner,", "Best regards") states nothing. */
const SALUTATION = /^(?:dear|hi|hello|hey|greetings|thanks|thank you|regards|best|sincerely|cheers|kind regards)\b/i;

/**
 * The words of a JSON body worth reading: values of codes, reasons, messages and remarks, one per line.
 * Keys such as "requested_foc" or "tns" name fields, not reasons, so they are left out.
 */
function readableJson(text: string): string | null {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const lines: string[] = [];
  const visit = (node: unknown, key: string) => {
    if (typeof node === 'string') {
      if (/code|reason|message|msg|detail|desc|error|remark|note|exception|text|explanation|cause|reject|issue|problem|failure/i.test(key)) lines.push(node);
    } else if (Array.isArray(node)) for (const item of node) visit(item, key);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(value, '');
  return lines.length > 0 ? lines.join('\n') : null;
}

/** Curly apostrophes as plain ones, as the cue patterns and the hedges are written. */
function plainApostrophes(text: string): string {
  return text.replace(/[’‘]/g, "'");
}

/** The fragment a position falls in: the last one starting at or before it. */
function fragmentAt(fragments: Clause[], position: number): Clause | undefined {
  let at: Clause | undefined;
  for (const fragment of fragments) if (fragment.at <= position) at = fragment;
  return at;
}

function saysFine(original: string): boolean {
  if (CROSS.test(original)) return false;
  // "They say I still owe $84 but I already paid it": a problem stated beside the "already" is still stated.
  if (PAST_REJECTION.test(original)) return !OWED.test(original.replace(PAST_REJECTION_ALL, ' '));
  const text = original.replace(IDIOM, ' ');
  if (CHECK.test(text)) return true;
  return SAYS_FINE.test(text) && !SAYS_WRONG.test(text.replace(SAYS_FINE_ALL, ''));
}

interface Clause {
  text: string;
  at: number;
}

export function clausesOf(text: string, breaks: RegExp = CLAUSE_BREAK, offset = 0): Clause[] {
  const source = text.slice(0, MAX_CLASSIFIED_CHARS);
  const clauses: Clause[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = source.slice(start, end);
    if (raw.trim()) clauses.push({ text: raw.trim(), at: offset + start + (raw.length - raw.trimStart().length) });
  };
  for (const m of source.matchAll(breaks)) {
    const at = m.index ?? 0;
    push(at);
    start = at + m[0].length;
  }
  push(source.length);
  return clauses;
}

interface CuesRead {
  stated: { reason: RejectionId; at: number; covers: Set<string> }[];
  denied: Set<RejectionId>;
}

export interface NoticeReaderDeps {
  understander: Understander;
  classifier: IntentClassifier;
  content: Pick<Content, 'reasonCodes' | 'reasonCues'>;
  facts: FactReader;
}

export function createNoticeReader(deps: NoticeReaderDeps, thresholds: NoticeReaderThresholds = DEFAULT_READER_THRESHOLDS) {
  const { understander, classifier } = deps;
  const codes = deps.content.reasonCodes.flatMap((code) =>
    [code.code, ...code.also].map((spelling) => ({ key: ` ${codeKey(spelling)} `, reason: code.reason as RejectionId, spelling })),
  );

  const cues = deps.content.reasonCues.map((cue) => ({
    reason: cue.reason as RejectionId,
    patterns: cue.patterns.map((p) => new RegExp(p, 'gi')),
    unless: cue.unless ? new RegExp(cue.unless, 'i') : undefined,
    covers: new Set<string>(cue.covers),
  }));
  /** Every code's key in one: a text none of them is in holds no code, found in one scan instead of one per code. */
  const anyCode = new RegExp(codes.map((code) => escapeRegExp(code.key)).join('|') || '(?!)');
  /** Every cue's patterns in one: a clause none of them matches states and denies nothing, read in one scan. */
  const anyCue = new RegExp(cues.flatMap((cue) => cue.patterns.map((p) => `(?:${p.source})`)).join('|') || '(?!)', 'i');

  /**
   * The reasons a clause states in plain words (knowledge/reason-cues.yaml), each with where it stands in the
   * clause, and the reasons it denies in them ("isn't in a hunt group"), which the classifier must not read into it.
   */
  function cuesIn(clause: string, fine: (text: string) => boolean): CuesRead {
    const read: CuesRead = { stated: [], denied: new Set() };
    if (HEADER.test(clause) || QUESTION.test(clause) || fine(clause)) return read;
    const plain = plainApostrophes(clause).replace(IDIOM, (m) => ' '.repeat(m.length));
    if (!anyCue.test(plain)) return read;
    const fragments = clausesOf(plain, FRAGMENT_BREAK);
    for (const cue of cues) {
      if (cue.unless?.test(plain)) continue;
      let at = -1;
      let negated = false;
      for (const pattern of cue.patterns) {
        for (const m of plain.matchAll(pattern)) {
          const start = m.index ?? 0;
          const fragment = fragmentAt(fragments, start) ?? { text: plain, at: 0 };
          if (fine(fragment.text)) continue;
          const before = plain.slice(fragment.at, start).trim().split(/\s+/).slice(-NEGATION_REACH).join(' ');
          if (NEGATION.test(before)) {
            negated = true;
            continue;
          }
          if (at < 0 || start < at) at = start;
          break;
        }
      }
      if (at >= 0) read.stated.push({ reason: cue.reason, at, covers: cue.covers });
      else if (negated) read.denied.add(cue.reason);
    }
    return read;
  }

  return {
    read(original: string, options: { referenceDate?: Date; knownNumbers?: string[] } = {}): NoticeReading {
      const text = readableJson(original) ?? original;
      // A clause is read for cues up to three times below (its cues, what they cover, the clause as a part): once is enough.
      const cuesRead = new Map<string, CuesRead>();
      const cuesOf = (part: string): CuesRead => {
        const known = cuesRead.get(part);
        if (known) return known;
        const read = cuesIn(part, fine);
        cuesRead.set(part, read);
        return read;
      };
      // Whether a part only says a detail is fine is asked of most parts several times: once is enough.
      const fineRead = new Map<string, boolean>();
      const fine = (part: string): boolean => {
        const known = fineRead.get(part);
        if (known !== undefined) return known;
        const says = saysFine(part);
        fineRead.set(part, says);
        return says;
      };
      const whole = understander.understand(text);
      const found = new Map<RejectionId, ReasonReading & { at: number }>();
      const possible = new Map<RejectionId, ReasonReading & { at: number }>();
      const add = (reading: ReasonReading, at: number) => {
        const before = found.get(reading.intent);
        if (!before) found.set(reading.intent, { ...reading, at });
        else if (at < before.at || (reading.sure && !before.sure)) found.set(reading.intent, { ...reading, at: Math.min(at, before.at), sure: before.sure || reading.sure });
      };

      // Reason codes, wherever they stand, unless only a question or a detail said to be fine holds them
      // ("caller asked whether the unlock charge counts as an unpaid balance").
      const squashed = ` ${codeKey(text.slice(0, MAX_CLASSIFIED_CHARS))} `;
      const clauses = clausesOf(text);
      const silentKeys: string[] = [];
      const statingKeys: string[] = [];
      const statingClauses: string[] = [];
      let leftOut = false;
      for (const clause of clauses) {
        const silent = QUESTION.test(clause.text) || fine(clause.text);
        (silent ? silentKeys : statingKeys).push(` ${codeKey(clause.text)} `);
        const stating = silent ? '' : clause.text.replace(IDIOM, ' ');
        if (stating !== clause.text) leftOut = true;
        if (!silent) statingClauses.push(stating);
      }
      // The whole message without its parts and idioms that state nothing ("NOTE: FREEZE REMOVED 11/02. PIN
      // INVALID" says nothing about a freeze, "EU must contact AT&T" nothing about the end-user details): what
      // its own reading may add. A message of such parts only adds nothing.
      const toldText = statingClauses.join('\n');
      const told = toldText.trim().length === 0 ? null : leftOut ? understander.understand(toldText) : whole;
      for (const code of anyCode.test(squashed) ? codes : []) {
        const at = squashed.indexOf(code.key);
        if (at >= 0 && silentKeys.some((k) => k.includes(code.key)) && !statingKeys.some((k) => k.includes(code.key))) continue;
        if (at >= 0) add({ intent: code.reason, evidence: code.spelling, sure: true, confidence: 1, via: 'code' }, at);
      }

      // Each clause on its own, then each fragment of a clause that did not state a reason surely.
      /** Where each intent is first the best reading of a part, however weakly: where the whole message's reasons stand. */
      const firstSeen = new Map<string, number>();
      const firstSeenInFragments = new Map<string, number>();
      // The whole message's probability of each intent, ranked only when a fragment needs it.
      let support: Map<string, number> | undefined;
      const supportOf = (intent: string) => {
        support ??= new Map(classifier.rank(text).map((r) => [r.intent, r.confidence]));
        return support.get(intent) ?? 0;
      };
      /** The best reading of each fragment of the clause being read. */
      const clauseFragmentBests = new Set<string>();
      /** Reasons a cue of the clause being read takes in (knowledge/reason-cues.yaml `covers`). */
      let coveredInClause = new Set<string>();
      const consider = (part: Clause, minimum: number, fragment = false, mustBeOneOf?: Set<string>) => {
        const tokens = tokenize(normalizeText(part.text));
        if (tokens.length < 2) return false;
        const words = tokens.filter((t) => !t.startsWith('qq')).length;
        if (fine(part.text)) return false;
        if (SALUTATION.test(part.text) && words <= 4) return false;
        if (HEADER.test(part.text) || QUESTION.test(part.text)) return false;
        // A part that holds a reason code is read by the code, not by the classifier ("CUSTOMER_NAME_MISMATCH").
        const partKey = ` ${codeKey(part.text)} `;
        if (anyCode.test(partKey)) return false;
        // A part a cue has read is not read again by the classifier, which would add its nearest neighbour:
        // "Their records show 555-0116 on a different account" is two accounts, not a mismatch.
        const cued = cuesOf(part.text);
        if (cued.stated.length > 0) return false;
        const partText = part.text.replace(IDIOM, ' ');
        // What is left once idioms are set aside must still say something: "Google $3 fee" is only "Google".
        if (tokenize(normalizeText(partText)).length < 2) return false;
        const [best] = classifier.topTwo(partText);
        const at = proportional(part.at, text, squashed);
        if (fragment) clauseFragmentBests.add(best.intent);
        if (coveredInClause.has(best.intent) || (isRejectionId(best.intent) && cued.denied.has(best.intent))) return false;
        if (mustBeOneOf && mustBeOneOf.size > 0 && !mustBeOneOf.has(best.intent)) return false;
        const seen = fragment ? firstSeenInFragments : firstSeen;
        if (!seen.has(best.intent)) seen.set(best.intent, at);
        if (best.intent === 'human' && best.confidence >= PERSON_CLAUSE_CONFIDENCE && tokens.length <= 12) asksForPerson = true;
        // Two words can state a reason ("are inactive") only when the classifier is all but certain.
        if (!isRejectionId(best.intent) || words < MIN_PART_WORDS - 1 || (words < MIN_PART_WORDS && best.confidence < SHORT_PART_CONFIDENCE)) return false;
        const reading = { intent: best.intent, evidence: part.text.slice(0, 160), confidence: best.confidence, via: 'clause' as const };
        // A fragment adds a reason only if the whole message leaves it some room: in "our LOA was rejected, the
        // wrong person signed it" the whole is all about the LOA, so "wrong person" is not a second reason.
        if (fragment && wholeIsSure && supportOf(best.intent) < FRAGMENT_SUPPORT) return false;
        // A part that states a problem ("isn't", "owes", "required", "expired") needs less confidence to state its reason.
        const problem = words >= PROBLEM_PART_WORDS && PROBLEM.test(part.text);
        if (best.confidence >= minimum || (problem && best.confidence >= PROBLEM_PART_CONFIDENCE)) {
          // A part said as a guess ("and i think my account pin") makes its reason only suspected.
          add({ ...reading, sure: !HEDGE.test(plainApostrophes(part.text)) }, fragment ? at : (firstSeenInFragments.get(best.intent) ?? at));
          return true;
        }
        if (best.confidence >= thresholds.possibleConfidence && !possible.has(best.intent)) possible.set(best.intent, { ...reading, sure: false, at });
        return false;
      };
      /** A part's plain-words cues: sure, and placed where their words stand. */
      const addCuesOf = (part: Clause, onlyNew: boolean) => {
        const plain = plainApostrophes(part.text);
        for (const cue of cuesOf(part.text).stated) {
          if (onlyNew && found.has(cue.reason)) continue;
          // Only a guess said before the cue hedges it: "the PIN was wrong and I think ..." is not a guess about the PIN.
          const guessed = HEDGE.test(plain.slice(0, cue.at));
          add(
            { intent: cue.reason, evidence: part.text.slice(0, 160), sure: !guessed, confidence: guessed ? thresholds.possibleConfidence : 1, via: 'cue' },
            proportional(part.at + cue.at, text, squashed),
          );
        }
      };
      for (const clause of clauses.slice(0, MAX_CLAUSES * 2)) addCuesOf(clause, false);
      // Then whole sentences, for cues that need more than one clause ("the name, the address and the contact
      // person ... are all wrong" is split at "and the").
      const sentences = clausesOf(text, SENTENCE_BREAK).slice(0, MAX_CLAUSES * 2);
      for (const sentence of sentences) addCuesOf(sentence, true);
      // What each sentence's cues cover in its clauses, from the cues no clause of it states on its own
      // ("the name, the address and the person to contact are all wrong" covers "the person to contact").
      const sentenceCovers = sentences.map((sentence) => {
        const end = sentence.at + sentence.text.length;
        const byClauses = new Set(clauses.filter((c) => c.at >= sentence.at && c.at < end).flatMap((c) => cuesOf(c.text).stated.map((cue) => cue.reason)));
        return {
          at: sentence.at,
          end,
          covers: cuesOf(sentence.text)
            .stated.filter((cue) => !byClauses.has(cue.reason))
            .flatMap((cue) => [...cue.covers]),
        };
      });
      const wholeIsSure = whole.kind === 'rejection' && whole.confidence >= SURE_WHOLE;
      const wholeIsCertain = whole.kind === 'rejection' && whole.confidence >= CERTAIN_WHOLE && whole.reasons.length === 1;
      let asksForPerson = whole.kind === 'conversation' && whole.intent === 'human' && whole.confidence >= PERSON_CLAUSE_CONFIDENCE;
      if (!asksForPerson && (ASKS_FOR_PERSON.test(text) || ASKS_FOR_PERSON_ES.test(text)) && !NOT_ASKING.test(text)) asksForPerson = true;
      let parts = 0;
      // A message read as one reason this surely needs surer fragments to add another ("the wrong person signed it").
      const fragmentMinimum = wholeIsCertain ? Math.max(thresholds.fragmentConfidence, CERTAIN_WHOLE_FRAGMENT_CONFIDENCE) : thresholds.fragmentConfidence;
      for (const clause of clauses) {
        if (parts++ >= MAX_CLAUSES) break;
        // Fragments first, so a reason the clause states stands where its own fragment does.
        // A clause that only says details are fine ("address, BTN and account number all match") has no reason in its parts either.
        if (fine(clause.text) || QUESTION.test(clause.text)) continue;
        const fragments = clausesOf(clause.text, FRAGMENT_BREAK, clause.at);
        clauseFragmentBests.clear();
        // What the clause's own cues cover, and what its sentence's cover.
        const inSentence = sentenceCovers.find((s) => s.at <= clause.at && clause.at < s.end)?.covers ?? [];
        coveredInClause = new Set([...cuesOf(clause.text).stated.flatMap((cue) => [...cue.covers]), ...inSentence]);
        if (fragments.length >= 2) for (const fragment of fragments) if (parts++ < MAX_CLAUSES * 3) consider(fragment, fragmentMinimum, true);
        // A clause of several fragments states a reason only if one of its fragments reads as it: otherwise its
        // reading is a blend of fragments about other things ("the address is right ... but the contact isn't").
        if (clauses.length >= 2) consider(clause, thresholds.clauseConfidence, false, fragments.length >= 2 ? clauseFragmentBests : undefined);
      }

      // The whole message: its reasons, placed where a clause or code first states them. Two reasons
      // too close to call are both only possible: the customer picks.
      if (told?.kind === 'rejection') {
        // Only the whole message's top reason: its parts were read above, more carefully than the understander does.
        for (const intent of [told.intent]) {
          if (!isRejectionId(intent) || found.has(intent)) continue;
          // A whole message read this weakly names no reason at all ("rejected AGAIN for the 3rd time").
          if (told.confidence < thresholds.possibleConfidence && !possible.has(intent)) continue;
          const sure = told.confidence >= thresholds.sureConfidence;
          const at = firstSeenInFragments.get(intent) ?? possible.get(intent)?.at ?? firstSeen.get(intent) ?? -1;
          add({ intent, evidence: possible.get(intent)?.evidence ?? text.slice(0, 160), sure, confidence: told.confidence, via: 'whole' }, at);
        }
      } else if (told?.kind === 'ambiguous') {
        for (const option of told.options) {
          if (!isRejectionId(option.intent) || found.has(option.intent) || possible.has(option.intent)) continue;
          // Once something was read surely, a weak whole-message guess no part of the message reads as its best
          // is noise: "REJECT: ACCT NBR INVALID" is the account number, not also "maybe the port date".
          if (found.size > 0 && !firstSeen.has(option.intent) && !firstSeenInFragments.has(option.intent)) continue;
          possible.set(option.intent, { intent: option.intent, evidence: text.slice(0, 160), sure: false, confidence: option.confidence, at: -1 });
        }
      }

      // A Google Voice number has no carrier freeze: its "lock" is the unlock the Google Voice reason is about.
      const gvLock = found.get('freeze');
      if (found.has('google_voice_unlock') && gvLock && !/(?:freez|frozen|protection|slamming)/i.test(gvLock.evidence)) found.delete('freeze');
      const reasons = [...found.values()].sort((a, b) => a.at - b.at).map(({ at: _at, ...r }) => r);
      // A message that reads surely as greeting, thanks, help... and states no reason suggests none either.
      const plainConversation = whole.kind === 'conversation' && whole.intent !== REJECTION_UNSPECIFIED && whole.confidence >= PLAIN_CONVERSATION;
      const stillPossible = [...possible.values()]
        .filter((p) => !found.has(p.intent) && !(plainConversation && found.size === 0))
        .sort((a, b) => a.at - b.at)
        .map(({ at: _at, ...r }) => r);
      return {
        reasons,
        possible: stillPossible,
        facts: deps.facts.read(original, { referenceDate: options.referenceDate, knownNumbers: options.knownNumbers }),
        whole,
        asksForPerson,
        language: languageOf(original),
      };
    },
  };
}

export type NoticeReader = ReturnType<typeof createNoticeReader>;

/** A position in the original text, scaled to the squashed text codes are matched in, for ordering. */
function proportional(at: number, text: string, squashed: string): number {
  return text.length === 0 ? 0 : Math.round((at / text.length) * squashed.length);
}
