/**
 * The case file: everything a person needs to take over a conversation without asking the customer
 * again. Stored through the store port, parsed on every read. Transcript text is redacted on entry.
 */
import { z } from 'zod';
import { transcriptEntrySchema } from '../dialogue/state.js';
import { noticeFactsSchema } from '../nlu/notice-facts.js';

export type { TranscriptEntry } from '../dialogue/state.js';

export const caseActionSchema = z.object({
  at: z.string(),
  by: z.string(),
  action: z.string(),
  detail: z.string().optional(),
});

export const caseFileSchema = z.object({
  v: z.literal(1),
  id: z.string(),
  status: z.enum(['open', 'claimed', 'handed_back', 'closed']),
  channel: z.string(),
  conversationKey: z.string(),
  customer: z.object({ id: z.string(), displayName: z.string().optional() }),
  trigger: z.enum(['asked', 'flow', 'misses', 'frustration']),
  /** What blocks the customer: why a person is needed. */
  blocker: z.string(),
  reasons: z.array(z.string()),
  /** Of `reasons`, those only guessed: neither stated surely in the customer's words nor confirmed by them. */
  suspectedReasons: z.array(z.string()).default([]),
  /** What the customer told us: numbers, pilot, BTN, carrier, resold, orders, tickets, wrong fields. */
  facts: noticeFactsSchema.default({}),
  /** The language the customer writes in, when known ("es": answer in Spanish). */
  language: z.enum(['en', 'es']).nullable().default(null),
  /** Answers collected, per walkthrough, in display form. */
  answers: z.record(z.string(), z.record(z.string(), z.string())),
  /** Steps passed, per walkthrough. */
  stepsDone: z.record(z.string(), z.array(z.string())),
  /** The fix summary so far, as text lines. */
  summary: z.array(z.string()),
  transcript: z.array(transcriptEntrySchema),
  notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
  actions: z.array(caseActionSchema),
  createdAt: z.string(),
  claimedBy: z.string().nullable(),
  claimedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  /** The customer was told what to expect because nobody claimed the case in time. */
  unclaimedNoticeSent: z.boolean(),
});
export type CaseFile = z.infer<typeof caseFileSchema>;

/** The case file as staff read it (`show <case>`). */
export function renderCaseFile(file: CaseFile): string[] {
  const lines = [
    `Case ${file.id}: ${file.status}${file.claimedBy ? ` (claimed by ${file.claimedBy})` : ''}`,
    `Customer: ${file.customer.displayName ?? file.customer.id}, on ${file.channel} (${file.conversationKey})${file.language ? `, writes in ${file.language === 'es' ? 'Spanish (es)' : 'English (en)'}` : ''}`,
    `Opened ${file.createdAt} because: ${file.blocker}`,
    `Reasons: ${file.reasons.map((r) => (file.suspectedReasons.includes(r) ? `${r} (suspected, not confirmed)` : r)).join(', ') || 'none recognised yet'}`,
  ];
  const facts = Object.entries(file.facts).filter(([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0));
  if (facts.length > 0) lines.push(`Facts: ${facts.map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`).join('; ')}`);
  for (const [flow, answers] of Object.entries(file.answers)) {
    const pairs = Object.entries(answers).map(([k, v]) => `${k} = ${v}`);
    lines.push(`Answers (${flow}): ${pairs.join('; ') || 'none'}`);
    lines.push(`Steps done (${flow}): ${(file.stepsDone[flow] ?? []).join(' > ') || 'none'}`);
  }
  if (file.summary.length > 0) lines.push('Fix summary so far:', ...file.summary.map((s) => `  ${s}`));
  if (file.notes.length > 0) lines.push('Notes:', ...file.notes.map((n) => `  ${n.at} ${n.by}: ${n.text}`));
  lines.push('Transcript:', ...file.transcript.map((t) => `  ${t.at} ${t.from}: ${t.text}`));
  lines.push('Actions:', ...file.actions.map((a) => `  ${a.at} ${a.by} ${a.action}${a.detail ? `: ${a.detail}` : ''}`));
  if (file.resolution) lines.push(`Resolution: ${file.resolution}`);
  return lines;
}
