/**
 * Loads and validates intents/ and knowledge/. Every problem is collected and reported together,
 * each naming its file and field, and start-up stops with a `ContentError`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ContentError } from '../core/errors.js';
import { DEFAULTS_IN_SPANISH, type Branding } from '../core/types.js';
import { REJECTION_IDS, CONVERSATION_IDS, OUT_OF_SCOPE } from './ids.js';
import { checkFlow } from './check-flow.js';
import {
  ARTICLE_SECTIONS,
  articleFrontmatterSchema,
  carriersFileSchema,
  documentsFileSchema,
  glossaryFileSchema,
  intentFileSchema,
  reasonCodesFileSchema,
  reasonCuesFileSchema,
  sideQuestionsFileSchema,
  type Article,
  type ArticleSectionId,
  type Carrier,
  type DocumentType,
  type GlossaryTerm,
  type IntentFile,
  type ReasonCode,
  type ReasonCue,
  type SideQuestion,
} from './schema.js';

export interface Content {
  /** Every intent, rejection reasons and conversation intents alike, by id. */
  intents: Map<string, IntentFile>;
  articles: Map<string, Article>;
  carriers: Carrier[];
  glossary: GlossaryTerm[];
  documents: Map<string, DocumentType>;
  /** Reason codes and exception names carriers put in notices, each with the reason it means. */
  reasonCodes: ReasonCode[];
  /** Plain-words patterns that state a reason inside one clause ("the account PIN was wrong"). */
  reasonCues: ReasonCue[];
  /** Short answers to questions customers ask in the middle of a walkthrough. */
  sideQuestions: SideQuestion[];
}

