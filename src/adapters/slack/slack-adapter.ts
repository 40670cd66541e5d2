/**
 * The Slack channel: a Bolt `App` that turns direct messages, mentions, `/portpilot` and button presses
 * into `InboundMessage`s for the bot and renders its replies. HTTP mode mounts Slack's endpoint at
 * `/slack/events` on the bot's one HTTP app (signatures always verified); Socket Mode connects out with
 * an app-level token instead. This folder is the only place that imports `@slack/bolt`. The staff side
 * (`/portpilot-staff`, the Claim button) is in `slack-staff.ts`; delivery outside a customer's turn
 * (staff replies, case notices) in `slack-outbox.ts`.
 */
import { App, ExpressReceiver, type BlockAction, type ExpressReceiverOptions, type RespondFn, type webApi } from '@slack/bolt';
import type { Bot } from '../../bot.js';
import { ConfigError } from '../../core/errors.js';
import type { ChannelAdapter, ConversationStore, Logger } from '../../core/ports.js';
import { redactSecrets } from '../../core/redact.js';
import type { InboundMessage, Reply } from '../../core/types.js';
import type { OutboxRouter } from '../../handoff/outbox-router.js';
import { createDeliveryLedger } from '../channel/delivery-ledger.js';
import { createRecentPlaces } from '../channel/recent-places.js';
import { postReplies, pressWasRefused, type ReplySurface } from '../channel/reply-routing.js';
import { createTurnBoundary } from '../channel/turn-boundary.js';
import { createTurnQueue } from '../channel/turn-queue.js';
import { decodeChoiceValue } from './choice-value.js';
import { conversationKey, isDirectChannel, type Place } from './conversation-key.js';
import { homeView } from './home-view.js';
import { commandText, plainTextFromSlack } from './inbound-text.js';
import { isChoiceActionId, renderChoiceMade, renderOptionsClosed, renderReply, type SlackMessage } from './render-reply.js';
import { isStaffActionId } from './render-staff.js';
import { boltLoggerFor, describeError, slackErrorCode } from './slack-logging.js';
import { createSlackOutbox } from './slack-outbox.js';
import { registerStaffHandlers } from './slack-staff.js';
import { SLACK_WORDING } from './slack-wording.js';
import { createStaffRoles } from './staff-roles.js';

export interface SlackAdapterDeps {
  bot: Bot;
  /** Shared with the bot; holds the de-duplication keys for Slack's retries (never message text). */
  store: ConversationStore;
  logger: Logger;
  botToken: string;
  signingSecret: string;
  /** An app-level token (`xapp-…`) turns on Socket Mode; without it Slack reaches us over HTTP. */
  appToken?: string | undefined;
  /** Web API base URL override, e.g. `http://127.0.0.1:4000/api/` (tests, proxies). */
  apiUrl?: string | undefined;
  /** The bot's one HTTP app; HTTP mode mounts `/slack/events` on it. */
  httpApp?: ExpressReceiverOptions['app'] | undefined;
  /** Retries of a failed Web API call (default 2, a few seconds at most); tests pass 0. */
  webApiRetries?: number | undefined;
  /** Staff handoff on Slack. Without it `/portpilot-staff` still works for staff listed by user id. */
  staff?: SlackStaffOptions | undefined;
}

export interface SlackStaffOptions {
  /** Where Slack registers how it delivers staff replies to customers and notices to staff. */
  outbox: OutboxRouter;
  /** `PORTPILOT_STAFF_SLACK_USERGROUP_IDS`: members of these user groups are staff. */
  usergroupIds: string[];
  /** `PORTPILOT_STAFF_SLACK_CHANNEL`: where new cases are posted with a Claim button. */
  channel?: string | undefined;
}

/** Slack retries an event for about five minutes; an hour of memory covers every retry. */
const DELIVERY_TTL_MS = 60 * 60 * 1000;
const DEFAULT_WEB_API_RETRIES = 2;
const WEB_API_TIMEOUT_MS = 10_000;
const COMMAND = '/portpilot';

/** Who the bot is on Slack, from `auth.test`: the installation's team keys every conversation. */
interface SlackIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
}

/** The fields of a message or app_mention event that the adapter reads. */
interface MessageFields {
  channel: string;
  channel_type?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
}

