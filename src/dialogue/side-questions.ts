/**
 * Side questions answered in place: glossary terms ("what's a pilot?", "what does BTN mean") from
 * knowledge/glossary.yaml, and the short questions customers ask mid-walkthrough ("can my office
 * manager sign?", "is it safe to cancel my old service?") from knowledge/side-questions.yaml. The
 * walkthrough then asks its question again; nothing is lost.
 */
import type { Content } from '../content/load-content.js';
import { escapeRegExp } from '../nlu/normalize.js';

export interface SideAnswer {
  text: string;
  /** What answered: a glossary term, or a side question's id. */
  source: { kind: 'glossary'; term: string } | { kind: 'question'; id: string; articles: string[] };
}

/** "what's a pilot", "what is the BTN", "what does LOA mean", "what does FOC stand for", "define CSR", "meaning of ATN". */
const TERM_QUESTION =
  /^(?:(?:sorry|wait|ok|okay|so|and|um+|hm+|uh+)[,\s]+)*(?:what(?:'s|’s| is| are|s)|what does|what do|define|meaning of|explain|whats)\s+(?:an?\s+|the\s+|my\s+|our\s+|this\s+|that\s+)?(.{1,40}?)(?:\s+(?:mean|means|stand for|stands for|again|exactly|thing))?\s*\??$/i;
/** The same asked inside a sentence: "can you tell me what a CSR is", "I don't know what the BTN means". */
const TERM_IN_SENTENCE =
  /^(?:(?:sorry|wait|ok|okay|so|and|um+|hm+|uh+|hi|hey)[,\s]+)*(?:(?:can|could|would) you\s+(?:please\s+)?|please\s+)?(?:tell me|explain(?: to me)?|remind me|i (?:don'?t|do not|dont) (?:know|understand|get)|i'?m not sure|not sure)\s+what\s+(?:an?\s+|the\s+|my\s+|our\s+|this\s+|that\s+)?(.{1,40}?)\s+(?:is|are|means?|stands? for)\s*[?.!]*$/i;
const QUESTION_SHAPE =
  /\?\s*$|^(?:(?:sorry|wait|ok|okay|so|and)[,\s]+)?(?:whats|what|why|how|can|could|is|are|do|does|did|should|will|would|when|where|who|which|if|am i|may i)\b/i;
/** Words every question has: matching on them would answer "why do you need this?" with anything. */
const STOP_WORDS = new Set(
  'the a an i my our is are to of on in it do does did can could will would should be for with and or this that these me we you your they them their what how when if why who which need needs want get have has had know about there'.split(
    ' ',
  ),
);
/** A side question counts when its asks and keywords cover this much of the message. */
const MIN_QUESTION_SCORE = 2;
/** What a side question of the walkthrough under way adds to its score. */
const IN_FLOW_BONUS = 1;

export function createSideQuestions(content: Pick<Content, 'glossary' | 'sideQuestions'>) {
  const terms = new Map<string, { term: string; text: string }>();
  for (const entry of content.glossary) {
    const text = `${entry.term}${entry.expansion && entry.expansion.toLowerCase() !== entry.term.toLowerCase() ? ` (${entry.expansion})` : ''}: ${entry.meaning}`;
    for (const name of [entry.term, entry.expansion ?? '', ...entry.aliases]) {
      if (name) terms.set(termKey(name), { term: entry.term, text });
    }
  }
  const questions = content.sideQuestions.map((q) => ({
    question: q,
    // A keyword of several words matches them in order with up to two words between: "get pin" in "get the pin".
    keywords: q.keywords.map((k) => new RegExp(`\\b${k.toLowerCase().split(/\s+/).map(escapeRegExp).join(String.raw`(?:\s+[\w'’]+){0,2}\s+`)}`)),
    asks: q.asks.map((a) => words(a)),
  }));

  return {
    /** The answer to a side question, or null when the message is not one we can answer from knowledge/. */
    /** `flow`: the walkthrough under way; its own side questions need a little less to match ("how much does it cost?" in the Google Voice walkthrough). */
    answer(message: string, context: { flow?: string } = {}): SideAnswer | null {
      // Two questions marked as two ("what is a BTN? and where do I find it") are read apart first: read whole,
      // their words blend into a third question neither asked.
      if (/\?\s*\S/.test(message.trim())) return answerParts(message, context) ?? answerOne(message, context);
      return answerOne(message, context) ?? answerParts(message, context);
    },
  };

  /**
   * Two or three questions in one ("whats a CSR and how do i get one"): each part that has an answer gets it,
   * and "one" or "it" in a later part stands for the term the first part asked about; null when none has.
   */
  function answerParts(message: string, context: { flow?: string }): SideAnswer | null {
    const parts = message
      .split(/\?+\s*|\s+and\s+|;\s*/i)
      .map((part) => part.trim())
      .filter((part) => part.split(/\s+/).length >= 2);
    if (parts.length < 2 || parts.length > 3) return null;
    const answers: SideAnswer[] = [];
    let term: string | undefined;
    for (const part of parts) {
      const found = answerOne(term ? part.replace(/\b(?:one|it|that|them)\b/i, term) : part, context);
      if (!found || answers.some((a) => a.text === found.text)) continue;
      answers.push(found);
      if (found.source.kind === 'glossary') term ??= found.source.term;
    }
    return answers.length > 0 ? { text: answers.map((a) => a.text).join('\n\n'), source: answers[0]!.source } : null;
  }

  function answerOne(message: string, context: { flow?: string }): SideAnswer | null {
    const text = message.trim();
    if (text.length === 0 || text.length > 200) return null;
    const embedded = TERM_IN_SENTENCE.exec(text);
    if (!embedded && !QUESTION_SHAPE.test(text)) return null;
    const termMatch = embedded ?? TERM_QUESTION.exec(text);
    if (termMatch) {
      const found = terms.get(termKey(termMatch[1]!)) ?? terms.get(termKey(termMatch[1]!).replace(/s$/, ''));
      if (found) return { text: found.text, source: { kind: 'glossary', term: found.term } };
    }
    const lower = text.toLowerCase();
    const asked = words(text);
    let best: { score: number; entry: (typeof questions)[number] } | undefined;
    for (const entry of questions) {
      const keywordHits = entry.keywords.filter((k) => k.test(lower)).length;
      const overlap = Math.max(...entry.asks.map((a) => jaccard(a, asked)));
      const score = keywordHits + overlap * 4 + (context.flow && entry.question.articles.includes(context.flow) ? IN_FLOW_BONUS : 0);
      if (!best || score > best.score) best = { score, entry };
    }
    if (!best || best.score < MIN_QUESTION_SCORE) return null;
    const q = best.entry.question;
    return { text: q.answer, source: { kind: 'question', id: q.id, articles: q.articles } };
  }
}

export type SideQuestions = ReturnType<typeof createSideQuestions>;

function termKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9']+/)
      .filter((w) => w.length > 1 && !STOP_WORDS.has(w)),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}
