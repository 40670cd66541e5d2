/**
 * The Discord channel: a discord.js client that turns direct messages, mentions, thread messages,
 * `/port` commands and component presses into `InboundMessage`s for the bot, and renders its replies.
 * One conversation per DM (`discord:dm:<channel>`) or per thread (`discord:thread:<thread>`): a mention
 * in a server channel opens a thread for that customer so the walkthrough does not flood the channel.
 * The staff side (`/staff`, the Claim button) is in `discord-staff.ts`; delivery outside a customer's
 * turn (staff replies, case notices) in `discord-outbox.ts`.
 */
import {
  ApplicationFlags,
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type SendableChannels,
  type StringSelectMenuInteraction,
  type ThreadChannel,
} from 'discord.js';
import type { Bot } from '../../bot.js';
import type { Content } from '../../content/load-content.js';
import type { ChannelAdapter, ConversationStore, Logger } from '../../core/ports.js';
import type { InboundMessage, Reply, TurnResult } from '../../core/types.js';
import type { OutboxRouter } from '../../handoff/outbox-router.js';
import { createDeliveryLedger } from '../channel/delivery-ledger.js';
import { postReplies, pressWasRefused, type ReplySurface } from '../channel/reply-routing.js';
import { createTurnBoundary } from '../channel/turn-boundary.js';
import { createTurnQueue } from '../channel/turn-queue.js';
import { PORT_COMMAND_NAME, REASON_OPTION_NAME, STAFF_COMMAND_NAME, portCommandInput, reasonOptionsFrom } from './commands.js';
import { conversationKeyOf } from './conversation-key.js';
import { decodeComponentPress, isClaimId } from './custom-id.js';
import { describeError } from './discord-logging.js';
import { createDiscordOutbox } from './discord-outbox.js';
import { createDiscordStaff } from './discord-staff.js';
import { disableComponents, NO_PINGS, renderNote, renderReply, type DiscordMessage } from './render.js';

export interface DiscordAdapterDeps {
  bot: Bot;
  store: ConversationStore;
  logger: Logger;
  /** Knowledge content, for the titles behind `/port start reason:<id>`. */
  content: Content;
  token: string;
  applicationId: string;
  /** REST base without the version (a local fake or a proxy); Discord's own when absent. */
  apiUrl?: string;
  /** This instance's shard of the gateway (DISCORD_SHARD_ID of DISCORD_SHARD_COUNT), when several instances run. */
  shard?: { id: number; count: number };
  /** How long a thread remembers its customer: the conversation's own lifetime. */
  conversationTtlMs: number;
  /** How long start-up waits for the gateway's READY. */
  readyTimeoutMs?: number;
  /** Staff handoff on Discord. Without it `/staff` still works, but staff replies cannot reach Discord customers. */
  staff?: DiscordStaffOptions | undefined;
}

export interface DiscordStaffOptions {
  /** Where Discord registers how it delivers staff replies to customers and notices to staff. */
  outbox: OutboxRouter;
  /** `PORTPILOT_STAFF_DISCORD_CHANNEL`: where new cases are posted with a Claim button. */
  channelId?: string | undefined;
}

/** Exactly where to switch on the privileged intent portpilot needs to read messages in servers. */
export const MESSAGE_CONTENT_HINT = 'Enable it in the Discord Developer Portal > your app > Bot > Privileged Gateway Intents > Message Content Intent, then restart portpilot.';

/** What the Discord adapter itself says (the bot's own wording lives in dialogue/wording.ts). */
export const DISCORD_NOTES = {
  foreignPress: "These buttons belong to another customer's conversation. Mention me in the help channel or send me a direct message to start your own.",
  foreignThread: "This thread is another customer's conversation. Mention me in the help channel or send me a direct message to start your own.",
  unknownPress: "I didn't recognise that button. Type your question, or use /port help.",
  threadOpened: (threadId: string) => `I opened a thread for your port question: <#${threadId}>`,
  threadFailed: "I couldn't open a thread here (I need the Create Public Threads permission). Send me a direct message instead.",
  unsupportedPlace: 'Mention me in a text channel, or send me a direct message.',
  unknownCommand: 'That command is not available in this version. Try /port help.',
  secretDeleted: 'I deleted your message so the code is no longer visible here.',
  secretNotDeleted: "I couldn't delete your message (I need the Manage Messages permission). Please delete it yourself.",
} as const;

