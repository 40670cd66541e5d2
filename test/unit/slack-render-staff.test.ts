/** What staff see on Slack: case notices with a Claim button, claimed notices, relayed words, command answers. */
import { describe, expect, it } from 'vitest';
import { decodeClaimValue } from '../../src/adapters/slack/claim-value.js';
import { CLAIM_ACTION_ID, isStaffActionId, renderCaseClaimed, renderCaseNotice, renderStaffAnswer, renderStaffNotice } from '../../src/adapters/slack/render-staff.js';
import { isChoiceActionId } from '../../src/adapters/slack/render-reply.js';

const opened = { kind: 'case_opened' as const, caseId: 'C-1A2B3C', text: 'New case C-1A2B3C from slack: The customer asked to talk to a person. Reasons: none yet.' };

describe('renderCaseNotice', () => {
  it('GIVEN a new case THEN the notice has one Claim button whose value decodes to the case id', () => {
    const message = renderCaseNotice(opened);
    const actions = message.blocks.filter((b) => b.type === 'actions') as any[];
    expect(actions).toHaveLength(1);
    expect(actions[0].elements).toHaveLength(1);
    expect(actions[0].elements[0].action_id).toBe(CLAIM_ACTION_ID);
    expect(decodeClaimValue(actions[0].elements[0].value)).toBe('C-1A2B3C');
    expect(message.text).toContain('New case C-1A2B3C');
  });

  it('GIVEN the Claim action id THEN it is a staff control, never mistaken for a customer choice', () => {
    expect(isStaffActionId(CLAIM_ACTION_ID)).toBe(true);
    expect(isChoiceActionId(CLAIM_ACTION_ID)).toBe(false);
    expect(isStaffActionId('portpilot_choice_0')).toBe(false);
  });
});

describe('renderCaseClaimed', () => {
  it('GIVEN a claimed case THEN the button and the typed hint go, the text stays, and the claimer is named', () => {
    const notice = renderCaseNotice(opened);
    const claimed = renderCaseClaimed(notice.blocks, 'C-1A2B3C', { id: 'U0STAFF', name: 'dana' });
    const json = JSON.stringify(claimed.blocks);
    expect(claimed.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(json).not.toContain('/portpilot-staff claim');
    expect(json).toContain('New case C-1A2B3C');
    expect(json).toContain('Claimed by <@U0STAFF>');
  });

  it('GIVEN a claimer id that is not a Slack user id THEN their name is shown escaped, never as markup', () => {
    const claimed = renderCaseClaimed(undefined, 'C-1A2B3C', { id: 'not-an-id', name: '<!here> dana' });
    expect(JSON.stringify(claimed)).not.toContain('<!here');
  });
});

describe('renderStaffNotice and renderStaffAnswer', () => {
  it("GIVEN the customer's words with markup and broadcast mentions THEN staff see them inert", () => {
    const message = renderStaffNotice({ kind: 'customer_message', caseId: 'C-1A2B3C', text: 'C-1A2B3C, customer: <!channel> @here <https://evil|click>' });
    const json = JSON.stringify(message);
    for (const markup of ['<!channel', '@here', '<https://evil']) expect(json).not.toContain(markup);
  });

  it('GIVEN several replies THEN they become one message', () => {
    const message = renderStaffAnswer([
      { kind: 'text', text: 'first' },
      { kind: 'steps', title: 'Open cases', steps: ['C-1', 'C-2'] },
    ]);
    expect(message.text).toBe('first');
    expect(message.blocks).toHaveLength(2);
  });
});
