/**
 * Renders the bot's replies as Slack messages (Block Kit plus a plain fallback for notifications).
 * Pure: no Slack calls, no state. Every piece of text is escaped for mrkdwn and has its broadcast
 * mentions neutralised here too, so nothing the customer typed can turn into markup or a ping.
 */
import type { types } from '@slack/bolt';
import { neutralizeMentions } from '../../core/redact.js';
import { replyToText, type Choice, type Reply } from '../../core/types.js';
import { encodeChoiceValue } from './choice-value.js';
import { SLACK_WORDING } from './slack-wording.js';

/** What `chat.postMessage`, `chat.postEphemeral` and `chat.update` take: blocks plus fallback text. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

// Slack's limits: section text 3,000 characters, button and option text 75, header 150, 100 options.
const SECTION_CHARS = 3000;
const LABEL_CHARS = 75;
const HEADER_CHARS = 150;
/** Slack's limit of blocks in one message. */
const MAX_BLOCKS = 50;
const FALLBACK_CHARS = 3000;
const MAX_OPTIONS = 100;
/** Up to this many choices show as buttons; more become one select menu. */
export const MAX_BUTTONS = 5;

const CHOICE_ACTION_PREFIX = 'portpilot_choice';

/** True for the `action_id` of one of our choice buttons or selects. */
export function isChoiceActionId(actionId: string): boolean {
  return actionId.startsWith(CHOICE_ACTION_PREFIX);
}

/** Escapes the three characters mrkdwn treats as markup, after making broadcast mentions inert. */
export function escapeMrkdwn(text: string): string {
  return neutralizeMentions(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One reply as one Slack message. */
export function renderReply(reply: Reply): SlackMessage {
  switch (reply.kind) {
    case 'text':
      return { text: fallback(reply.text), blocks: sections(escapeMrkdwn(reply.text)) };
    case 'choices':
      return { text: fallback(reply.text), blocks: [...sections(escapeMrkdwn(reply.text)), choicesBlock(reply.choices)] };
    case 'steps': {
      const numbered = reply.steps.map((step, i) => `${i + 1}. ${escapeMrkdwn(step)}`).join('\n');
      return { text: fallback(replyToText(reply)), blocks: sections(`*${escapeMrkdwn(reply.title)}*\n${numbered}`) };
    }
    case 'summary': {
      const readable = reply.sections.flatMap((s) => sections(`*${escapeMrkdwn(s.heading)}*\n${s.items.map((item) => `• ${escapeMrkdwn(item)}`).join('\n')}`));
      // The copyable version: the same summary as plain text in a code block, easy to paste into an e-mail.
      const copyable = escapeMrkdwn(replyToText(reply)).replace(/```/g, "'''");
      const header: types.KnownBlock = { type: 'header', text: plainText(reply.title, HEADER_CHARS) };
      const copyBlocks: types.KnownBlock[] = [
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'To copy the summary, use the text below.' }] },
        ...splitMrkdwn(copyable, SECTION_CHARS - 6).map((chunk): types.KnownBlock => section(`\`\`\`${chunk}\`\`\``)),
      ];
      // Slack refuses a message of more than 50 blocks: a summary that long drops its copyable twin first,
      // then says where the rest is, rather than being lost altogether.
      const all = [header, ...readable, ...copyBlocks];
      if (all.length <= MAX_BLOCKS) return { text: fallback(replyToText(reply)), blocks: all };
      const readableOnly = [header, ...readable];
      if (readableOnly.length <= MAX_BLOCKS) return { text: fallback(replyToText(reply)), blocks: readableOnly };
      const note: types.KnownBlock = {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'This summary is too long for one Slack message; the rest is in the text version of this message.' }],
      };
      return { text: fallback(replyToText(reply)), blocks: [...readableOnly.slice(0, MAX_BLOCKS - 1), note] };
    }
  }
}