/** Texts with which the bot refuses a choice: an old button, or one it does not know. */

/** Gateway close codes after which discord.js gives up, with what to do about each. */
const FATAL_CLOSE_CODES: Record<number, string> = {
  4004: 'Discord refused DISCORD_TOKEN (authentication failed): copy the bot token again from the Developer Portal > your app > Bot.',
  4013: 'Discord refused the requested gateway intents as invalid.',
  4014: `Discord refused the privileged Message Content intent (close code 4014). ${MESSAGE_CONTENT_HINT}`,
};

const SEEN_TTL_MS = 10 * 60_000;
const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** Where a conversation happens and how to post in it. DMs are private; threads are public. */
interface Place {
  conversationKey: string;
  channelId: string;
  isPublic: boolean;
  send(payload: DiscordMessage & { reply?: { messageReference: string; failIfNotExists: boolean } }): Promise<unknown>;
}

/** What to do with a message: continue a conversation, open a thread for one, or answer with a note. */
type MessageRoute = { kind: 'converse'; place: Place } | { kind: 'open-thread' } | { kind: 'note'; text: string };

function dmPlace(channel: SendableChannels): Place {
  return { conversationKey: conversationKeyOf({ kind: 'dm', channelId: channel.id }), channelId: channel.id, isPublic: false, send: (payload) => channel.send(payload) };
}

function threadPlace(thread: ThreadChannel): Place {
  return { conversationKey: conversationKeyOf({ kind: 'thread', channelId: thread.id }), channelId: thread.id, isPublic: true, send: (payload) => thread.send(payload) };
}

