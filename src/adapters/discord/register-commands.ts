/**
 * Registers portpilot's slash commands with Discord: in one guild when a guild id is given (the
 * change shows at once, good for trying things out), otherwise globally for every server and DM.
 */
import { REST, Routes, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';

export interface RegisterCommandsOptions {
  token: string;
  applicationId: string;
  guildId?: string;
  /** REST base without the version (a local fake or a proxy); Discord's own when absent. */
  apiUrl?: string;
  commands: RESTPostAPIApplicationCommandsJSONBody[];
}

/** Replaces the application's commands in the chosen scope with `commands`; resolves with the scope used. */
export async function registerDiscordCommands(options: RegisterCommandsOptions): Promise<'guild' | 'global'> {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl, retries: 0 } : {}) }).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  await rest.put(route, { body: options.commands });
  return options.guildId ? 'guild' : 'global';
}
