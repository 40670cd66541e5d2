/**
 * Staff on Discord: `/staff <command>` and the Claim button on case notices. Both become staff commands
 * for the bot's staff desk (`bot.staff`) with the caller's role ids from this very interaction, so the core
 * decides who is staff on every command; the answer is shown only to the caller (ephemeral).
 */
import { GuildMember, MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Bot } from '../../bot.js';
import type { Logger } from '../../core/ports.js';
import type { StaffCommandResult } from '../../core/types.js';
import { STAFF_OPTION_NAME } from './commands.js';
import { decodeClaimId } from './custom-id.js';
import { describeError } from './discord-logging.js';
import { renderNote, type DiscordMessage } from './render.js';
import { DISCORD_STAFF_WORDING, renderCaseClaimed, renderStaffAnswer } from './render-staff.js';

export interface DiscordStaffDeps {
  bot: Bot;
  logger: Logger;
}

export interface DiscordStaff {
  /** `/staff <command>`: deferred privately within Discord's 3 s, then answered privately. */
  onStaffCommand(interaction: ChatInputCommandInteraction): Promise<void>;
  /** A click on a case notice's Claim button: `claim <case>` from the clicker. */
  onClaimPress(interaction: ButtonInteraction): Promise<void>;
}

export function createDiscordStaff(deps: DiscordStaffDeps): DiscordStaff {
  const { bot, logger } = deps;

  /** One staff command from the user behind an interaction, with the roles that interaction carries. */
  function runAsStaff(interaction: ChatInputCommandInteraction | ButtonInteraction, text: string): Promise<StaffCommandResult> {
    const member = interaction.member;
    const displayName = member instanceof GuildMember ? member.displayName : (member?.nick ?? interaction.user.displayName);
    return bot.staff({ channel: 'discord', actor: { id: interaction.user.id, displayName, roles: rolesOf(interaction) }, text });
  }

  /** Answers privately: the first message in the deferred reply's place, the rest as private follow-ups. */
  async function answerPrivately(interaction: ChatInputCommandInteraction | ButtonInteraction, messages: DiscordMessage[], intoReply: boolean): Promise<void> {
    for (const [i, message] of messages.entries()) {
      await (intoReply && i === 0 ? interaction.editReply(message) : interaction.followUp({ ...message, flags: MessageFlags.Ephemeral }));
    }
  }

  return {
    async onStaffCommand(interaction) {
      // Discord's 3 s deadline: acknowledge (privately) first, work after.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const result = await runAsStaff(interaction, interaction.options.getString(STAFF_OPTION_NAME, true));
      const messages = renderStaffAnswer(result.replies);
      await answerPrivately(interaction, messages.length > 0 ? messages : [renderNote('…')], true);
    },

    async onClaimPress(interaction) {
      const caseId = decodeClaimId(interaction.customId);
      if (!caseId) return void (await interaction.reply({ ...renderNote(DISCORD_STAFF_WORDING.unreadableClaim), flags: MessageFlags.Ephemeral }));
      await interaction.deferUpdate();
      // The click is the staff command `claim <case>` from the clicker: the core checks who they are.
      const result = await runAsStaff(interaction, `claim ${caseId}`);
      if (result.caseId === caseId && result.ok) {
        // Showing who claimed it in the staff channel is tidying up: the claim stands if it fails.
        await interaction
          .editReply(renderCaseClaimed(interaction.message.content, caseId, interaction.user.id))
          .catch((error: unknown) => logger.warn({ err: describeError(error), channel: 'discord', caseId }, 'discord could not mark the case notice as claimed'));
      }
      // The refusal, or the claim's how-to ("reply", "handback", "close"), for the clicker alone.
      await answerPrivately(interaction, renderStaffAnswer(result.replies), false);
    },
  };
}

/**
 * The member's role ids as this interaction reports them (none in a DM). @everyone is left out, as in
 * Discord's own payload: it is not a role anyone was given.
 */
function rolesOf(interaction: ChatInputCommandInteraction | ButtonInteraction): string[] {
  const member = interaction.member;
  if (!member) return [];
  const ids = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return ids.filter((id) => id !== interaction.guildId);
}