/** Builds the Slack channel; `start()` checks the token with `auth.test` (and connects, in Socket Mode). */
export function createSlackAdapter(deps: SlackAdapterDeps): ChannelAdapter {
  const { bot, store, logger } = deps;
  const boltLogger = boltLoggerFor(logger);
  const socketMode = deps.appToken !== undefined;
  const clientOptions: webApi.WebClientOptions = {
    ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
    timeout: WEB_API_TIMEOUT_MS,
    retryConfig: { retries: deps.webApiRetries ?? DEFAULT_WEB_API_RETRIES, factor: 2, minTimeout: 250, maxTimeout: 2000 },
  };

  const deliveries = createDeliveryLedger({ store, logger, channel: 'slack', ttlMs: DELIVERY_TTL_MS });
  const oneTurnAtATime = createTurnQueue();
  const recentThreads = createRecentPlaces();
  const guarded = createTurnBoundary({
    channel: 'slack',
    logger,
    describe: describeError,
    channelApology: (error) => (isNotAMember(error) ? SLACK_WORDING.cannotPostHere : undefined),
  });

  let identity: Promise<SlackIdentity> | undefined;
  const app = new App({
    // A fixed identity learnt once from auth.test (Bolt's own token mode would not keep the team id).
    authorize: async () => {
      const me = await whoAmI();
      return { botToken: deps.botToken, botId: me.botId, botUserId: me.botUserId, teamId: me.teamId };
    },
    logger: boltLogger,
    clientOptions,
    convoStore: false,
    ignoreSelf: true,
    ...(socketMode
      ? // The socket client builds its Web API client from installerOptions, not from clientOptions.
        { socketMode: true, appToken: deps.appToken, installerOptions: { clientOptions } }
      : { receiver: httpReceiver() }),
  });

  function httpReceiver(): ExpressReceiver {
    if (!deps.httpApp) throw new Error('Slack HTTP mode needs the HTTP app to mount /slack/events on (httpApp)');
    return new ExpressReceiver({
      signingSecret: deps.signingSecret,
      signatureVerification: true,
      app: deps.httpApp,
      endpoints: '/slack/events',
      logger: boltLogger,
      // Slack waits 3 seconds for an answer: events are acknowledged before the bot works on them.
      processBeforeResponse: false,
    });
  }

  function whoAmI(): Promise<SlackIdentity> {
    identity ??= app.client.auth
      .test({ token: deps.botToken })
      .then((r) => ({ teamId: r.team_id ?? '', botUserId: r.user_id ?? '', botId: r.bot_id ?? '' }))
      .catch((error: unknown) => {
        identity = undefined;
        throw error;
      });
    return identity;
  }

  // A signed command or button click replayed (by Slack, a proxy or anyone holding a captured request)
  // carries the same trigger_id: it is acknowledged and answered once, like an event.
  app.use(async ({ body, next, ...rest }) => {
    const triggerId = (body as { trigger_id?: unknown }).trigger_id;
    if (typeof triggerId === 'string' && triggerId && !(await deliveries.isFirst([`trigger:${triggerId}`]))) {
      logger.info({ channel: 'slack' }, 'slack delivered a command or click again; already answered');
      const ack = (rest as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await next();
  });

  app.event('message', async ({ event, body, client, context }) => {
    const message = event as unknown as MessageFields;
    if (!isFromCustomer(message)) return;
    if (message.channel_type === 'im') {
      await onCustomerText(client, { channel: message.channel, direct: true }, message, body.event_id, context.retryNum);
      return;
    }
    // A reply in a thread where the bot is already helping continues the walkthrough without a new
    // mention. Everything else said in channels is ignored (and a mention arrives as app_mention).
    if (!message.thread_ts || message.thread_ts === message.ts) return;
    const me = await whoAmI();
    if ((message.text ?? '').includes(`<@${me.botUserId}>`)) return;
    const place: Place = { channel: message.channel, direct: false, threadTs: message.thread_ts };
    const key = conversationKey(me.teamId, place);
    // With the store down, a thread this process just answered in is still known: the customer hears why.
    if (!recentThreads.has(key) && !(await bot.hasConversation(key).catch(() => false))) return;
    await onCustomerText(client, place, message, body.event_id, context.retryNum);
  });

  app.event('app_mention', async ({ event, body, client, context }) => {
    const message = event as unknown as MessageFields;
    if (!isFromCustomer(message)) return;
    const place: Place = isDirectChannel(message.channel)
      ? { channel: message.channel, direct: true }
      : { channel: message.channel, direct: false, threadTs: message.thread_ts ?? message.ts };
    await onCustomerText(client, place, message, body.event_id, context.retryNum);
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: event.user, view: homeView() });
    } catch (error) {
      logger.error({ err: describeError(error), channel: 'slack' }, 'slack home tab could not be published');
    }
  });

  app.command(COMMAND, async ({ command, ack, client, respond }) => {
    // Slack shows the customer an error unless a command is acknowledged within 3 seconds: ack first.
    await ack();
    const customer = command.user_id;
    await guarded(ephemeralTo(respond), async () => {
      const me = await whoAmI();
      const place: Place = isDirectChannel(command.channel_id) ? { channel: command.channel_id, direct: true } : await openThread(client, command.channel_id, customer);
      const message = inbound(me, place, customer, { text: commandText(command.text) });
      if (!place.direct) recentThreads.remember(message.conversationKey);
      await oneTurnAtATime(message.conversationKey, async () => {
        const result = await bot.handle(message);
        await postReplies(surfaceFor(client, place, customer), result.replies);
      });
    });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, client, respond }) => {
    const click = body as BlockAction;
    // Bolt runs every matching listener: the Claim button is acknowledged and handled in slack-staff.ts.
    if (click.actions.some((a) => isStaffActionId(a.action_id))) return;
    // Button presses wait for the same 3-second acknowledgement as commands.
    await ack();
    const customer = click.user.id;
    const tell = ephemeralTo(respond);
    const place = placeOfClick(click);
    const pressed = pressedChoice(click);
    if (!place || pressed.choice === undefined) {
      await tell(SLACK_WORDING.unreadableButton).catch((error: unknown) =>
        logger.error({ err: describeError(error), channel: 'slack' }, 'slack could not answer an unreadable button'),
      );
      return;
    }
    // One answer per message: a double click, or two people pressing at once, counts once.
    const pressKey = `press:${place.channel}:${String(click.container.message_ts)}`;
    if (!(await deliveries.isFirst([pressKey]))) return;
    await guarded(tell, async () => {
      try {
        const me = await whoAmI();
        const message = inbound(me, place, customer, { choice: pressed.choice });
        await oneTurnAtATime(message.conversationKey, async () => {
          const result = await bot.handle(message);
          const refused = pressWasRefused(result);
          const blocks: unknown = click.message?.blocks;
          // Removing the old buttons is tidying up: if it fails, the answer still goes out.
          await updateClickedMessage(client, respond, click, refused ? renderOptionsClosed(blocks) : renderChoiceMade(blocks, pressed.label)).catch((error: unknown) =>
            logger.warn({ err: describeError(error), channel: 'slack' }, 'slack could not update the pressed message'),
          );
          await postReplies(surfaceFor(client, place, customer), result.replies, { allPrivate: refused });
        });
      } catch (error) {
        // The customer is told to try again: let the same button work then (the bot re-offers where it is).
        await deliveries.forget([pressKey, `trigger:${click.trigger_id}`]);
        throw error;
      }
    });
  });

  registerStaffHandlers({
    app,
    bot,
    logger,
    roles: createStaffRoles({
      usergroupIds: deps.staff?.usergroupIds ?? [],
      listMembers: async (usergroup) => (await app.client.usergroups.users.list({ token: deps.botToken, usergroup })).users ?? [],
      logger,
    }),
    guarded,
  });
  deps.staff?.outbox.register('slack', createSlackOutbox({ client: app.client, botToken: deps.botToken, logger, store, staffChannel: deps.staff.channel }));

  app.error(async (error) => {
    logger.error({ err: describeError(error), channel: 'slack' }, 'slack event failed');
  });

  /** A DM or a mention: de-duplicate Slack's retries, then one turn. */
  async function onCustomerText(client: webApi.WebClient, place: Place, message: MessageFields, eventId: string, retryNum?: number): Promise<void> {
    const me = await whoAmI();
    const customer = message.user ?? '';
    // Slack retries with the same event_id, and sometimes with a new one for the same message.
    const keys = [`event:${eventId}`, `message:${me.teamId}:${message.channel}:${message.ts}`];
    if (!(await deliveries.isFirst(keys))) {
      logger.info({ channel: 'slack', retryNum }, 'slack delivered a message again; already answered');
      return;
    }
    const surface = surfaceFor(client, place, customer);
    const turn = inbound(me, place, customer, { text: plainTextFromSlack(message.text ?? '', me.botUserId) });
    if (!place.direct) recentThreads.remember(turn.conversationKey);
    await guarded(
      (text) => postReplies(surface, [{ kind: 'text', text, private: true }]),
      () =>
        oneTurnAtATime(turn.conversationKey, async () => {
          const result = await bot.handle(turn);
          // Slack lets no bot delete a customer's message: they are asked to, privately.
          const secretNote: Reply[] = result.inputHadSecret && surface.isPublic ? [{ kind: 'text', text: SLACK_WORDING.deleteSecretMessage, private: true }] : [];
          await postReplies(surface, [...result.replies, ...secretNote]);
        }),
    );
  }

  /**
   * The DM or thread as a place to post: Block Kit messages, and ephemeral ones (only the customer
   * sees them) for private replies in a channel; a DM is private already.
   */
  function surfaceFor(client: webApi.WebClient, place: Place, customer: string): ReplySurface {
    const thread = place.threadTs ? { thread_ts: place.threadTs } : {};
    const post = (reply: Reply) => client.chat.postMessage({ channel: place.channel, ...thread, ...renderReply(reply), unfurl_links: false, unfurl_media: false });
    return {
      isPublic: !place.direct,
      post,
      postPrivately: (reply) => (place.direct ? post(reply) : client.chat.postEphemeral({ channel: place.channel, user: customer, ...thread, ...renderReply(reply) })),
    };
  }

  return {
    name: 'slack',
    async start() {
      const me = await whoAmI().catch((error: unknown) => {
        throw startupError(error, deps.apiUrl);
      });
      if (socketMode) await app.start();
      logger.info({ channel: 'slack', mode: socketMode ? 'socket' : 'http', team: me.teamId }, 'slack connected');
    },
    async stop() {
      if (socketMode) await app.stop();
    },
  };
}

