/** The Slack app manifest stays in step with what the adapter listens to and needs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/compose.js';

const manifest = parse(readFileSync(join(PROJECT_ROOT, 'deploy/slack-app-manifest.yaml'), 'utf8'));
const adapterSource = readFileSync(join(PROJECT_ROOT, 'src/adapters/slack/slack-adapter.ts'), 'utf8');
const staffSource = readFileSync(join(PROJECT_ROOT, 'src/adapters/slack/render-staff.ts'), 'utf8');

describe('deploy/slack-app-manifest.yaml', () => {
  it('subscribes to exactly the events the adapter handles', () => {
    const handled = [...adapterSource.matchAll(/app\.event\('([a-z_]+)'/g)].map((m) => m[1]);
    // message.im (direct messages) and message.channels/.groups (thread replies) arrive as `message` events.
    const subscribed = new Set(manifest.settings.event_subscriptions.bot_events.map((e: string) => (e.startsWith('message.') ? 'message' : e)));
    expect([...subscribed].sort()).toEqual([...handled].sort());
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['message.im', 'message.channels', 'message.groups']));
  });

  it('sends events, interactivity, /portpilot and /portpilot-staff to /slack/events', () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    ];
    expect(urls).toHaveLength(4);
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/portpilot', '/portpilot-staff']);
    expect(adapterSource).toContain("const COMMAND = '/portpilot'");
    expect(staffSource).toContain("const STAFF_COMMAND = '/portpilot-staff'");
  });

  it('asks for the scopes those features need and no more', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'app_mentions:read',
      'channels:history',
      'chat:write',
      'commands',
      'groups:history',
      'im:history',
      'im:write', // conversations.open: a DM to the staff member who claimed a case
      'usergroups:read', // usergroups.users.list: staff user groups
    ]);
  });

  it('turns on the Home tab and the Messages tab', () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });
});
