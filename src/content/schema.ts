/** zod schemas for everything under intents/ and knowledge/. Content is data, checked at start-up. */
import { z } from 'zod';
import { flowSchema } from './flow-schema.js';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case');
const text = z.string().trim().min(1, 'must not be empty');

export const intentFileSchema = z.strictObject({
  id,
  kind: z.enum(['rejection', 'conversation', 'out_of_scope']),
  description: text,
  cues: z.array(text).default([]),
  examples: z.array(text).min(5, 'needs at least 5 examples'),
  /**
   * The examples are generic ("my port got rejected"): their words appear in every reason's messages,
   * so the classifier learns them at half weight and does not remember them as phrasings.
   */
  generic: z.boolean().default(false),
  flow: flowSchema.optional(),
});
export type IntentFile = z.infer<typeof intentFileSchema>;

export const articleFrontmatterSchema = z.strictObject({
  id,
  title: text,
  summary: text,
  keywords: z.array(text).min(3, 'needs at least 3 keywords'),
  carriers: z.array(id).default([]),
  documents: z.array(id).default([]),
  /** The article in Spanish, for customers who write in Spanish: title, summary and the "What to do" steps. */
  es: z.strictObject({ title: text, summary: text, what_to_do: z.array(text).min(2), resubmit: text.optional() }).optional(),
});

/** The fixed sections every article has, in order; headings as written in the Markdown. */
export const ARTICLE_SECTIONS = {
  what_happened: 'What happened',
  why: 'Why carriers do this',
  what_to_do: 'What to do',
  documents: 'Documents that help',
  carrier_notes: 'Carrier notes',
  resubmit: 'When to resubmit',
  ask_us: 'When to ask us',
} as const;
export type ArticleSectionId = keyof typeof ARTICLE_SECTIONS;

export interface Article extends z.infer<typeof articleFrontmatterSchema> {
  /** Section text (paragraphs joined), keyed by section id. */
  sections: Record<ArticleSectionId, string>;
  /** The numbered steps of "What to do". */
  steps: string[];
}

export const carriersFileSchema = z.strictObject({
  carriers: z
    .array(
      z.strictObject({
        id,
        name: text,
        kind: z.enum(['wireless', 'landline', 'cable', 'voip', 'virtual', 'tollfree']),
        aliases: z.array(text).default([]),
        pin: z
          .strictObject({
            name: text,
            how: z.array(text).min(1),
            who: text.optional(),
            valid_for: text.optional(),
            /** How many days the PIN stays valid, when the carrier says: the bot names the last day. */
            valid_days: z.number().int().positive().optional(),
            /** The same in Spanish, for customers who write in Spanish (English where a part is missing). */
            es: z.strictObject({ name: text.optional(), how: z.array(text).min(1).optional(), who: text.optional(), valid_for: text.optional() }).optional(),
          })
          .optional(),
        lock: z
          .strictObject({
            name: text,
            how: z.array(text).min(1),
            es: z.strictObject({ name: text.optional(), how: z.array(text).min(1).optional() }).optional(),
          })
          .optional(),
        notes: z.array(text).default([]),
      }),
    )
    .min(1),
});
export type Carrier = z.infer<typeof carriersFileSchema>['carriers'][number];

export const glossaryFileSchema = z.strictObject({
  terms: z
    .array(
      z.strictObject({
        term: text,
        expansion: text.optional(),
        aliases: z.array(text).default([]),
        meaning: text,
      }),
    )
    .min(1),
});
export type GlossaryTerm = z.infer<typeof glossaryFileSchema>['terms'][number];

export const documentsFileSchema = z.strictObject({
  documents: z
    .array(
      z.strictObject({
        id,
        name: text,
        aliases: z.array(text).default([]),
        description: text,
        /** How old the document may be (its date at most this many days before the order): the summary names the oldest date. */
        max_age_days: z.number().int().min(1).max(365).optional(),
        /** The document's name and description in Spanish. */
        es: z.strictObject({ name: text, description: text }).optional(),
      }),
    )
    .min(1),
});
export type DocumentType = z.infer<typeof documentsFileSchema>['documents'][number];

/** Which detail of the order a reason code says is wrong (knowledge/reason-codes.yaml `field`). */
/** What can be wrong with a letter of authorization, as the LOA walkthrough's choices name it. */
export const LOA_PROBLEMS = ['missing', 'unsigned', 'illegible', 'too_old', 'wrong_signer', 'numbers_missing'] as const;
export const WRONG_FIELDS = ['service_address', 'house_number', 'street', 'zip', 'city', 'account_number', 'name', 'btn', 'authorized_name', 'pin', 'end_user'] as const;
export type WrongField = (typeof WRONG_FIELDS)[number];

/** Carriers' and porting systems' reason codes, abbreviations and exception names (knowledge/reason-codes.yaml). */
export const reasonCodesFileSchema = z.strictObject({
  codes: z
    .array(
      z.strictObject({
        code: text,
        also: z.array(text).default([]),
        reason: id,
        field: z.enum(WRONG_FIELDS).optional(),
        means: text,
      }),
    )
    .min(1),
});
export type ReasonCode = z.infer<typeof reasonCodesFileSchema>['codes'][number];

/**
 * Plain-words cues (knowledge/reason-cues.yaml): patterns that state a reason in the words customers and
 * carriers use ("the account PIN was wrong", "TNs on 3 accts", "saldo pendiente"). Each pattern is a
 * case-insensitive regular expression matched inside one clause of a notice.
 */
export const reasonCuesFileSchema = z.strictObject({
  cues: z
    .array(
      z.strictObject({
        reason: id,
        /** What the cue recognises, for the people who maintain the file. */
        says: text,
        patterns: z.array(text).min(1),
        /** A part of the notice matching this states something else, so the cue says nothing there. */
        unless: text.optional(),
        /**
         * Reasons this one takes in, in the clause that states it: a clause that says the end-user details
         * are wrong names the authorized person too, and the classifier is not asked to read that as a reason.
         */
        covers: z.array(id).default([]),
      }),
    )
    .min(1),
});
export type ReasonCue = z.infer<typeof reasonCuesFileSchema>['cues'][number];

/** Short answers to side questions asked mid-walkthrough (knowledge/side-questions.yaml). */
export const sideQuestionsFileSchema = z.strictObject({
  questions: z
    .array(
      z.strictObject({
        id,
        asks: z.array(text).min(1),
        keywords: z.array(text).min(1),
        answer: text.max(500),
        articles: z.array(id).min(1),
      }),
    )
    .min(1),
});
export type SideQuestion = z.infer<typeof sideQuestionsFileSchema>['questions'][number];
