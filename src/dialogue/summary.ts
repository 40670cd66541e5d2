/**
 * The fix summary: what to change on the port order, field by field; documents to attach; what to do
 * at the old carrier first; what needs a person; and when to resubmit. Built from the records of the
 * steps each walkthrough passed, so it always matches the answers given.
 */
import type { Content } from '../content/load-content.js';
import type { Reply, SummarySection } from '../core/types.js';
import { addBusinessDays, formatDay, isoDay } from './calendar.js';
import { say, type Language, type MessageKey } from './messages/index.js';
import { handoffsOf, interpolate, recordsOf, type FlowState } from './flow-engine.js';
import type { FollowUp } from '../followup/reminders.js';

export interface FixSummary {
  changes: Array<{ field: string; value: string }>;
  attach: string[];
  carrier: string[];
  handoffs: string[];
  notes: string[];
  resubmit: string[];
  /** Reminders the advice implies: resubmit on the earliest day it can work. */
  followUps: FollowUp[];
}

/**
 * Collects what one or more finished (or partly finished) walkthroughs say to do. With `today`,
 * resubmission waits counted in business days become concrete dates.
 */
export function collectSummary(content: Content, flows: FlowState[], today?: Date, language: Language = 'en'): FixSummary {
  const summary: FixSummary = { changes: [], attach: [], carrier: [], handoffs: [], notes: [], resubmit: [], followUps: [] };
  const push = (list: string[], item: string) => {
    if (!list.includes(item)) list.push(item);
  };
  for (const state of flows) {
    const flow = content.intents.get(state.id)?.flow;
    if (!flow) continue;
    const fill = (text: string) => interpolate(text, state.slots, flow, language, today);
    const spanish = language === 'es';
    /** A record's own Spanish line, for a customer who writes in Spanish. */
    const inSpanish = <T>(record: { es?: T }): T | undefined => (spanish ? record.es : undefined);
    for (const record of recordsOf(flow, state)) {
      if ('change' in record) {
        const es = inSpanish(record);
        const change = { field: fill(es?.field ?? record.change.field), value: fill(es?.value ?? record.change.value) };
        if (!summary.changes.some((c) => c.field === change.field && c.value === change.value)) summary.changes.push(change);
      } else if ('attach' in record) {
        const document = content.documents.get(record.attach);
        const name = (spanish ? document?.es?.name : undefined) ?? document?.name ?? record.attach;
        // A document with an age limit says the oldest date it may carry.
        const oldest = document?.max_age_days && today ? isoDay(new Date(today.getTime() - document.max_age_days * 86_400_000)) : undefined;
        push(summary.attach, oldest ? `${name} ${say('documentDatedFrom', { day: formatDay(oldest, today, language) }, language)}` : name);
      } else if ('carrier' in record) push(summary.carrier, fill(inSpanish(record) ?? record.carrier));
      else if ('resubmit' in record) {
        const earliest = record.not_before_business_days && today ? addBusinessDays(today, record.not_before_business_days) : undefined;
        const resubmit = fill(inSpanish(record) ?? record.resubmit);
        if (earliest && today) {
          const article = content.articles.get(state.id);
          const title = (spanish ? article?.es?.title : undefined) ?? article?.title ?? state.id;
          summary.followUps.push({ due: earliest, text: say('reminderResubmit', { title, day: formatDay(earliest, today, language) }, language) });
        }
        push(summary.resubmit, earliest ? `${resubmit} ${say('earliestResubmit', { day: formatDay(earliest, today, language) }, language)}` : resubmit);
      } else push(summary.notes, fill(inSpanish(record) ?? record.note));
    }
    for (const handoff of handoffsOf(flow, state, language)) push(summary.handoffs, handoff);
    if (!recordsOf(flow, state).some((r) => 'resubmit' in r)) {
      const article = content.articles.get(state.id);
      push(summary.resubmit, (spanish ? article?.es?.resubmit : undefined) ?? article?.sections.resubmit ?? '');
    }
  }
  summary.resubmit = summary.resubmit.filter(Boolean);
  return summary;
}

/** The summary as a reply: sections with items, rendered by each channel (and copyable as text). */
export function summaryReply(summary: FixSummary, title: string, supportEmail: string, language: Language = 'en'): Reply {
  const t = (key: MessageKey, fields: Record<string, string> = {}) => say(key, fields, language);
  const sections: SummarySection[] = [];
  if (summary.carrier.length > 0) sections.push({ heading: t('summaryCarrierHeading'), items: summary.carrier });
  sections.push({
    heading: t('summaryChangesHeading'),
    items: summary.changes.length > 0 ? summary.changes.map((c) => `${c.field}: ${c.value}`) : [t('summaryNoChange')],
  });
  if (summary.attach.length > 0) sections.push({ heading: t('summaryAttachHeading'), items: summary.attach });
  if (summary.handoffs.length > 0) {
    sections.push({ heading: t('summaryPersonHeading'), items: [...summary.handoffs, t('summaryPersonEmail', { support_email: supportEmail })] });
  }
  if (summary.notes.length > 0) sections.push({ heading: t('summaryNotesHeading'), items: summary.notes });
  sections.push({ heading: t('summaryResubmitHeading'), items: summary.resubmit.length > 0 ? summary.resubmit : [t('summaryResubmitDefault')] });
  return { kind: 'summary', title, sections };
}
