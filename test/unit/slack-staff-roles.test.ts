/** Staff roles from Slack user groups: who is in which configured group, cached for at most a minute. */
import { describe, expect, it } from 'vitest';
import { createStaffRoles, MAX_MEMBERS_TTL_MS } from '../../src/adapters/slack/staff-roles.js';
import type { Logger } from '../../src/core/ports.js';

function setUp(members: Record<string, string[] | Error>, options: { ttlMs?: number } = {}) {
  let nowMs = 0;
  const reads: string[] = [];
  const warnings: object[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (obj) => void warnings.push(obj), error() {} };
  const roles = createStaffRoles({
    usergroupIds: Object.keys(members),
    listMembers: async (group) => {
      reads.push(group);
      const answer = members[group]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    logger,
    nowMs: () => nowMs,
    ...options,
  });
  return {
    roles,
    reads,
    warnings,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('createStaffRoles', () => {
  it('GIVEN two staff groups THEN a user gets the ids of the groups they are in, and no others', async () => {
    const { roles } = setUp({ S0ONE: ['U1', 'U2'], S0TWO: ['U2'] });
    expect(await roles.rolesOf('U1')).toEqual(['S0ONE']);
    expect(await roles.rolesOf('U2')).toEqual(['S0ONE', 'S0TWO']);
    expect(await roles.rolesOf('U3')).toEqual([]);
  });

  it('GIVEN no staff groups configured THEN Slack is never asked', async () => {
    const { roles, reads } = setUp({});
    expect(await roles.rolesOf('U1')).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('GIVEN commands within a minute THEN each group is read once; after a minute it is read again', async () => {
    const members = { S0ONE: ['U1'] };
    const { roles, reads, advance } = setUp(members);
    await Promise.all([roles.rolesOf('U1'), roles.rolesOf('U2')]);
    advance(MAX_MEMBERS_TTL_MS - 1);
    await roles.rolesOf('U1');
    expect(reads).toEqual(['S0ONE']);

    // Removed from the group: staff rights go once the cached list expires.
    members.S0ONE = [];
    advance(1);
    expect(await roles.rolesOf('U1')).toEqual([]);
    expect(reads).toEqual(['S0ONE', 'S0ONE']);
  });

  it('GIVEN a longer cache time asked for THEN it is capped at 60 seconds', async () => {
    const { roles, reads, advance } = setUp({ S0ONE: ['U1'] }, { ttlMs: 10 * 60_000 });
    await roles.rolesOf('U1');
    advance(60_000);
    await roles.rolesOf('U1');
    expect(reads).toHaveLength(2);
  });

  it('GIVEN a group Slack cannot list THEN it grants nothing, is logged, and is asked again next time', async () => {
    const { roles, reads, warnings } = setUp({ S0BAD: new Error('missing_scope'), S0GOOD: ['U1'] });
    expect(await roles.rolesOf('U1')).toEqual(['S0GOOD']);
    expect(warnings).toEqual([expect.objectContaining({ usergroup: 'S0BAD' })]);
    await roles.rolesOf('U1');
    expect(reads.filter((g) => g === 'S0BAD')).toHaveLength(2);
    expect(reads.filter((g) => g === 'S0GOOD')).toHaveLength(1);
  });
});
