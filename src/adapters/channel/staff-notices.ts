/**
 * How a channel delivers notices to staff, the same on every channel: a notice for one staff member
 * goes to them (when they are a user of this channel), a new case is posted in the staff channel and
 * where it was posted is remembered in the shared store, and when a case is claimed (on any instance, by
 * button or by command) its notice is marked as taken. A channel supplies only how to post and edit.
 */
import type { z } from 'zod';
import type { ConversationStore, Logger, StaffNotice } from '../../core/ports.js';

/** Long enough for any case to be claimed; the notice is only tidied up, so losing it later costs nothing. */
const CASE_NOTICE_TTL_MS = 30 * 24 * 3600_000;

/** Who the channel is: its name (as in `StaffNotice.to.channel`), its user ids, how it stores a notice's place. */
export interface StaffNoticeChannel<Where> {
  channel: string;
  userId: RegExp;
  /** What `postCaseNotice` returns, as it is read back from the store. */
  where: z.ZodType<Where>;
  describeError(error: unknown): unknown;
}

export interface StaffNoticeSurface<Where> {
  /** Delivers a notice to one staff member (a DM). */
  toMember(notice: StaffNotice, staffId: string): Promise<void>;
  /** Posts a new case in the staff channel; undefined when there is none. */
  postCaseNotice(notice: StaffNotice): Promise<Where | undefined>;
  /** Posts any other notice in the staff channel; false when there is none. */
  postNotice(notice: StaffNotice): Promise<boolean>;
  /** Marks a posted case notice as claimed (takes its Claim button off). */
  markClaimed(where: Where, caseId: string, by: NonNullable<StaffNotice['by']>): Promise<void>;
}

export function createStaffNoticeSink<Where>(
  identity: StaffNoticeChannel<Where>,
  surface: StaffNoticeSurface<Where>,
  deps: { store: ConversationStore; logger: Logger },
): (notice: StaffNotice) => Promise<void> {
  const { store, logger } = deps;
  const { channel } = identity;
  const noticeKey = (caseId: string) => `${channel}:case-notice:${caseId}`;
  const name = channel.charAt(0).toUpperCase() + channel.slice(1);
  const notPosted = `no ${name} staff channel configured; notice not posted on ${name}`;

  /** Takes the Claim button off the case's notice, whoever claimed it and however (tidying up: never throws). */
  async function markClaimed(caseId: string, by: NonNullable<StaffNotice['by']>): Promise<void> {
    try {
      const where = identity.where.safeParse(await store.get(noticeKey(caseId)));
      if (where.success) await surface.markClaimed(where.data, caseId, by);
    } catch (error) {
      logger.warn({ err: identity.describeError(error), channel, caseId }, `${channel} could not mark the case notice as claimed`);
    }
  }

  return async (notice) => {
    const about = { channel, caseId: notice.caseId, kind: notice.kind };
    if (notice.to) {
      if (notice.to.channel !== channel) return;
      if (!identity.userId.test(notice.to.staffId)) {
        logger.warn(about, `${channel} staff notice for someone who is not a ${channel} user; not sent`);
        return;
      }
      await surface.toMember(notice, notice.to.staffId);
      return;
    }
    if (notice.kind === 'case_opened') {
      const where = await surface.postCaseNotice(notice);
      if (where === undefined) return void logger.debug(about, notPosted);
      await store
        .set(noticeKey(notice.caseId), where, CASE_NOTICE_TTL_MS)
        .catch((error: unknown) => logger.warn({ err: identity.describeError(error), ...about }, `${channel} could not remember where a case notice is`));
      return;
    }
    if (!(await surface.postNotice(notice))) return void logger.debug(about, notPosted);
    if (notice.kind === 'case_claimed' && notice.by) await markClaimed(notice.caseId, notice.by);
  };
}