function inbound(me: SlackIdentity, place: Place, customer: string, input: Pick<InboundMessage, 'text' | 'choice'>): InboundMessage {
  return { channel: 'slack', conversationKey: conversationKey(me.teamId, place), actor: { id: customer }, ...input };
}

/** A person's message: not from a bot (ours or another), not an edit, deletion or join notice. */
function isFromCustomer(message: MessageFields): boolean {
  const ordinary = message.subtype === undefined || message.subtype === 'file_share';
  return ordinary && !message.bot_id && !!message.user && message.user !== 'USLACKBOT';
}

/** A slash command in a channel starts a thread, so the walkthrough is one conversation per thread. */
async function openThread(client: webApi.WebClient, channel: string, customer: string): Promise<Place> {
  const mention = /^[UW][A-Z0-9]+$/.test(customer) ? `<@${customer}> ` : '';
  const root = await client.chat.postMessage({ channel, text: `${mention}${SLACK_WORDING.threadStarted}`, unfurl_links: false });
  if (!root.ts) throw new Error('chat.postMessage returned no ts for the thread root');
  return { channel, direct: false, threadTs: root.ts };
}

/** The DM or thread a click belongs to; undefined for a click outside a message of ours. */
function placeOfClick(click: BlockAction): Place | undefined {
  const container = click.container;
  const channel: unknown = container.channel_id ?? click.channel?.id;
  if (container.type !== 'message' || typeof channel !== 'string') return undefined;
  if (isDirectChannel(channel)) return { channel, direct: true };
  // A click inside a thread carries the thread's ts on the container (also for ephemeral messages).
  const threadTs: unknown = container.thread_ts ?? click.message?.thread_ts;
  return typeof threadTs === 'string' ? { channel, direct: false, threadTs } : undefined;
}

