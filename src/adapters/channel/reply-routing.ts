/**
 * Where each reply of a turn goes: in the conversation for everyone in it, or to the customer alone.
 * A reply marked private in a public place (a channel thread), and every reply to a refused press (an
 * old or unknown button, which concerns only whoever pressed it), go privately; in a DM everything is
 * private already.
 */
import type { Reply, TurnResult } from '../../core/types.js';

/** How a channel posts one reply: it renders it in its own way (Block Kit, components, text). */
export interface ReplySurface {
  /** True in a place others can read (a channel thread), false in a DM. */
  isPublic: boolean;
  post(reply: Reply): Promise<unknown>;
  /** Only the customer sees it (Slack ephemeral, a Discord ephemeral follow-up); a DM's post will do. */
  postPrivately(reply: Reply): Promise<unknown>;
}

/** True when the reply must reach the customer alone. */
export function goesPrivately(reply: Reply, isPublic: boolean, allPrivate = false): boolean {
  return allPrivate || (isPublic && reply.kind === 'text' && reply.private === true);
}

/** Posts replies in order, each publicly or privately. */
export async function postReplies(surface: ReplySurface, replies: Reply[], options: { allPrivate?: boolean } = {}): Promise<void> {
  for (const reply of replies) {
    await (goesPrivately(reply, surface.isPublic, options.allPrivate) ? surface.postPrivately(reply) : surface.post(reply));
  }
}

/** The bot ignored a press (an old button, or an option it does not know) and said so: only the presser hears it. */
export function pressWasRefused(result: TurnResult): boolean {
  return result.press === 'refused';
}