/** Builds the Discord adapter; `start` logs in and resolves once the gateway is ready. */
export function createDiscordAdapter(deps: DiscordAdapterDeps): ChannelAdapter {
  const { bot, store, logger } = deps;
  const reasons = reasonOptionsFrom(deps.content);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
    // DMs arrive for channels discord.js has not cached; without this partial it drops them silently.
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    // An overridden REST base is a local fake or a proxy: fail fast rather than retry for minutes.
    rest: deps.apiUrl ? { api: deps.apiUrl, retries: 0 } : {},
    // Several instances: each holds one shard of the gateway, so each event reaches one of them.
    ...(deps.shard ? { shards: [deps.shard.id], shardCount: deps.shard.count } : {}),
  });
  let warnedEmptyContent = false;

  client.on(Events.MessageCreate, (message) => void onMessage(message));
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
  client.on(Events.Error, (error) => logger.error({ err: describeError(error) }, 'discord client error'));
  client.on(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord connected');
    if (ready.application.id !== deps.applicationId) {
      logger.warn(
        { tokenApplication: ready.application.id },
        'discord: DISCORD_TOKEN belongs to a different application than DISCORD_APPLICATION_ID; slash commands registered for one will not reach the other',
      );
    }
    const flags = ready.application.flags;
    if (!flags.any(ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited)) {
      logger.warn({}, `discord: the Message Content intent is not enabled for this app, so messages in servers arrive empty. ${MESSAGE_CONTENT_HINT}`);
    }
  });

  const oneTurnAtATime = createTurnQueue();
  const threadOwnerKey = (threadId: string) => `discord:thread-owner:${threadId}`;
  /** Several instances may share one bot token (one gateway session): the first to see an event answers it. */
  const deliveries = createDeliveryLedger({ store, logger, channel: 'discord', ttlMs: SEEN_TTL_MS });
  const guarded = createTurnBoundary({
    channel: 'discord',
    logger,
    describe: describeError,
    // 40060: another instance acknowledged the interaction first.
    isHarmless: (error) => (error as { code?: unknown }).code === 40060,
  });
  const staff = createDiscordStaff({ bot, logger });
  deps.staff?.outbox.register(
    'discord',
    createDiscordOutbox({
      client,
      logger,
      store,
      staffChannelId: deps.staff.channelId,
      threadCustomer: async (threadId) => {
        const owner = await store.get(threadOwnerKey(threadId));
        return typeof owner === 'string' ? owner : undefined;
      },
    }),
  );

  // ---- messages -------------------------------------------------------------------------------

  async function onMessage(message: Message): Promise<void> {
    // Never answer ourselves, other bots, webhooks or system notices (thread created, pins).
    if (message.author.bot || message.webhookId || message.system || message.author.id === client.user?.id) return;
    const tell = async (text: string) => {
      if (message.channel.isSendable()) await message.channel.send(renderNote(text));
    };
    await guarded(
      tell,
      async () => {
        const route = await routeMessage(message);
        if (!route || !(await deliveries.isFirst([`message:${message.id}`]))) return;
        if (route.kind === 'note') return void (await message.reply(renderNote(route.text)));
        const place = route.kind === 'converse' ? route.place : message.inGuild() ? await openThreadFromMessage(message) : undefined;
        if (place) await converseAboutMessage(message, place);
      },
      { where: message.channelId },
    );
  }

  /** Where a message belongs: a conversation, a thread to open, a note to answer with, or nothing. */
  async function routeMessage(message: Message): Promise<MessageRoute | undefined> {
    const channel = message.channel;
    if (!message.inGuild()) {
      return channel.isSendable() ? { kind: 'converse', place: dmPlace(channel) } : undefined;
    }
    const mentioned = message.mentions.users.has(client.user!.id);
    if (channel.isThread()) {
      // Only threads the bot opened have a customer already; elsewhere, stay out of the chat unless mentioned.
      if (!mentioned && channel.ownerId !== client.user!.id) return undefined;
      // A thread the bot opened whose customer was never recorded (the store was down then) is taken by
      // the first person who writes in it, as a mention would.
      const place = await claimThread(channel, message.author.id, mentioned || channel.ownerId === client.user!.id);
      if (place) return { kind: 'converse', place };
      return mentioned ? { kind: 'note', text: DISCORD_NOTES.foreignThread } : undefined;
    }
    if (!mentioned) return undefined;
    return channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement
      ? { kind: 'open-thread' }
      : { kind: 'note', text: DISCORD_NOTES.unsupportedPlace };
  }

  /** The thread's conversation if `userId` is its customer, or claims a customer-less thread when asked to. */
  async function claimThread(thread: ThreadChannel, userId: string, claim: boolean): Promise<Place | undefined> {
    const place = threadPlace(thread);
    const owner = await store.get(threadOwnerKey(thread.id));
    if (owner === userId) return place;
    if (owner !== undefined || !claim) return undefined;
    const claimed = await store.setIfAbsent(threadOwnerKey(thread.id), userId, deps.conversationTtlMs);
    return claimed || (await store.get(threadOwnerKey(thread.id))) === userId ? place : undefined;
  }

  async function openThreadFromMessage(message: Message<true>): Promise<Place | undefined> {
    let thread: ThreadChannel;
    try {
      thread = await message.startThread({ name: threadName(message.member?.displayName ?? message.author.username), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    } catch (error) {
      logger.warn({ err: describeError(error), channel: message.channelId }, 'discord: could not open a thread (Create Public Threads permission?)');
      await message.reply(renderNote(DISCORD_NOTES.threadFailed));
      return undefined;
    }
    // Recording its customer needs the store: a store that is down is the turn's failure (and apology),
    // not a missing permission.
    return adoptThread(thread, message.author.id);
  }

  /** Records the customer of a thread the bot just opened and adds them to it. */
  async function adoptThread(thread: ThreadChannel, userId: string): Promise<Place> {
    await store.setIfAbsent(threadOwnerKey(thread.id), userId, deps.conversationTtlMs);
    await thread.members.add(userId).catch((error: unknown) => logger.warn({ err: describeError(error) }, 'discord: could not add the customer to the thread'));
    return threadPlace(thread);
  }

  async function converseAboutMessage(message: Message, place: Place): Promise<void> {
    if (message.inGuild() && message.content === '' && message.attachments.size === 0 && message.stickers.size === 0 && !warnedEmptyContent) {
      warnedEmptyContent = true;
      logger.warn({ channel: message.channelId }, `discord: a server message arrived with empty content: the Message Content intent is off. ${MESSAGE_CONTENT_HINT}`);
    }
    const text = message.content.replaceAll(`<@${client.user!.id}>`, '').replaceAll(`<@!${client.user!.id}>`, '').trim();
    await oneTurnAtATime(place.conversationKey, async () => {
      const result = await handle(place, message.author.id, message.member?.displayName ?? message.author.displayName, { text });
      // A PIN in a public place: take it down before anything else is posted (nothing stored has it: the core redacts).
      const secretNote: Reply[] = result.inputHadSecret && place.isPublic ? [{ kind: 'text', text: await deleteSecretMessage(message) }] : [];
      // A message has no private answer: what is private is a reply to the customer's own message.
      const replyHere = message.channelId === place.channelId;
      await postReplies(
        surfaceFor(place, message.author.id, (payload) => place.send(replyHere ? { ...payload, reply: { messageReference: message.id, failIfNotExists: false } } : payload)),
        [...result.replies, ...secretNote],
      );
    });
  }

  /** Deletes a customer's message holding a secret when the bot may; says what happened. */
  async function deleteSecretMessage(message: Message): Promise<string> {
    const me = client.user!;
    const permissions = message.inGuild() ? message.channel.permissionsFor(me) : null;
    if (permissions && !permissions.has(PermissionFlagsBits.ManageMessages)) {
      logger.warn({ channel: message.channelId }, 'discord: a message holding a secret was not deleted: the bot lacks Manage Messages');
      return DISCORD_NOTES.secretNotDeleted;
    }
    try {
      await message.delete();
      return DISCORD_NOTES.secretDeleted;
    } catch (error) {
      logger.warn({ err: describeError(error), channel: message.channelId }, 'discord: could not delete a message holding a secret');
      return DISCORD_NOTES.secretNotDeleted;
    }
  }

  // ---- interactions ---------------------------------------------------------------------------

  async function onInteraction(interaction: Interaction): Promise<void> {
    const tell = async (text: string, error: unknown) => {
      // 10062: the interaction's token expired before we answered; nothing can reach the customer through it.
      if (!interaction.isRepliable() || (error as { code?: unknown }).code === 10062) return;
      const note = { ...renderNote(text), flags: MessageFlags.Ephemeral } as const;
      await (interaction.deferred || interaction.replied ? interaction.followUp(note) : interaction.reply(note));
    };
    await guarded(
      tell,
      async () => {
        // Instances that share a gateway session (no sharding) all receive it: the first one answers.
        if (!(await deliveries.isFirst([`interaction:${interaction.id}`]))) return;
        if (interaction.isChatInputCommand() && interaction.commandName === PORT_COMMAND_NAME) await onPortCommand(interaction);
        else if (interaction.isChatInputCommand() && interaction.commandName === STAFF_COMMAND_NAME) await staff.onStaffCommand(interaction);
        else if (interaction.isButton() && isClaimId(interaction.customId)) await staff.onClaimPress(interaction);
        else if (interaction.isButton() || interaction.isStringSelectMenu()) await onComponentPress(interaction);
      },
      { interaction: interaction.id },
    );
  }

  async function onPortCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    // Discord's 3 s deadline: acknowledge first, work after. The acknowledgement is private; the
    // walkthrough itself is posted in the DM or the customer's thread.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const input = portCommandInput(interaction.options.getSubcommand(), interaction.options.getString(REASON_OPTION_NAME), reasons);
    if (input === undefined) {
      await interaction.editReply(renderNote(DISCORD_NOTES.unknownCommand));
      return;
    }
    const userId = interaction.user.id;
    const channel = interaction.channel ?? (await client.channels.fetch(interaction.channelId));
    let place: Place | undefined;
    if (!interaction.inGuild()) {
      if (channel?.isSendable()) place = dmPlace(channel);
    } else if (channel?.isThread()) {
      place = await claimThread(channel, userId, true);
      if (!place) return void (await interaction.editReply(renderNote(DISCORD_NOTES.foreignThread)));
    } else if (channel?.type === ChannelType.GuildText || channel?.type === ChannelType.GuildAnnouncement) {
      const thread = await channel.threads
        .create({ name: threadName(interaction.user.displayName), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay })
        .catch((error: unknown) => void logger.warn({ err: describeError(error) }, 'discord: could not open a thread (Create Public Threads permission?)'));
      if (!thread) return void (await interaction.editReply(renderNote(DISCORD_NOTES.threadFailed)));
      place = await adoptThread(thread, userId);
      await interaction.editReply(renderNote(DISCORD_NOTES.threadOpened(thread.id)));
    }
    if (!place) return void (await interaction.editReply(renderNote(DISCORD_NOTES.unsupportedPlace)));
    // A follow-up sent while the deferred reply is still "thinking" would replace it: settle it first.
    if (!interaction.replied) await interaction.deleteReply();
    await oneTurnAtATime(place.conversationKey, async () => {
      const result = await handle(place, userId, interaction.user.displayName, input);
      await postReplies(
        surfaceFor(place, userId, (payload) => interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral })),
        result.replies,
      );
    });
  }

  async function onComponentPress(interaction: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
    const values = interaction.isStringSelectMenu() ? interaction.values : [];
    const press = decodeComponentPress(interaction.customId, values);
    if (!press) return void (await interaction.reply({ ...renderNote(DISCORD_NOTES.unknownPress), flags: MessageFlags.Ephemeral }));
    if (press.customer !== interaction.user.id) {
      return void (await interaction.reply({ ...renderNote(DISCORD_NOTES.foreignPress), flags: MessageFlags.Ephemeral }));
    }
    await interaction.deferUpdate();
    const channel = interaction.channel;
    const place = !channel?.isSendable() ? undefined : channel.isThread() ? threadPlace(channel) : interaction.inGuild() ? undefined : dmPlace(channel);
    if (!place) return void (await interaction.followUp({ ...renderNote(DISCORD_NOTES.unknownPress), flags: MessageFlags.Ephemeral }));
    // Disable the pressed message's components first: the customer sees the choice taken, and cannot press it twice.
    await interaction.editReply({
      components: disableComponents(
        interaction.message.components.map((row) => row.toJSON()),
        { customId: interaction.customId, value: values[0] },
      ),
    });
    await oneTurnAtATime(place.conversationKey, async () => {
      const result = await handle(place, interaction.user.id, interaction.user.displayName, { choice: press.choice });
      const followUpPrivately = (payload: DiscordMessage) => interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
      // A refused press (an old button) is answered to the presser alone, leaving the thread as it was.
      await postReplies(surfaceFor(place, interaction.user.id, followUpPrivately), result.replies, { allPrivate: pressWasRefused(result) });
    });
  }

  // ---- shared ---------------------------------------------------------------------------------

  function handle(place: Place, userId: string, displayName: string, input: Pick<InboundMessage, 'text' | 'choice' | 'start'>): Promise<TurnResult> {
    return bot.handle({ channel: 'discord', conversationKey: place.conversationKey, actor: { id: userId, displayName }, ...input });
  }

  /** The place as a surface to post on: public replies in it, private ones through `sendPrivately`. */
  function surfaceFor(place: Place, customer: string, sendPrivately: (payload: DiscordMessage) => Promise<unknown>): ReplySurface {
    const each = (send: (payload: DiscordMessage) => Promise<unknown>) => async (reply: Reply) => {
      for (const payload of renderReply(reply, customer)) await send(payload);
    };
    return { isPublic: place.isPublic, post: each((payload) => place.send(payload)), postPrivately: each(sendPrivately) };
  }

  return {
    name: 'discord',
    async start() {
      const ready = waitForReady(client, deps.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
      ready.catch(() => undefined); // awaited below; a failed login must not leave it unhandled
      try {
        await client.login(deps.token);
        await ready;
      } catch (error) {
        await client.destroy();
        throw explainStartFailure(error);
      }
    },
    async stop() {
      await client.destroy();
    },
  };
}