/** Our choice id and the label the customer saw, from a button or a select; the id is undefined when not ours. */
function pressedChoice(click: BlockAction): { choice: string | undefined; label: string } {
  const action = click.actions[0] as { action_id: string; value?: string; text?: { text?: string }; selected_option?: { value?: string; text?: { text?: string } } } | undefined;
  if (!action || !isChoiceActionId(action.action_id)) return { choice: undefined, label: '' };
  const picked = action.selected_option ?? action;
  return { choice: decodeChoiceValue(picked.value), label: picked.text?.text ?? '' };
}

/** Replaces the clicked message's buttons: chat.update, or the response URL for an ephemeral message. */
async function updateClickedMessage(client: webApi.WebClient, respond: RespondFn | undefined, click: BlockAction, message: SlackMessage): Promise<void> {
  const container = click.container;
  if (container.is_ephemeral === true) {
    if (respond) await respond({ replace_original: true, ...message });
    return;
  }
  await client.chat.update({ channel: String(container.channel_id), ts: String(container.message_ts), ...message });
}

/** A polite note only the customer sees, through the response URL of a command or click. */
function ephemeralTo(respond: RespondFn | undefined): (text: string) => Promise<unknown> {
  return async (text) => {
    if (!respond) throw new Error('no response URL to answer on');
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
}

function isNotAMember(error: unknown): boolean {
  return ['not_in_channel', 'channel_not_found', 'is_archived'].includes(slackErrorCode(error) ?? '');
}

/** Why Slack could not start, naming the variable to fix when the token was refused. */
function startupError(error: unknown, apiUrl: string | undefined): Error {
  const code = slackErrorCode(error);
  if (code && ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(code)) {
    return new ConfigError([`SLACK_BOT_TOKEN: Slack did not accept the bot token (auth.test answered ${code})`]);
  }
  const where = apiUrl ?? 'https://slack.com/api/';
  return new Error(`Slack could not be reached at ${where} (auth.test): ${redactSecrets((error as Error).message ?? String(error))}`, { cause: error });
}
