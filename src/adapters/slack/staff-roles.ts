/**
 * A Slack user's staff roles: which of the configured staff user groups
 * (`PORTPILOT_STAFF_SLACK_USERGROUP_IDS`) they belong to, read with `usergroups.users.list`. The core's
 * staff policy decides on every command; this only supplies `Actor.roles`. Each group's member list is
 * kept for at most 60 seconds, so a burst of staff commands costs one call per group, and someone removed
 * from a group loses staff rights within a minute.
 */
import type { Logger } from '../../core/ports.js';
import { describeError } from './slack-logging.js';

/** The longest a group's member list is trusted. */
export const MAX_MEMBERS_TTL_MS = 60_000;

export interface StaffRolesDeps {
  usergroupIds: string[];
  /** The user ids in one user group (`usergroups.users.list`). */
  listMembers(usergroupId: string): Promise<string[]>;
  logger: Logger;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  nowMs?: () => number;
  /** How long a member list is kept; capped at `MAX_MEMBERS_TTL_MS`. */
  ttlMs?: number;
}

export interface StaffRoles {
  /** The configured staff user groups `userId` is a member of (empty when none are configured). */
  rolesOf(userId: string): Promise<string[]>;
}

export function createStaffRoles(deps: StaffRolesDeps): StaffRoles {
  const nowMs = deps.nowMs ?? (() => performance.now());
  const ttlMs = Math.min(deps.ttlMs ?? MAX_MEMBERS_TTL_MS, MAX_MEMBERS_TTL_MS);
  const cache = new Map<string, { members: Promise<Set<string>>; fetchedAtMs: number }>();

  function membersOf(usergroupId: string): Promise<Set<string>> {
    const cached = cache.get(usergroupId);
    if (cached && nowMs() - cached.fetchedAtMs < ttlMs) return cached.members;
    // Concurrent commands share one call; a failed call is forgotten at once, so the next command retries.
    const members = deps.listMembers(usergroupId).then((ids) => new Set(ids));
    const entry = { members, fetchedAtMs: nowMs() };
    cache.set(usergroupId, entry);
    members.catch(() => {
      if (cache.get(usergroupId) === entry) cache.delete(usergroupId);
    });
    return members;
  }

  return {
    async rolesOf(userId) {
      const roles = await Promise.all(
        deps.usergroupIds.map(async (usergroupId) => {
          try {
            return (await membersOf(usergroupId)).has(userId) ? [usergroupId] : [];
          } catch (error) {
            // Unreadable membership grants nothing: the person is staff only if listed by user id.
            deps.logger.warn({ err: describeError(error), channel: 'slack', usergroup: usergroupId }, 'slack staff user group could not be read');
            return [];
          }
        }),
      );
      return roles.flat();
    },
  };
}
