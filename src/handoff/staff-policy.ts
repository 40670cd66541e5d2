/** Who is staff, per channel, from configuration. Checked on every staff command, never cached. */
import type { Actor } from '../core/types.js';

export interface StaffPolicyConfig {
  slackUserIds: string[];
  slackUsergroupIds: string[];
  discordRoleIds: string[];
  discordUserIds: string[];
  /** The terminal chat is a local operator's tool: its staff lines are trusted when this is on. */
  terminal: boolean;
}

export interface StaffPolicy {
  isStaff(actor: Actor, channel: string): boolean;
}

export function createStaffPolicy(config: StaffPolicyConfig): StaffPolicy {
  return {
    isStaff(actor, channel) {
      const roles = actor.roles ?? [];
      switch (channel) {
        case 'slack':
          return config.slackUserIds.includes(actor.id) || roles.some((r) => config.slackUsergroupIds.includes(r));
        case 'discord':
          return config.discordUserIds.includes(actor.id) || roles.some((r) => config.discordRoleIds.includes(r));
        case 'terminal':
          return config.terminal;
        default:
          return false;
      }
    },
  };
}
