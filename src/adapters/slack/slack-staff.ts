/**
 * Staff on Slack: `/portpilot-staff <command>` and the Claim button on case notices. Both become staff
 * commands for the bot's staff desk (`bot.staff`) with the caller's staff user groups as roles, so the core
 * decides who is staff on every command; the answer is shown only to the caller (ephemeral).
 */
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { Bot } from '../../bot.js';
import type { Logger } from '../../core/ports.js';
import type { Reply, StaffCommandResult } from '../../core/types.js';
import { decodeClaimValue } from './claim-value.js';
import { plainTextFromSlack } from './inbound-text.js';
import { CLAIM_ACTION_ID, renderCaseClaimed, renderStaffAnswer, STAFF_COMMAND } from './render-staff.js';
import { describeError } from './slack-logging.js';
import { SLACK_WORDING } from './slack-wording.js';
import type { StaffRoles } from './staff-roles.js';

export interface SlackStaffDeps {
  app: App;
  bot: Bot;
  logger: Logger;
  roles: StaffRoles;
  /** The adapter's error boundary for one turn: logs and tells the caller politely; never throws. */
  guarded(tell: (text: string) => Promise<unknown>, work: () => Promise<unknown>): Promise<void>;
}

/** Registers `/portpilot-staff` and the Claim button's listener on the App. */
export function registerStaffHandlers(deps: SlackStaffDeps): void {
  const { app, bot, logger, roles } = deps;

  /** One staff command from a Slack user, with the staff user groups they belong to. */
  async function runAsStaff(user: { id: string; name?: string | undefined }, text: string): Promise<StaffCommandResult> {
    const groups = await roles.rolesOf(user.id);
    return bot.staff({ channel: 'slack', actor: { id: user.id, ...(user.name ? { displayName: user.name } : {}), roles: groups }, text });
  }

  app.command(STAFF_COMMAND, async ({ command, ack, respond }) => {
    // Slack shows an error unless a command is acknowledged within 3 seconds: ack first, work after.
    await ack();
    await deps.guarded(ephemeralTo(respond), async () => {
      const result = await runAsStaff({ id: command.user_id, name: command.user_name }, plainTextFromSlack(command.text));
      await answer(respond, result.replies);
    });
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: CLAIM_ACTION_ID }, async ({ ack, body, action, client, respond }) => {
    // A click waits for the same 3-second acknowledgement as a command.
    await ack();
    const tell = ephemeralTo(respond);
    const caseId = decodeClaimValue(action.value);
    if (!caseId) {
      await tell(SLACK_WORDING.unreadableButton).catch((error: unknown) =>
        logger.error({ err: describeError(error), channel: 'slack' }, 'slack could not answer an unreadable Claim button'),
      );
      return;
    }
    const clicker = { id: body.user.id, name: body.user.name ?? body.user.username };
    await deps.guarded(tell, async () => {
      // The click is the staff command `claim <case>` from the clicker: the core checks who they are.
      const result = await runAsStaff(clicker, `claim ${caseId}`);
      const held = result.caseId === caseId && result.ok;
      if (held) {
        // Showing who claimed it in the staff channel is tidying up: the claim stands if it fails.
        await client.chat
          .update({ channel: String(body.container.channel_id), ts: String(body.container.message_ts), ...renderCaseClaimed(body.message?.blocks, caseId, clicker) })
          .catch((error: unknown) => logger.warn({ err: describeError(error), channel: 'slack', caseId }, 'slack could not mark the case notice as claimed'));
      }
      // The refusal, or the claim's how-to ("reply", "handback", "close"), for the clicker alone.
      await answer(respond, result.replies);
    });
  });
}

/** The core's answer to a staff command, for the caller alone. */
async function answer(respond: RespondFn, replies: Reply[]): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, ...renderStaffAnswer(replies) });
}

/** A polite note only the caller sees, through the response URL of a command or click. */
function ephemeralTo(respond: RespondFn | undefined): (text: string) => Promise<unknown> {
  return async (text) => {
    if (!respond) throw new Error('no response URL to answer on');
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
}
