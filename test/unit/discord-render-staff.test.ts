/** What staff see on Discord: case notices with a Claim button, the claimed notice, other notices, `/staff` answers. */
import { describe, expect, it } from 'vitest';
import { decodeClaimId } from '../../src/adapters/discord/custom-id.js';
import { DISCORD_LIMITS, NO_PINGS } from '../../src/adapters/discord/render.js';
import { MAX_ANSWER_MESSAGES, renderCaseClaimed, renderCaseNotice, renderStaffAnswer, renderStaffNotice, staffText } from '../../src/adapters/discord/render-staff.js';
import type { StaffNotice } from '../../src/core/ports.js';

const STAFF_ID = '900000000000002000';
const opened: StaffNotice = { kind: 'case_opened', caseId: 'C-1A2B3C', text: 'New case C-1A2B3C from discord: the customer asked for a person. Reasons: none yet.' };

describe('Discord staff rendering', () => {
  it('renders a new case with its text, a Claim button carrying the case id, and the typed alternative', () => {
    const message = renderCaseNotice(opened);
    expect(message.content).toBe(`${opened.text}\nClick Claim, or type \`/staff claim C-1A2B3C\`.`);
    const button = message.components![0]!.components[0] as { custom_id: string; label: string };
    expect(button.label).toBe('Claim');
    expect(decodeClaimId(button.custom_id)).toBe('C-1A2B3C');
    expect(message.allowedMentions).toEqual(NO_PINGS);
  });

  it('replaces the Claim button and hint with who claimed it, keeping the case text', () => {
    const claimed = renderCaseClaimed(renderCaseNotice(opened).content!, 'C-1A2B3C', STAFF_ID);
    expect(claimed.content).toBe(`${opened.text}\nClaimed by <@${STAFF_ID}>.`);
    expect(claimed.components).toEqual([]);
    expect(claimed.allowedMentions).toEqual(NO_PINGS);
  });

  it("neutralises mentions in the customer's words and shows Discord staff ids as the person", () => {
    expect(staffText(`C-1, customer: @everyone <@&123456789012345678> hi`)).not.toMatch(/@everyone|<@&/);
    expect(staffText(`C-1 was claimed by discord:${STAFF_ID}.`)).toBe(`C-1 was claimed by <@${STAFF_ID}>.`);
    // Only staff ids: a conversation key in a case file stays as it is.
    expect(staffText('on discord (discord:thread:900000000000000777)')).toBe('on discord (discord:thread:900000000000000777)');
    expect(staffText('slack:U012ABC')).toBe('slack:U012ABC');
  });

  it("adds the reply command to the customer's words on a claimed case, and a lead line when asked", () => {
    const notice: StaffNotice = { kind: 'customer_message', caseId: 'C-1A2B3C', text: 'C-1A2B3C, customer: hello?', to: { channel: 'discord', staffId: STAFF_ID } };
    expect(renderStaffNotice(notice).content).toBe('C-1A2B3C, customer: hello?\nAnswer with `/staff reply C-1A2B3C <text>`.');
    expect(renderStaffNotice(notice, 'For you:').content).toMatch(/^For you:\nC-1A2B3C, customer: hello\?/);
    expect(renderStaffNotice({ kind: 'case_closed', caseId: 'C-1A2B3C', text: 'C-1A2B3C was closed.' }).content).toBe('C-1A2B3C was closed.');
  });

  it("keeps every notice within Discord's content limit", () => {
    const long = 'x'.repeat(5000);
    for (const message of [
      renderCaseNotice({ ...opened, text: long }),
      renderStaffNotice({ kind: 'customer_message', caseId: 'C-1A2B3C', text: long }, 'For <@1>:'),
      renderCaseClaimed(long, 'C-1A2B3C', STAFF_ID),
    ]) {
      expect(message.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.contentChars);
    }
  });

  it('answers a command with text as content and lists as embeds split at line boundaries, within a few messages', () => {
    expect(renderStaffAnswer([{ kind: 'text', text: 'Note added to C-1A2B3C.' }])).toEqual([{ content: 'Note added to C-1A2B3C.', allowedMentions: NO_PINGS }]);

    const steps = Array.from({ length: 40 }, (_, i) => `line ${i} ${'y'.repeat(400)}`);
    const answer = renderStaffAnswer([{ kind: 'steps', title: 'Case C-1A2B3C', steps }]);
    expect(answer.length).toBeGreaterThan(1);
    expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_MESSAGES);
    expect(answer[0]!.embeds![0]!.title).toBe('Case C-1A2B3C');
    expect(answer[1]!.embeds![0]!.title).toBe('Case C-1A2B3C (continued)');
    for (const message of answer) {
      const description = message.embeds![0]!.description!;
      expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescriptionChars);
      expect(description.split('\n').every((line) => /^\*\*\d+\.\*\* line \d+/.test(line))).toBe(true);
    }
    expect(answer[0]!.embeds![0]!.description).toMatch(/^\*\*1\.\*\* line 0/);
  });
});