export interface ContentRoots {
  intentsDir: string;
  knowledgeDir: string;
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const KNOWN_PLACEHOLDERS = new Set(['company', 'portal', 'support_email']);

/** Loads content from `<root>/intents` and `<root>/knowledge`, filling branding placeholders. */
export function loadContent(roots: ContentRoots, branding: Branding): Content {
  const problems: string[] = [];
  const base = join(roots.intentsDir, '..');
  const rel = (file: string) => relative(base, file) || file;

  function parseFile<T extends z.ZodType>(file: string, schema: T, raw?: unknown): z.infer<T> | undefined {
    let data = raw;
    if (raw === undefined) {
      try {
        data = parseYaml(readFileSync(file, 'utf8'));
      } catch (error) {
        problems.push(`${rel(file)}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
        return undefined;
      }
    }
    const result = schema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(`${rel(file)}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
      }
      return undefined;
    }
    return result.data;
  }

  // --- intents ---
  const intents = new Map<string, IntentFile>();
  const intentFiles = [...listFiles(roots.intentsDir, '.yaml'), ...listFiles(join(roots.intentsDir, 'meta'), '.yaml')];
  for (const file of intentFiles) {
    const intent = parseFile(file, intentFileSchema);
    if (!intent) continue;
    const expected = basename(file, '.yaml');
    if (intent.id !== expected) problems.push(`${rel(file)}: id: "${intent.id}" must match the file name "${expected}"`);
    if (intents.has(intent.id)) problems.push(`${rel(file)}: id: "${intent.id}" is defined twice`);
    const minExamples = intent.kind === 'rejection' ? 25 : 5;
    if (intent.examples.length < minExamples) {
      problems.push(`${rel(file)}: examples: a ${intent.kind} intent needs at least ${minExamples} examples`);
    }
    const seen = new Set<string>();
    intent.examples.forEach((example, i) => {
      const key = example.toLowerCase();
      if (seen.has(key)) problems.push(`${rel(file)}: examples.${i}: duplicate example "${example}"`);
      seen.add(key);
    });
    intents.set(intent.id, intent);
  }
  for (const id of REJECTION_IDS) {
    const intent = intents.get(id);
    if (!intent) problems.push(`intents/${id}.yaml: missing (every rejection reason needs an intent file)`);
    else if (intent.kind !== 'rejection') problems.push(`intents/${id}.yaml: kind: must be "rejection"`);
  }
  for (const id of CONVERSATION_IDS) {
    const intent = intents.get(id);
    if (!intent) problems.push(`intents/meta/${id}.yaml: missing (conversation intent)`);
    else if (intent.kind !== 'conversation') problems.push(`intents/meta/${id}.yaml: kind: must be "conversation"`);
  }
  if (intents.get(OUT_OF_SCOPE)?.kind !== 'out_of_scope') {
    problems.push(`intents/meta/${OUT_OF_SCOPE}.yaml: missing, or kind is not "out_of_scope"`);
  }
  for (const intent of intents.values()) {
    if (intent.kind === 'rejection' && !(REJECTION_IDS as readonly string[]).includes(intent.id)) {
      problems.push(`intents: "${intent.id}" is a rejection intent but not a known rejection reason`);
    }
  }

  // --- knowledge: documents, carriers, glossary ---
  const documentsFile = parseFile(join(roots.knowledgeDir, 'documents.yaml'), documentsFileSchema);
  const documents = new Map((documentsFile?.documents ?? []).map((d) => [d.id, d]));
  const carriers = parseFile(join(roots.knowledgeDir, 'carriers.yaml'), carriersFileSchema)?.carriers ?? [];
  const carrierIds = new Set(carriers.map((c) => c.id));
  if (carrierIds.size !== carriers.length) problems.push('knowledge/carriers.yaml: carriers: ids must be unique');
  const glossary = parseFile(join(roots.knowledgeDir, 'glossary.yaml'), glossaryFileSchema)?.terms ?? [];
  const reasonCodes = parseFile(join(roots.knowledgeDir, 'reason-codes.yaml'), reasonCodesFileSchema)?.codes ?? [];
  const seenCodes = new Map<string, string>();
  for (const [i, code] of reasonCodes.entries()) {
    if (!(REJECTION_IDS as readonly string[]).includes(code.reason)) {
      problems.push(`knowledge/reason-codes.yaml: codes.${i}.reason: "${code.reason}" is not a rejection reason`);
    }
    for (const spelling of [code.code, ...code.also]) {
      const key = codeKey(spelling);
      if (key.replace(/ /g, '').length < 4) problems.push(`knowledge/reason-codes.yaml: codes.${i}: "${spelling}" is too short to match safely`);
      const earlier = seenCodes.get(key);
      if (earlier) problems.push(`knowledge/reason-codes.yaml: codes.${i}: "${spelling}" repeats "${earlier}"`);
      seenCodes.set(key, spelling);
    }
  }
  const reasonCues = parseFile(join(roots.knowledgeDir, 'reason-cues.yaml'), reasonCuesFileSchema)?.cues ?? [];
  for (const [i, cue] of reasonCues.entries()) {
    if (!(REJECTION_IDS as readonly string[]).includes(cue.reason)) {
      problems.push(`knowledge/reason-cues.yaml: cues.${i}.reason: "${cue.reason}" is not a rejection reason`);
    }
    for (const covered of cue.covers) {
      if (!(REJECTION_IDS as readonly string[]).includes(covered) || covered === cue.reason) {
        problems.push(`knowledge/reason-cues.yaml: cues.${i}.covers: "${covered}" is not another rejection reason`);
      }
    }
    for (const [j, pattern] of [...cue.patterns, ...(cue.unless ? [cue.unless] : [])].entries()) {
      try {
        if (new RegExp(pattern, 'i').test('')) problems.push(`knowledge/reason-cues.yaml: cues.${i}.patterns.${j}: matches empty text`);
      } catch (error) {
        problems.push(`knowledge/reason-cues.yaml: cues.${i}.patterns.${j}: not a valid pattern (${(error as Error).message})`);
      }
    }
  }
  const sideQuestions = parseFile(join(roots.knowledgeDir, 'side-questions.yaml'), sideQuestionsFileSchema)?.questions ?? [];

  // --- knowledge: articles ---
  const articles = new Map<string, Article>();
  for (const file of listFiles(roots.knowledgeDir, '.md')) {
    const article = parseArticle(file, rel(file), problems, parseFile);
    if (!article) continue;
    for (const [i, carrier] of article.carriers.entries()) {
      if (!carrierIds.has(carrier)) problems.push(`${rel(file)}: carriers.${i}: unknown carrier "${carrier}" (not in knowledge/carriers.yaml)`);
    }
    if (article.es && article.es.what_to_do.length !== article.steps.length) {
      problems.push(`${rel(file)}: es.what_to_do: ${article.es.what_to_do.length} steps, but "What to do" has ${article.steps.length}`);
    }
    for (const [i, doc] of article.documents.entries()) {
      if (!documents.has(doc)) problems.push(`${rel(file)}: documents.${i}: unknown document "${doc}" (not in knowledge/documents.yaml)`);
    }
    articles.set(article.id, article);
  }
  for (const id of REJECTION_IDS) {
    if (!articles.has(id)) problems.push(`knowledge/${id}.md: missing (every rejection reason needs an article)`);
  }
  for (const id of articles.keys()) {
    if (!intents.has(id)) problems.push(`knowledge/${id}.md: no intent file intents/${id}.yaml refers to this article`);
  }

  // --- placeholders, everywhere customer-facing ---
  const checkPlaceholders = (where: string, value: unknown) => {
    walkStrings(value, (s, path) => {
      for (const m of s.matchAll(PLACEHOLDER)) {
        if (!KNOWN_PLACEHOLDERS.has(m[1] ?? '')) problems.push(`${where}: ${path || '(text)'}: unknown placeholder {{${m[1]}}}`);
      }
    });
  };
  for (const article of articles.values()) checkPlaceholders(`knowledge/${article.id}.md`, article);
  for (const intent of intents.values()) if (intent.flow) checkPlaceholders(`intents/${intent.id}.yaml: flow`, intent.flow);
  checkPlaceholders('knowledge/carriers.yaml', carriers);
  checkPlaceholders('knowledge/glossary.yaml', glossary);
  checkPlaceholders('knowledge/side-questions.yaml', sideQuestions);
  const questionIds = new Set<string>();
  for (const [i, question] of sideQuestions.entries()) {
    if (questionIds.has(question.id)) problems.push(`knowledge/side-questions.yaml: questions.${i}.id: "${question.id}" repeats`);
    questionIds.add(question.id);
    for (const [j, article] of question.articles.entries()) {
      if (!articles.has(article)) problems.push(`knowledge/side-questions.yaml: questions.${i}.articles.${j}: unknown article "${article}"`);
    }
  }

  for (const intent of intents.values()) {
    if (intent.kind === 'rejection' && !intent.flow) problems.push(`intents/${intent.id}.yaml: flow: missing (every rejection reason needs a walkthrough)`);
    if (intent.flow) problems.push(...checkFlow(`intents/${intent.id}.yaml`, intent.flow, { articles, documents, carrierIds }));
  }

  if (problems.length > 0) throw new ContentError(problems);

  // Spanish texts read the default branding in Spanish ("el portal de portabilidad"); set values stay as set.
  const fill = <T>(value: T): T =>
    mapStrings(value, (s, spanish) => s.replace(PLACEHOLDER, (_m, key: keyof Branding) => (spanish ? (DEFAULTS_IN_SPANISH[branding[key]] ?? branding[key]) : branding[key])));
  return {
    intents: new Map([...intents].map(([k, intent]) => [k, intent.flow ? { ...intent, flow: fill(intent.flow) } : intent])),
    articles: new Map([...articles].map(([k, a]) => [k, fill(a)])),
    carriers: fill(carriers),
    glossary: fill(glossary),
    documents,
    reasonCodes,
    reasonCues,
    sideQuestions: fill(sideQuestions),
  };
}

function parseArticle(
  file: string,
  relName: string,
  problems: string[],
  parseFile: <T extends z.ZodType>(file: string, schema: T, raw?: unknown) => z.infer<T> | undefined,
): Article | undefined {
  const source = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const fm = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
  if (!fm) {
    problems.push(`${relName}: must start with a --- frontmatter block ---`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = parseYaml(fm[1] ?? '');
  } catch (error) {
    problems.push(`${relName}: frontmatter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  const front = parseFile(file, articleFrontmatterSchema, raw ?? {});
  if (!front) return undefined;
  if (front.id !== basename(file, '.md')) problems.push(`${relName}: id: "${front.id}" must match the file name`);

  const body = fm[2] ?? '';
  const headings = [...body.matchAll(/^## (.+)$/gm)];
  const expected = Object.values(ARTICLE_SECTIONS);
  const found = headings.map((h) => (h[1] ?? '').trim());
  if (found.join('|') !== expected.join('|')) {
    problems.push(`${relName}: sections: expected headings ${expected.map((h) => `"${h}"`).join(', ')} in this order; found ${found.map((h) => `"${h}"`).join(', ') || 'none'}`);
    return undefined;
  }
  const sectionIds = Object.keys(ARTICLE_SECTIONS) as ArticleSectionId[];
  const sections = {} as Record<ArticleSectionId, string>;
  headings.forEach((h, i) => {
    const start = (h.index ?? 0) + h[0].length;
    const end = headings[i + 1]?.index ?? body.length;
    sections[sectionIds[i]!] = body.slice(start, end).trim();
  });
  for (const sid of sectionIds) {
    if (!sections[sid]) problems.push(`${relName}: sections.${sid}: "${ARTICLE_SECTIONS[sid]}" is empty`);
  }
  const steps = listItems(sections.what_to_do, /^\d+\.\s+/);
  if (steps.length < 2) problems.push(`${relName}: sections.what_to_do: needs at least 2 numbered steps`);
  return { ...front, sections, steps };
}

/** Items of a Markdown list whose markers match `marker`; continuation lines join their item. */
function listItems(section: string, marker: RegExp): string[] {
  const items: string[] = [];
  for (const line of section.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (marker.test(trimmed)) items.push(trimmed.replace(marker, ''));
    else if (items.length > 0 && /^\s/.test(line)) items[items.length - 1] += ` ${trimmed}`;
  }
  return items;
}

/** A reason code as matched: lower case, every run of punctuation and space one space (codes stand in JSON, after colons, before full stops). */
export function codeKey(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function listFiles(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(extension))
    .map((e) => join(dir, e.name))
    .sort();
}

function walkStrings(value: unknown, visit: (s: string, path: string) => void, path = ''): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkStrings(v, visit, path ? `${path}.${i}` : String(i));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, visit, path ? `${path}.${k}` : k);
  }
}

/** Maps every string of a value; `spanish` tells the map whether the string stands under an `es:` key. */
function mapStrings<T>(value: T, map: (s: string, spanish: boolean) => string, spanish = false): T {
  if (typeof value === 'string') return map(value, spanish) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map, spanish)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map, spanish || k === 'es')])) as T;
  }
  return value;
}
