/**
 * Renders the bot's channel-neutral `Reply`s as Discord messages: text as content, choices as buttons
 * (a select menu for more than five), steps and summaries as embeds. Pure: no client, no I/O, so every
 * Discord limit is checked by unit tests. Every message carries `allowedMentions: { parse: [] }`, so
 * nothing the bot sends can ping @everyone, @here, a role or a user.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIStringSelectComponent,
} from 'discord.js';
import type { Choice, Reply } from '../../core/types.js';
import { encodeButtonId, encodeMenuId } from './custom-id.js';

/** Discord's limits that rendering respects. */
export const DISCORD_LIMITS = {
  contentChars: 2000,
  buttonsPerRow: 5,
  selectOptions: 25,
  buttonLabelChars: 80,
  optionLabelChars: 100,
  embedTitleChars: 256,
  embedDescriptionChars: 4096,
  embedFields: 25,
  fieldNameChars: 256,
  fieldValueChars: 1024,
} as const;

/** Mentions the bot allows itself: none. Replies do not ping the customer either. */
export const NO_PINGS = { parse: [], repliedUser: false } as { parse: []; repliedUser: false };

export type ComponentRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One Discord message to send: what channels, webhooks and interaction follow-ups all accept. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: ComponentRow[];
  allowedMentions: typeof NO_PINGS;
}

const EMBED_COLOR = 0x2f6fd0;

/**
 * Renders one reply as one or more messages (long text is split at line breaks). `customer` is the
 * Discord user the choices are offered to; it goes into every custom id.
 */
export function renderReply(reply: Reply, customer: string): DiscordMessage[] {
  switch (reply.kind) {
    case 'text':
      return splitContent(reply.text).map((content) => ({ content, allowedMentions: NO_PINGS }));
    case 'choices': {
      const parts = splitContent(reply.text);
      const last = parts.pop() ?? '';
      return [
        ...parts.map((content) => ({ content, allowedMentions: NO_PINGS })),
        { content: last, components: renderChoices(reply.choices, customer), allowedMentions: NO_PINGS },
      ];
    }
    case 'steps':
      return [
        {
          embeds: [
            {
              color: EMBED_COLOR,
              title: truncate(reply.title, DISCORD_LIMITS.embedTitleChars),
              description: truncate(reply.steps.map((step, i) => `**${i + 1}.** ${step}`).join('\n'), DISCORD_LIMITS.embedDescriptionChars),
            },
          ],
          allowedMentions: NO_PINGS,
        },
      ];
    case 'summary':
      return [
        {
          embeds: [
            {
              color: EMBED_COLOR,
              title: truncate(reply.title, DISCORD_LIMITS.embedTitleChars),
              fields: reply.sections.slice(0, DISCORD_LIMITS.embedFields).map((section) => ({
                name: truncate(section.heading, DISCORD_LIMITS.fieldNameChars) || '\u200b',
                value: truncate(section.items.map((item) => `- ${item}`).join('\n'), DISCORD_LIMITS.fieldValueChars) || '\u200b',
              })),
            },
          ],
          allowedMentions: NO_PINGS,
        },
      ];
  }
}

/** A short plain message from the adapter itself (a note about a click, a thread, a deleted message). */
export function renderNote(text: string): DiscordMessage {
  return { content: truncate(text, DISCORD_LIMITS.contentChars), allowedMentions: NO_PINGS };
}

/**
 * Choices as one row of buttons, or as one select menu when there are more than five
 * (at most 25 options; a longer list is cut). Duplicate ids are dropped: Discord rejects them.
 */
export function renderChoices(choices: readonly Choice[], customer: string): ComponentRow[] {
  const unique = choices.filter((c, i) => choices.findIndex((other) => other.id === c.id) === i);
  if (unique.length === 0) return [];
  if (unique.length <= DISCORD_LIMITS.buttonsPerRow) {
    const buttons: APIButtonComponentWithCustomId[] = unique.map((choice) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: truncate(choice.label, DISCORD_LIMITS.buttonLabelChars) || '…',
      custom_id: encodeButtonId(customer, choice.id),
    }));
    return [{ type: ComponentType.ActionRow, components: buttons }];
  }
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: encodeMenuId(customer),
    placeholder: 'Choose one…',
    options: unique.slice(0, DISCORD_LIMITS.selectOptions).map((choice) => ({
      label: truncate(choice.label, DISCORD_LIMITS.optionLabelChars) || '…',
      value: choice.id,
    })),
  };
  return [{ type: ComponentType.ActionRow, components: [menu] }];
}

/** Which component was used: the custom id, and the picked value for a select menu. */
export interface PressedComponent {
  customId: string;
  value?: string;
}

/**
 * The components of a message after a press: all disabled, the pressed button (or picked option)
 * highlighted, so the customer sees what they chose and cannot press an old question again.
 * Components that are not action rows pass through unchanged.
 */
export function disableComponents<T extends { type: number }>(rows: readonly T[], pressed: PressedComponent): T[] {
  return rows.map((row) => {
    if (row.type !== ComponentType.ActionRow) return row;
    const actionRow = row as unknown as ComponentRow;
    return {
      ...actionRow,
      components: actionRow.components.map((component) => {
        if (component.type === ComponentType.Button) {
          if (component.style === ButtonStyle.Link || component.style === ButtonStyle.Premium) return { ...component, disabled: true };
          const chosen = 'custom_id' in component && component.custom_id === pressed.customId;
          return { ...component, disabled: true, style: chosen ? ButtonStyle.Success : ButtonStyle.Secondary };
        }
        if (component.type === ComponentType.StringSelect) {
          const picked = component.custom_id === pressed.customId ? pressed.value : undefined;
          return { ...component, disabled: true, options: component.options.map((o) => ({ ...o, default: o.value === picked })) };
        }
        return { ...component, disabled: true };
      }),
    } as unknown as T;
  });
}

/** Splits text into chunks Discord accepts, preferring line breaks. */
export function splitContent(text: string, max: number = DISCORD_LIMITS.contentChars): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max);
    const at = cut > max / 2 ? cut : max;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  chunks.push(rest);
  return chunks;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
