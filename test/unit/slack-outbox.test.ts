/** The Slack outbox sink: where staff replies and staff notices go, with a recording stand-in for the Web API client. */
import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createSlackOutbox } from '../../src/adapters/slack/slack-outbox.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import type { Logger, StaffNotice } from '../../src/core/ports.js';

function setUp(staffChannel?: string) {
  const calls: Array<{ method: string; params: Record<string, any> }> = [];
  const logs: string[] = [];
  const record = (method: string, answer: object) => async (params: Record<string, any>) => {
    calls.push({ method, params });
    return { ok: true, ...answer };
  };
  const client = {
    chat: { postMessage: record('chat.postMessage', { ts: '1.1', channel: 'C0STAFF' }), update: record('chat.update', { ts: '1.1' }) },
    conversations: { open: record('conversations.open', { channel: { id: 'D0DMSTAFF' } }) },
  } as unknown as webApi.WebClient;
  const logger: Logger = { debug: (_o, msg) => void logs.push(msg ?? ''), info() {}, warn: (_o, msg) => void logs.push(msg ?? ''), error() {} };
  const store = openStore({ url: 'memory://', logger });
  const sink = createSlackOutbox({ client, botToken: 'xoxb-test', logger, store, staffChannel });
  return { sink, calls, logs };
}

const opened: StaffNotice = { kind: 'case_opened', caseId: 'C-1A2B3C', text: 'New case C-1A2B3C from web: asked for a person.' };

describe('createSlackOutbox', () => {
  it('GIVEN a thread key THEN the replies are posted in that thread, with the bot token, unfurling off', async () => {
    const { sink, calls } = setUp();
    await sink.toConversation('slack:T0TEAM:C0SUPPORT:1790000001.000100', [
      { kind: 'text', text: 'one' },
      { kind: 'text', text: 'two' },
    ]);
    expect(calls.map((c) => [c.params.channel, c.params.thread_ts, c.params.text, c.params.token, c.params.unfurl_links])).toEqual([
      ['C0SUPPORT', '1790000001.000100', 'one', 'xoxb-test', false],
      ['C0SUPPORT', '1790000001.000100', 'two', 'xoxb-test', false],
    ]);
  });

  it('GIVEN a DM key THEN the replies are posted in the DM, not in a thread', async () => {
    const { sink, calls } = setUp();
    await sink.toConversation('slack:T0TEAM:D0CUSTOMER', [{ kind: 'text', text: 'hello' }]);
    expect(calls[0]!.params).toMatchObject({ channel: 'D0CUSTOMER', text: 'hello' });
    expect(calls[0]!.params.thread_ts).toBeUndefined();
  });

  it('GIVEN a key that is not a Slack customer conversation THEN nothing is posted and the caller hears of it', async () => {
    const { sink, calls } = setUp();
    await expect(sink.toConversation('slack:T0TEAM:staff:U0STAFF', [{ kind: 'text', text: 'x' }])).rejects.toThrow(/not a Slack customer conversation/);
    expect(calls).toEqual([]);
  });

  it('GIVEN no staff channel THEN a new case is not posted on Slack', async () => {
    const { sink, calls, logs } = setUp();
    await sink.toStaff(opened);
    expect(calls).toEqual([]);
    expect(logs).toContain('no Slack staff channel configured; notice not posted on Slack');
  });

  it('GIVEN a staff channel THEN a new case has a Claim button there and other notices are plain text', async () => {
    const { sink, calls } = setUp('C0STAFF');
    await sink.toStaff(opened);
    await sink.toStaff({ kind: 'case_unclaimed', caseId: 'C-1A2B3C', text: 'Case C-1A2B3C has waited more than 15 minutes for a claim.' });
    expect(calls.map((c) => c.params.channel)).toEqual(['C0STAFF', 'C0STAFF']);
    expect(calls[0]!.params.blocks.some((b: any) => b.type === 'actions')).toBe(true);
    expect(calls[1]!.params.blocks.some((b: any) => b.type === 'actions')).toBe(false);
  });

  it('GIVEN a notice for one Slack staff member THEN it goes to their DM (never the staff channel) with how to answer', async () => {
    const { sink, calls } = setUp('C0STAFF');
    await sink.toStaff({ kind: 'customer_message', caseId: 'C-1A2B3C', text: 'C-1A2B3C, customer: @everyone hi', to: { channel: 'slack', staffId: 'U0STAFF' } });
    expect(calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage']);
    expect(calls[0]!.params.users).toBe('U0STAFF');
    expect(calls[1]!.params.channel).toBe('D0DMSTAFF');
    expect(JSON.stringify(calls[1]!.params)).not.toContain('@everyone');
    expect(JSON.stringify(calls[1]!.params.blocks)).toContain('/portpilot-staff reply C-1A2B3C &lt;text&gt;');
  });

  it('GIVEN a notice for someone on another channel, or not a Slack user id THEN Slack sends nothing', async () => {
    const { sink, calls } = setUp('C0STAFF');
    await sink.toStaff({ kind: 'customer_message', caseId: 'C-1A2B3C', text: 'x', to: { channel: 'discord', staffId: '123456789012345678' } });
    await sink.toStaff({ kind: 'customer_message', caseId: 'C-1A2B3C', text: 'x', to: { channel: 'slack', staffId: 'dana' } });
    expect(calls).toEqual([]);
  });

  it('GIVEN a case claimed by command THEN its notice in the staff channel loses the Claim button and names the claimer', async () => {
    const { sink, calls } = setUp('C0STAFF');
    await sink.toStaff(opened);
    await sink.toStaff({ kind: 'case_claimed', caseId: 'C-1A2B3C', text: 'C-1A2B3C was claimed by slack:U0DANA.', by: { channel: 'slack', staffId: 'U0DANA', name: 'dana' } });
    const update = calls.find((c) => c.method === 'chat.update');
    expect(update?.params).toMatchObject({ channel: 'C0STAFF', ts: '1.1', token: 'xoxb-test' });
    const blocks = JSON.stringify(update?.params.blocks);
    expect(blocks).not.toContain('"type":"actions"');
    expect(blocks).toContain('<@U0DANA>');
  });

  it('GIVEN a claim by someone from another channel THEN the notice names them without a Slack mention', async () => {
    const { sink, calls } = setUp('C0STAFF');
    await sink.toStaff(opened);
    await sink.toStaff({ kind: 'case_claimed', caseId: 'C-1A2B3C', text: 'claimed', by: { channel: 'discord', staffId: '900000000000002000', name: 'dana' } });
    const blocks = JSON.stringify(calls.find((c) => c.method === 'chat.update')?.params.blocks);
    expect(blocks).toContain('dana');
    expect(blocks).not.toContain('<@');
  });

  it('GIVEN a claim on a case whose notice is not known (posted before, or expired) THEN nothing is updated and nothing fails', async () => {
    const { sink, calls } = setUp('C0STAFF');
    await sink.toStaff({ kind: 'case_claimed', caseId: 'C-UNKNOWN', text: 'claimed', by: { channel: 'slack', staffId: 'U0DANA' } });
    expect(calls.filter((c) => c.method === 'chat.update')).toEqual([]);
  });
});
