/**
 * Natural answers to offered choices: what a customer types instead of pressing a button. "yes",
 * "nope", "idk", "the second one", "both", "it's AT&T, so no?", or a label's key words all select the
 * choice they mean. Only short messages are read this way: a pasted notice is never taken for a press.
 */
import type { Choice } from '../core/types.js';

/** Longer messages are not answers to a button. */
const MAX_ANSWER_WORDS = 12;
/** A label is picked by its key words only from an answer with at most this many of them. */
const MAX_KEY_WORDS = 4;

const NOT_SURE = /\b(?:idk|dunno|not sure|unsure|no idea|no clue|don'?t know|do not know|dont know|not certain|can'?t tell|no se|no sé|ni idea|no estoy segur[oa])(?=[\s,.!?]|$)/i;
const NOT_SURE_LABEL = /\b(?:not sure|don'?t know|unsure|no idea|no sé)(?=[\s,.!?]|$)/i;
const ALL =
  /^(?:(?:yes|yeah|ok|okay|sí|si),?\s+)?(?:both|all|all of them|both of them|all three|all four|each of them|every one|everything|the lot|ambas|ambos|todas|todos|las dos|los dos)\b/i;
const ALL_LABEL = /^(?:both|all of them|ambas|todas)\b/i;
const YES_WORD = /(?:^|[\s,.!¡¿])(?:yes|yeah|yea|yep|yup|sure|correct|right|affirmative|ok|okay|indeed|exactly|that'?s it|si|sí|claro|correcto|exacto)(?=[\s,.!?]|$)/i;
const NO_WORD = /\b(?:no|nope|nah|not really|negative|incorrect|wrong)\b/i;
const YES_LABEL = /^(?:yes|that'?s right|s[ií])(?=[\s,.!?]|$)/i;
const NO_LABEL = /^(?:no|not)\b/i;
const ORDINALS: Array<[RegExp, (count: number) => number]> = [
  [/\b(?:first|1st|top|primer[oa]?)\b/i, () => 0],
  [/\b(?:second|2nd|segund[oa])\b/i, () => 1],
  [/\b(?:third|3rd|tercer[oa]?)\b/i, () => 2],
  [/\b(?:fourth|4th)\b/i, () => 3],
  [/\b(?:fifth|5th)\b/i, () => 4],
  [/\b(?:last|bottom|[uú]ltim[oa])\b/i, (count) => count - 1],
];
const ORDINAL_SHAPE =
  /^(?:the\s+|la\s+|el\s+)?(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|top|bottom|primer[oa]?|segund[oa]|tercer[oa]?|[uú]ltim[oa])(?:\s+(?:one|option|choice|button|opci[oó]n))?\b/i;
const STOP_WORDS = new Set(
  "the a an it its it's is are was were be to of on in at for and or but my our your their this that these those i we you they me us so just yes no not do does did have has had with from by as one option".split(
    ' ',
  ),
);

export interface NaturalAnswerOptions {
  /** Carrier ids named in the text (from the entity extractor), for choices that are carriers. */
  carriers?: string[];
}

/**
 * The offered choice a typed message means, or undefined. Exact forms first (a number, an id, a
 * label), then not-sure, all/both, ordinals, yes/no, a carrier, and a label's key words.
 */
export function matchNaturalAnswer(choices: Choice[], typed: string, options: NaturalAnswerOptions = {}): Choice | undefined {
  if (choices.length === 0) return undefined;
  const exact = matchChoice(choices, typed);
  if (exact) return exact;
  const text = typed.trim().replace(/[.!?]+$/, '');
  if (text.split(/\s+/).length > MAX_ANSWER_WORDS) return undefined;
  const lower = text.toLowerCase();
  const byPrefix = choices.filter((c) => c.label.toLowerCase().startsWith(lower) && lower.length >= 3);
  if (byPrefix.length === 1) return byPrefix[0];

  if (NOT_SURE.test(text)) return choices.find((c) => NOT_SURE_LABEL.test(c.label));
  if (ALL.test(text)) {
    // "both" when the bot read two reasons and asks "Is that right?" means yes, walk them.
    const all = choices.find((c) => ALL_LABEL.test(c.label)) ?? choices.find((c) => /^(?:yes, that'?s right|s[ií], es correcto)/i.test(c.label));
    if (all) return all;
  }
  if (ORDINAL_SHAPE.test(text)) {
    for (const [pattern, index] of ORDINALS) if (pattern.test(text)) return choices[index(choices.length)];
  }

  const carriers = options.carriers ?? [];
  if (carriers.length === 1) {
    const carrier = carriers[0]!;
    const named = choices.find((c) => c.id.endsWith(`.${carrier}`) || c.id === carrier);
    if (named) return named;
  }

  const yes = YES_WORD.test(text);
  const no = NO_WORD.test(text);
  if (yes !== no) {
    const wanted = choices.filter((c) => (yes ? YES_LABEL : NO_LABEL).test(c.label));
    if (wanted.length === 1) return wanted[0];
  }

  // A question is not an answer, even when it shares words with a label ("what's a pilot?").
  return /\?$/.test(typed.trim()) ? undefined : byKeyWords(choices, lower);
}

/** The one choice whose label shares the most key words with the text (and strictly more than any other). */
function byKeyWords(choices: Choice[], lower: string): Choice | undefined {
  const words = keyWords(lower);
  // Key words pick a label only from a short answer ("the service address"), not from a sentence that shares a word.
  if (words.size === 0 || words.size > MAX_KEY_WORDS) return undefined;
  let best: Choice | undefined;
  let bestScore = 0;
  let tie = false;
  for (const choice of choices) {
    const score = [...keyWords(choice.label.toLowerCase())].filter((w) => words.has(w)).length;
    if (score > bestScore) {
      best = choice;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) tie = true;
  }
  if (bestScore === 0 || tie || !best) return undefined;
  // "I don't want to pay the fee" shares its words with "Pay the fee and port now" and means the opposite.
  if (NEGATED.test(lower) && !NEGATED.test(best.label)) return undefined;
  return best;
}

/** A word that turns an answer around. */
const NEGATED = /\b(?:don'?t|dont|do not|doesn'?t|won'?t|will not|wouldn'?t|not|never|no|rather not|instead of|without)\b/i;

function keyWords(text: string): Set<string> {
  return new Set(
    text
      .replace(/['’]/g, "'")
      .split(/[^a-z0-9']+/)
      .filter((w) => w.length >= 3 && !STOP_WORDS.has(w))
      // A crude stem, so "disconnected" meets "Disconnect" and "moving" meets "Move".
      .map((w) => w.replace(/(?:ies)$/, 'y').replace(/(?<=\w{3})(?:ing|ed|es|e|(?<=[^s])s)$/, '')),
  );
}

/** Words that join several picks in one answer: "address and account number", "1, 3", "el nombre y la dirección". */
const SEVERAL_BREAK = /\s*(?:,|;|&|\+|\/|\band\b|\balso\b|\bplus\b|\bas well as\b|\by\b)\s*/i;

/**
 * For a question that takes one or more of its choices: every choice the typed answer names, in the
 * order of the choices, or undefined when a part of the answer names none. A not-sure choice stands alone.
 */
export function matchSeveralAnswers(choices: Choice[], typed: string): Choice[] | undefined {
  const text = typed.trim().replace(/[.!?]+$/, '');
  if (text.length === 0 || text.split(/\s+/).length > MAX_ANSWER_WORDS) return undefined;
  // A label typed whole ("Not sure, it didn't say") is one pick, whatever commas it holds.
  const exact = matchChoice(choices, text);
  if (exact) return [exact];
  const parts = text
    .split(SEVERAL_BREAK)
    .map((p) => p.replace(/^(?:the|el|la|los|las|both|ambos)\s+/i, '').trim())
    .filter((p) => p.length > 0);
  if (parts.length < 2) {
    const one = matchNaturalAnswer(choices, text);
    return one ? [one] : undefined;
  }
  // Every part must name a choice: "the address and something else" is not just the address.
  const picked = new Set<Choice>();
  for (const part of parts) {
    const choice = matchNaturalAnswer(choices, part);
    if (!choice) return undefined;
    picked.add(choice);
  }
  const unsure = [...picked].find((c) => NOT_SURE_LABEL.test(c.label));
  if (unsure) return picked.size === 1 ? [unsure] : undefined;
  return choices.filter((c) => picked.has(c));
}

/** A choice typed by its number, its id or its whole label. */
export function matchChoice(choices: Choice[], typed: string): Choice | undefined {
  const t = typed
    .trim()
    .toLowerCase()
    .replace(/[.)!]+$/, '');
  if (/^\d{1,2}$/.test(t)) return choices[Number(t) - 1];
  return choices.find((c) => c.id === t || c.label.toLowerCase() === t);
}

/** A not-sure answer ("idk", "no idea") to a question that has no not-sure choice. */
export function isNotSure(typed: string): boolean {
  return typed.trim().split(/\s+/).length <= MAX_ANSWER_WORDS && NOT_SURE.test(typed);
}
