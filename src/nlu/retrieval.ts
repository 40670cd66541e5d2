/**
 * Finds the passages of `knowledge/` that bear on a customer's free question: the articles, the short
 * answers to side questions and the glossary, ranked by TF-IDF cosine over stemmed words. What the
 * optional model may answer from, and cite; offline, nothing is generated from it.
 */
import type { Content } from '../content/load-content.js';
import { normalizeText, stem, tokenize } from './normalize.js';

export interface Passage {
  /** `<article id>`, `faq:<side question id>` or `term:<term>`: what an answer cites. */
  id: string;
  title: string;
  text: string;
}

/** Words that say nothing about porting: left out of the ranking. */
const STOP = new Set(
  'a an and are as at be been but by can could do does did for from had has have how i if in is it its me my of on or our so that the their them then there they this to up was we were what when where which who why will with would you your yes no not just also about into than too very should may might need want get got'.split(
    ' ',
  ),
);

/** Passages are cut to this many characters: enough for an answer, small enough for a prompt. */
const MAX_PASSAGE_CHARS = 1800;

/** The words of a text that carry meaning: normalised, stemmed, without stop words and placeholders. */
export function termsOf(text: string): string[] {
  return tokenize(normalizeText(text))
    .filter((t) => !t.startsWith('qq') && !STOP.has(t) && t.length > 1)
    .map(stem);
}

export interface Retriever {
  /** The passages most about `question`, best first; none when nothing shares enough with it. */
  retrieve(question: string, limit?: number): Array<Passage & { score: number }>;
}

export function createRetriever(content: Pick<Content, 'articles' | 'sideQuestions' | 'glossary'>, options: { minScore?: number } = {}): Retriever {
  const minScore = options.minScore ?? 0.12;
  const passages: Passage[] = [
    ...[...content.articles.values()].map((a) => ({
      id: a.id,
      title: a.title,
      // The Spanish title, summary and steps come first, so a question in Spanish finds the article too.
      text: [...(a.es ? [a.es.title, a.es.summary, ...a.es.what_to_do] : []), a.summary, ...Object.values(a.sections)].join('\n').slice(0, MAX_PASSAGE_CHARS),
    })),
    ...content.sideQuestions.map((q) => ({ id: `faq:${q.id}`, title: q.asks[0] ?? q.id, text: `${q.asks.join(' / ')}\n${q.answer}` })),
    ...content.glossary.map((t) => ({ id: `term:${t.term}`, title: `${t.term} (${t.expansion})`, text: `${t.term}, ${t.expansion}: ${t.meaning}` })),
  ];
  const counts = passages.map((p) => {
    const tf = new Map<string, number>();
    for (const term of termsOf(`${p.title} ${p.text}`)) tf.set(term, (tf.get(term) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of counts) for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log((passages.length + 1) / ((df.get(term) ?? 0) + 1));
  const vectors = counts.map((tf) => {
    const v = new Map<string, number>();
    for (const [term, n] of tf) v.set(term, (1 + Math.log(n)) * idf(term));
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [term, x] of v) v.set(term, x / norm);
    return v;
  });

  return {
    retrieve(question, limit = 3) {
      const q = new Map<string, number>();
      for (const term of termsOf(question)) q.set(term, (q.get(term) ?? 0) + idf(term));
      const norm = Math.sqrt([...q.values()].reduce((s, x) => s + x * x, 0)) || 1;
      return vectors
        .map((v, i) => {
          let score = 0;
          for (const [term, x] of q) score += (x / norm) * (v.get(term) ?? 0);
          return { ...passages[i]!, score };
        })
        .filter((p) => p.score >= minScore)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
  };
}

/** A question rather than a statement: ends with "?" or starts with a question word. */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > 400) return false;
  return (
    /\?\s*$/.test(t) ||
    /^(?:why|how|what|when|where|which|who|can|could|do|does|did|is|are|will|would|should|may|must|qu[eé]|c[oó]mo|cu[aá]ndo|d[oó]nde|por qu[eé]|puedo|puede|tengo que)\b/i.test(t)
  );
}

/**
 * How much of an English answer's wording comes from the passages it cites (0 to 1): an answer that says
 * things the passages do not (an instruction followed, an invented fact) shares few words with them.
 */
export function groundedShare(answer: string, passages: Passage[]): number {
  const terms = termsOf(answer);
  if (terms.length === 0) return 0;
  const source = new Set(passages.flatMap((p) => termsOf(`${p.title} ${p.text}`)));
  return terms.filter((t) => source.has(t)).length / terms.length;
}