/** Resolves on the gateway's READY; rejects on a close Discord will not let us recover from, or on timeout. */
function waitForReady(client: Client, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onReady = () => settle();
    const onDisconnect = (event: { code: number }) => {
      const reason = FATAL_CLOSE_CODES[event.code];
      if (reason) settle(new Error(reason));
    };
    const timer = setTimeout(() => settle(new Error(`Discord did not report ready within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    timer.unref();
    function settle(error?: Error) {
      clearTimeout(timer);
      client.off(Events.ClientReady, onReady);
      client.off(Events.ShardDisconnect, onDisconnect);
      if (error) reject(error);
      else resolve();
    }
    client.once(Events.ClientReady, onReady);
    client.on(Events.ShardDisconnect, onDisconnect);
  });
}

/** Start-up errors from discord.js, reworded to say what to fix (the original is kept as `cause`). */
function explainStartFailure(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: unknown }).code;
  const reason = /disallowed intents/i.test(message)
    ? FATAL_CLOSE_CODES[4014]
    : /authentication failed/i.test(message) || code === 'TokenInvalid'
      ? FATAL_CLOSE_CODES[4004]
      : undefined;
  return reason ? new Error(reason, { cause: error }) : error;
}

/** A thread title naming the customer; Discord allows 100 characters. */
function threadName(displayName: string): string {
  return `Port help: ${displayName}`.slice(0, 100);
}
