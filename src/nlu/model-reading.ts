/**
 * How the optional model's reading of a notice joins the offline one. The model is asked only where the
 * offline reader is unsure, and what it says is a proposal: a reason id we do not have, or evidence that
 * is not in the text, is dropped. A reason the offline reader also suspected or guessed becomes sure (two
 * readers agree); a reason only the model found is offered as possible, for the customer to confirm.
 */
import { isRejectionId, REJECTION_IDS, REJECTION_UNSPECIFIED } from '../content/ids.js';
import type { Content } from '../content/load-content.js';
import type { LanguageModel, ModelNoticeReading } from '../core/ports.js';
import type { NoticeReader, NoticeReading, ReasonReading } from './notice-reader.js';

/** Fewer words than this are answers and remarks, not notices: the offline reading stands. */
const MIN_WORDS = 5;

/** True when the offline reading leaves room for the model: no sure reason in a message that may state one. */
export function modelMayHelp(reading: NoticeReading, text: string): boolean {
  if (reading.reasons.some((r) => r.sure)) return false;
  if (text.split(/\s+/).filter(Boolean).length < MIN_WORDS) return false;
  const { whole } = reading;
  // A greeting, thanks or a question about the bot, read surely, states no reason.
  if (whole.kind === 'conversation' && whole.intent !== REJECTION_UNSPECIFIED && whole.confidence >= 0.8 && reading.possible.length === 0) return false;
  return true;
}

/** Letters and digits only, lower case, one space between words: how evidence is looked for in the text. */
function plain(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The model's reasons that hold: ids we know, evidence found in the text (at least two words' worth). */
export function checkedModelReasons(proposal: ModelNoticeReading, text: string): Array<{ id: string; evidence: string }> {
  const haystack = ` ${plain(text)} `;
  const seen = new Set<string>();
  return proposal.reasons.filter((r) => {
    const needle = plain(r.evidence);
    const ok = isRejectionId(r.id) && !seen.has(r.id) && needle.length >= 4 && haystack.includes(` ${needle} `);
    if (ok) seen.add(r.id);
    return ok;
  });
}

export function mergeModelReading(offline: NoticeReading, proposal: ModelNoticeReading, text: string): NoticeReading {
  const reasons = [...offline.reasons];
  const possible = [...offline.possible];
  for (const { id, evidence } of checkedModelReasons(proposal, text)) {
    if (!isRejectionId(id)) continue;
    const read = reasons.findIndex((r) => r.intent === id);
    if (read >= 0) {
      // Read offline, but only as a guess: the model's agreement makes it sure.
      reasons[read] = { ...reasons[read]!, sure: true };
      continue;
    }
    const suspected = possible.findIndex((p) => p.intent === id);
    const reading: ReasonReading = { intent: id, evidence: evidence.slice(0, 160), sure: suspected >= 0, confidence: suspected >= 0 ? 0.9 : 0.5, via: 'model' };
    if (suspected >= 0) {
      possible.splice(suspected, 1);
      reasons.push(reading);
    } else possible.push(reading);
  }
  return { ...offline, reasons, possible };
}

/**
 * A notice read offline, then by the model where the offline reading is unsure; `text` must be redacted
 * already. `reasons` are the ids the model may choose from, with their titles; `offline` is the offline
 * reading when the caller has made it already.
 */
export async function readWithModel(
  reader: NoticeReader,
  model: LanguageModel,
  text: string,
  options: { referenceDate?: Date; reasons: Array<{ id: string; title: string }>; offline?: NoticeReading },
): Promise<NoticeReading> {
  const offline = options.offline ?? reader.read(text, options.referenceDate ? { referenceDate: options.referenceDate } : {});
  if (!modelMayHelp(offline, text)) return offline;
  const proposal = await model.readNotice({ text, reasons: options.reasons }).catch(() => undefined);
  return proposal ? mergeModelReading(offline, proposal, text) : offline;
}

/** Every rejection reason the model may name, with its title. */
export function reasonTitles(content: Pick<Content, 'articles'>): Array<{ id: string; title: string }> {
  return REJECTION_IDS.map((id) => ({ id, title: content.articles.get(id)?.title ?? id }));
}