/**
 * The clicked message after an accepted press: its text stays, its buttons are replaced by
 * "You chose: <label>", so the same question cannot be answered twice.
 */
export function renderChoiceMade(originalBlocks: unknown, label: string): SlackMessage {
  const note = `${SLACK_WORDING.youChose} ${escapeMrkdwn(label)}`;
  return { text: note, blocks: [...withoutActions(originalBlocks), contextNote(`${SLACK_WORDING.youChose} *${escapeMrkdwn(label)}*`)] };
}

/** The clicked message after a refused press (stale or unknown): its buttons are removed. */
export function renderOptionsClosed(originalBlocks: unknown): SlackMessage {
  return { text: SLACK_WORDING.optionsClosed, blocks: [...withoutActions(originalBlocks), contextNote(`_${SLACK_WORDING.optionsClosed}_`)] };
}

function choicesBlock(choices: Choice[]): types.ActionsBlock {
  if (choices.length <= MAX_BUTTONS) {
    return {
      type: 'actions',
      block_id: 'portpilot_choices',
      elements: choices.map(
        (choice, i): types.Button => ({
          type: 'button',
          action_id: `${CHOICE_ACTION_PREFIX}_${i}`,
          text: plainText(choice.label, LABEL_CHARS),
          value: encodeChoiceValue(choice.id),
        }),
      ),
    };
  }
  return {
    type: 'actions',
    block_id: 'portpilot_choices',
    elements: [
      {
        type: 'static_select',
        action_id: `${CHOICE_ACTION_PREFIX}_select`,
        placeholder: plainText('Choose one', LABEL_CHARS),
        options: choices.slice(0, MAX_OPTIONS).map((choice) => ({
          text: plainText(choice.label, LABEL_CHARS),
          value: encodeChoiceValue(choice.id),
        })),
      },
    ],
  };
}

/** The blocks of a posted message without its buttons and selects. */
export function withoutActions(blocks: unknown): types.KnownBlock[] {
  if (!Array.isArray(blocks)) return [];
  return (blocks as types.KnownBlock[]).filter((b) => typeof b === 'object' && b !== null && b.type !== 'actions');
}

/** A small grey line of mrkdwn under a message. */
export function contextNote(mrkdwn: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn }] };
}

function section(mrkdwn: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn } };
}

/** Escaped mrkdwn as one or more sections, each within Slack's limit. */
function sections(mrkdwn: string): types.SectionBlock[] {
  return splitMrkdwn(mrkdwn, SECTION_CHARS).map(section);
}

/** A plain-text element within `maxChars`, broadcast mentions made inert. */
export function plainText(text: string, maxChars: number): types.PlainTextElement {
  const inert = neutralizeMentions(text);
  return { type: 'plain_text', text: inert.length <= maxChars ? inert : `${inert.slice(0, maxChars - 1)}…`, emoji: true };
}

function fallback(text: string): string {
  const escaped = escapeMrkdwn(text);
  return escaped.length <= FALLBACK_CHARS ? escaped : `${cutBefore(escaped, FALLBACK_CHARS - 1)}…`;
}

/**
 * Splits escaped mrkdwn into chunks of at most `maxChars`, preferring line ends, then spaces, and never
 * cutting an `&amp;`-style entity in half.
 */
export function splitMrkdwn(mrkdwn: string, maxChars: number): string[] {
  const chunks: string[] = [];
  let rest = mrkdwn.trim();
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const lineEnd = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    const at = lineEnd > maxChars / 2 ? lineEnd : space > maxChars / 2 ? space : cutBefore(rest, maxChars).length;
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/** The first `maxChars` characters, moved back so an entity such as `&amp;` is not cut. */
function cutBefore(text: string, maxChars: number): string {
  const head = text.slice(0, maxChars);
  const amp = head.lastIndexOf('&');
  return amp >= 0 && amp > maxChars - 5 && !head.slice(amp).includes(';') ? head.slice(0, amp) : head;
}
