/**
 * Renders what staff see on Slack: a new case in the staff channel with its Claim button, that message
 * once the case is claimed, other notices, and the answer to a `/portpilot-staff` command. Pure, like
 * `render-reply.ts`, and escaped the same way: notice text can hold the customer's words.
 */
import type { types } from '@slack/bolt';
import type { StaffNotice } from '../../core/ports.js';
import type { Reply } from '../../core/types.js';
import { encodeClaimValue } from './claim-value.js';
import { contextNote, escapeMrkdwn, plainText, renderReply, withoutActions, type SlackMessage } from './render-reply.js';
import { SLACK_STAFF_WORDING } from './slack-wording.js';

/** The staff slash command; its text is a staff command for the core (`queue`, `claim C-1A2B3C`, ...). */
export const STAFF_COMMAND = '/portpilot-staff';

const STAFF_ACTION_PREFIX = 'portpilot_staff';
/** The `action_id` of the Claim button on a case notice. */
export const CLAIM_ACTION_ID = `${STAFF_ACTION_PREFIX}_claim`;
const CLAIM_HINT_BLOCK = `${STAFF_ACTION_PREFIX}_claim_hint`;
/** Slack allows at most 50 blocks in one message. */
const MAX_BLOCKS = 50;
const LABEL_CHARS = 75;
const USER_ID = /^[UW][A-Z0-9]+$/;

/** True for the `action_id` of a staff control (the Claim button); the customer's choice handler leaves these alone. */
export function isStaffActionId(actionId: string): boolean {
  return actionId.startsWith(STAFF_ACTION_PREFIX);
}

/** A new case for the staff channel: the core's notice text, a Claim button carrying the case id, and the typed alternative. */
export function renderCaseNotice(notice: StaffNotice): SlackMessage {
  const value = encodeClaimValue(notice.caseId);
  const body = renderReply({ kind: 'text', text: notice.text });
  const claim: types.Button = {
    type: 'button',
    action_id: CLAIM_ACTION_ID,
    style: 'primary',
    text: plainText(SLACK_STAFF_WORDING.claimButton, LABEL_CHARS),
    value,
  };
  return {
    text: body.text,
    blocks: [
      ...body.blocks,
      { type: 'actions', block_id: `${STAFF_ACTION_PREFIX}_case`, elements: [claim] },
      { ...contextNote(`${SLACK_STAFF_WORDING.claimHint} \`${STAFF_COMMAND} claim ${notice.caseId}\``), block_id: CLAIM_HINT_BLOCK },
    ],
  };
}

/** The case notice once claimed: the Claim button and hint give way to who claimed it. */
export function renderCaseClaimed(originalBlocks: unknown, caseId: string, claimer: { id: string; name?: string | undefined }): SlackMessage {
  const who = USER_ID.test(claimer.id) ? `<@${claimer.id}>` : escapeMrkdwn(claimer.name ?? 'a staff member');
  const kept = withoutActions(originalBlocks).filter((b) => b.block_id !== CLAIM_HINT_BLOCK);
  const note = `${SLACK_STAFF_WORDING.claimedBy} ${who}`;
  return {
    text: `${escapeMrkdwn(caseId)}: ${note}`,
    blocks: [...(kept.length > 0 ? kept : renderReply({ kind: 'text', text: caseId }).blocks), contextNote(note)],
  };
}

/**
 * Any other notice (a case waiting too long, a customer's words on a claimed case) as escaped text. The
 * customer's words come with the reply command, since what staff type in that DM goes to portpilot.
 */
export function renderStaffNotice(notice: StaffNotice): SlackMessage {
  const message = renderReply({ kind: 'text', text: notice.text });
  if (notice.kind !== 'customer_message') return message;
  const hint = `${SLACK_STAFF_WORDING.replyHint} \`${STAFF_COMMAND} reply ${escapeMrkdwn(notice.caseId)} ${escapeMrkdwn('<text>')}\``;
  return { ...message, blocks: [...message.blocks, contextNote(hint)] };
}

/** The core's answer to a staff command as one ephemeral message (a response URL takes only a few posts). */
export function renderStaffAnswer(replies: Reply[]): SlackMessage {
  const rendered = replies.map(renderReply);
  return {
    // The fallback (notifications, screen readers) is the first reply's; each is already within Slack's limit.
    text: rendered[0]?.text ?? '',
    blocks: rendered.flatMap((m) => m.blocks).slice(0, MAX_BLOCKS),
  };
}
