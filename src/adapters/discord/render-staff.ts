/**
 * Renders what staff see on Discord: a new case in the staff channel with its Claim button, that message
 * once the case is claimed, other notices, and the answer to `/staff`. Pure, like `render.ts`; every
 * message carries `allowedMentions: { parse: [] }`, and notice text (which can hold the customer's words)
 * has its mentions neutralised as well.
 */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import type { StaffNotice } from '../../core/ports.js';
import { neutralizeMentions } from '../../core/redact.js';
import { replyToText, type Reply } from '../../core/types.js';
import { STAFF_COMMAND_NAME } from './commands.js';
import { encodeClaimId } from './custom-id.js';
import { DISCORD_LIMITS, NO_PINGS, splitContent, type DiscordMessage } from './render.js';

/** What the Discord adapter says to staff (the core's own staff wording lives in handoff.ts). */
export const DISCORD_STAFF_WORDING = {
  claimButton: 'Claim',
  claimHint: (caseId: string) => `Click Claim, or type \`/${STAFF_COMMAND_NAME} claim ${caseId}\`.`,
  claimedBy: (who: string) => `Claimed by ${who}.`,
  replyHint: (caseId: string) => `Answer with \`/${STAFF_COMMAND_NAME} reply ${caseId} <text>\`.`,
  unreadableClaim: `I couldn't read that button. Type \`/${STAFF_COMMAND_NAME} queue\` to see the open cases.`,
  notDelivered: (who: string) => `For ${who} (I couldn't send them a direct message):`,
  continued: '(continued)',
} as const;

/** More messages than this for one `/staff` answer would flood the caller; the case file is cut there. */
export const MAX_ANSWER_MESSAGES = 5;
const EMBED_COLOR = 0x8a5cd0;

/**
 * The core's text for staff, made safe and readable on Discord: mentions neutralised, and staff ids
 * (`discord:<user id>`) shown as the person (a user mention shows their name; it pings no one, see NO_PINGS).
 */
export function staffText(text: string): string {
  return neutralizeMentions(text).replace(/\bdiscord:(\d{15,22})\b/g, '<@$1>');
}

/** A new case for the staff channel: the core's notice, a Claim button carrying the case id, and the typed alternative. */
export function renderCaseNotice(notice: StaffNotice): DiscordMessage {
  const hint = DISCORD_STAFF_WORDING.claimHint(notice.caseId);
  return {
    content: `${truncate(staffText(notice.text), DISCORD_LIMITS.contentChars - hint.length - 1)}\n${hint}`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: DISCORD_STAFF_WORDING.claimButton, custom_id: encodeClaimId(notice.caseId) }],
      },
    ],
    allowedMentions: NO_PINGS,
  };
}

/**
 * The case notice once claimed: the Claim button and its hint give way to who claimed it. `claimer` is a
 * Discord user id (shown as the person) or, for staff on another channel, a name (shown as text).
 */
export function renderCaseClaimed(originalContent: string, caseId: string, claimer: string): DiscordMessage {
  const kept = originalContent.replace(`\n${DISCORD_STAFF_WORDING.claimHint(caseId)}`, '').trim() || caseId;
  const note = DISCORD_STAFF_WORDING.claimedBy(/^\d{15,22}$/.test(claimer) ? `<@${claimer}>` : staffText(claimer));
  return { content: `${truncate(kept, DISCORD_LIMITS.contentChars - note.length - 1)}\n${note}`, components: [], allowedMentions: NO_PINGS };
}

/**
 * Any other notice (a claim, a closing, a case waiting too long, the customer's words on a claimed case)
 * as text. The customer's words come with the reply command, since that is how staff answer them.
 */
export function renderStaffNotice(notice: StaffNotice, prefix?: string): DiscordMessage {
  const hint = notice.kind === 'customer_message' ? `\n${DISCORD_STAFF_WORDING.replyHint(notice.caseId)}` : '';
  const lead = prefix ? `${prefix}\n` : '';
  const room = DISCORD_LIMITS.contentChars - hint.length - lead.length;
  return { content: `${lead}${truncate(staffText(notice.text), room)}${hint}`, allowedMentions: NO_PINGS };
}

/**
 * The core's answer to a staff command, for the caller alone: text as content, lists (the queue, a case
 * file) as embeds split at line boundaries. At most `MAX_ANSWER_MESSAGES` messages; the first goes into
 * the deferred reply, the rest follow it.
 */
export function renderStaffAnswer(replies: Reply[]): DiscordMessage[] {
  const messages = replies.flatMap((reply): DiscordMessage[] =>
    reply.kind === 'steps'
      ? stepEmbeds(
          staffText(reply.title),
          reply.steps.map((step, i) => `**${i + 1}.** ${staffText(step)}`),
        ).map((embed) => ({ embeds: [embed], allowedMentions: NO_PINGS }))
      : splitContent(staffText(replyToText(reply))).map((content) => ({ content, allowedMentions: NO_PINGS })),
  );
  return messages.slice(0, MAX_ANSWER_MESSAGES);
}

/** Lines as embeds whose descriptions stay within Discord's limit; a single over-long line is cut. */
function stepEmbeds(title: string, lines: string[]): APIEmbed[] {
  const max = DISCORD_LIMITS.embedDescriptionChars;
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current || chunks.length === 0) chunks.push(current);
  return chunks.map((description, i) => ({
    color: EMBED_COLOR,
    title: truncate(i === 0 ? title : `${title} ${DISCORD_STAFF_WORDING.continued}`, DISCORD_LIMITS.embedTitleChars),
    ...(description ? { description } : {}),
  }));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
