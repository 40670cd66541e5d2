/**
 * `npm run discord:register`: registers portpilot's slash commands (`/port` for customers, `/staff` for
 * the support team) with Discord. With DISCORD_GUILD_ID set it registers them in that server only
 * (shows at once); otherwise globally (every server and DM).
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_GUILD_ID and DISCORD_API_URL from the
 * environment or ./.env, like `npm start`.
 */
import { buildCommands, reasonOptionsFrom } from '../src/adapters/discord/commands.js';
import { registerDiscordCommands } from '../src/adapters/discord/register-commands.js';
import { DEFAULT_CONTENT_ROOTS } from '../src/compose.js';
import { brandingOf, loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load-content.js';
import { ConfigError, ContentError } from '../src/core/errors.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    process.stderr.write(
      'discord:register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (from the Discord Developer Portal: ' +
        'your app > Bot > Reset Token, and General Information > Application ID). Set them in .env or the environment; ' +
        'see docs/DISCORD.md.\n',
    );
    return 1;
  }
  const content = loadContent(DEFAULT_CONTENT_ROOTS, brandingOf(config));
  const commands = buildCommands(reasonOptionsFrom(content));
  const names = commands.map((c) => `/${c.name}`).join(' and ');
  const scope = await registerDiscordCommands({
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    guildId: config.DISCORD_GUILD_ID,
    apiUrl: config.DISCORD_API_URL,
    commands,
  });
  process.stdout.write(
    scope === 'guild'
      ? `Registered ${names} in guild ${config.DISCORD_GUILD_ID}; they are available there now.\n`
      : `Registered ${names} globally; Discord may take a few minutes to show them everywhere.\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof ContentError) {
      process.stderr.write(`discord:register could not run.\n${error.message}\n`);
    } else {
      const status = (error as { status?: number }).status;
      const hint = status === 401 ? ' Discord refused the token: check DISCORD_TOKEN.' : '';
      process.stderr.write(`discord:register failed: ${(error as Error).message ?? String(error)}.${hint}\n`);
    }
    process.exit(1);
  },
);
