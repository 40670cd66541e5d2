/**
 * The slash commands: `/port` for customers, with its translation into what a customer would have
 * typed (so the bot core never sees a command), and `/staff` for the support team, whose text is a staff
 * command for the core. Both are registered by `npm run discord:register`.
 */
import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { REJECTION_IDS } from '../../content/ids.js';
import type { Content } from '../../content/load-content.js';
import type { InboundMessage } from '../../core/types.js';

export const PORT_COMMAND_NAME = 'port';
export const REASON_OPTION_NAME = 'reason';
export const STAFF_COMMAND_NAME = 'staff';
/** The one option of `/staff`: the staff command as typed (`queue`, `claim C-1A2B3C`, `reply mine ...`). */
export const STAFF_OPTION_NAME = 'command';

/** A rejection reason as offered in the `/port start` picker. */
export interface ReasonOption {
  id: string;
  title: string;
}

/** Discord allows at most 25 choices per option, each name at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME_CHARS = 100;

/** The rejection reasons in their canonical order, titled by their knowledge articles. */
export function reasonOptionsFrom(content: Content): ReasonOption[] {
  return REJECTION_IDS.map((id) => ({ id, title: content.articles.get(id)?.title ?? id }));
}

/** The `/port` command with `help`, `start [reason]` and `restart`, usable in servers and in DMs with the bot. */
export function buildPortCommand(reasons: readonly ReasonOption[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return new SlashCommandBuilder()
    .setName(PORT_COMMAND_NAME)
    .setDescription('Get help with a rejected phone-number port order')
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addSubcommand((sub) => sub.setName('help').setDescription('What portpilot can do'))
    .addSubcommand((sub) =>
      sub
        .setName('start')
        .setDescription('Start fixing a rejected port order')
        .addStringOption((option) =>
          option
            .setName(REASON_OPTION_NAME)
            .setDescription('The reason on your rejection notice')
            .setRequired(false)
            .addChoices(reasons.slice(0, MAX_CHOICES).map((r) => ({ name: truncate(r.title, MAX_CHOICE_NAME_CHARS), value: r.id }))),
        ),
    )
    .addSubcommand((sub) => sub.setName('restart').setDescription('Forget this conversation and start over'))
    .toJSON();
}

/**
 * `/staff <command>`: one required text option rather than subcommands, so the core's command handler
 * (the same on Slack and in the terminal) stays the only parser. Anyone can see it; the core decides on
 * every use who is staff (a role in PORTPILOT_STAFF_DISCORD_ROLE_IDS or a user in
 * PORTPILOT_STAFF_DISCORD_USER_IDS) and refuses everyone else politely. In a DM there are no roles, so
 * only staff listed by user id are recognised there.
 */
export function buildStaffCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return new SlashCommandBuilder()
    .setName(STAFF_COMMAND_NAME)
    .setDescription('Support team: work on escalated port cases')
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option.setName(STAFF_OPTION_NAME).setDescription('queue, show <case>, claim <case>, reply <case> <text>, note, handback, close, stats').setRequired(true),
    )
    .toJSON();
}

/** Every command portpilot registers, in the order `discord:register` lists them. */
export function buildCommands(reasons: readonly ReasonOption[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [buildPortCommand(reasons), buildStaffCommand()];
}

/**
 * What the customer means by a `/port` subcommand: `start` with a reason starts that reason's walkthrough
 * (a structured start, nothing to read); `help`, `restart` and `start` alone are what a customer would
 * type. Undefined for a subcommand this version does not know.
 */
export function portCommandInput(subcommand: string, reasonId: string | null, reasons: readonly ReasonOption[]): Pick<InboundMessage, 'text' | 'start'> | undefined {
  switch (subcommand) {
    case 'help':
      return { text: 'help' };
    case 'restart':
      return { text: 'start over' };
    case 'start': {
      const reason = reasons.find((r) => r.id === reasonId);
      return reason ? { start: reason.id } : { text: 'hi' };
    }
    default:
      return undefined;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
