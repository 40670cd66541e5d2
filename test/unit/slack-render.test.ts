/** Block Kit rendering of the bot's replies: escaping, buttons or a select, steps, summary, after a click. */
import { describe, expect, it } from 'vitest';
import { decodeChoiceValue } from '../../src/adapters/slack/choice-value.js';
import { escapeMrkdwn, isChoiceActionId, MAX_BUTTONS, renderChoiceMade, renderOptionsClosed, renderReply, splitMrkdwn } from '../../src/adapters/slack/render-reply.js';
import type { Choice } from '../../src/core/types.js';

const choices = (n: number): Choice[] => Array.from({ length: n }, (_, i) => ({ id: `7.reason.r${i}`, label: `Reason ${i}` }));
const blockTexts = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text);

describe('renderReply', () => {
  it('GIVEN text with &, < and > THEN they are escaped in blocks and fallback', () => {
    const message = renderReply({ kind: 'text', text: 'A & B <http://evil|click> >' });
    expect(message.text).toBe('A &amp; B &lt;http://evil|click&gt; &gt;');
    expect(blockTexts(message.blocks)).toEqual(['A &amp; B &lt;http://evil|click&gt; &gt;']);
  });

  it('GIVEN broadcast and group mentions THEN none survives as Slack markup', () => {
    const message = renderReply({ kind: 'text', text: '<!channel> <!here|here> <!everyone> <!subteam^S123|@ops> @here' });
    const json = JSON.stringify(message);
    for (const broadcast of ['<!channel', '<!here', '<!everyone', '<!subteam']) expect(json).not.toContain(broadcast);
  });

  it(`GIVEN up to ${MAX_BUTTONS} choices THEN each is a button carrying the choice id through the codec`, () => {
    const message = renderReply({ kind: 'choices', text: 'Which one?', choices: choices(MAX_BUTTONS) });
    const actions = message.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements).toHaveLength(MAX_BUTTONS);
    expect(actions.elements.map((b: any) => b.type)).toEqual(Array(MAX_BUTTONS).fill('button'));
    expect(actions.elements.map((b: any) => decodeChoiceValue(b.value))).toEqual(choices(MAX_BUTTONS).map((c) => c.id));
    expect(new Set(actions.elements.map((b: any) => b.action_id)).size).toBe(MAX_BUTTONS);
    expect(actions.elements.every((b: any) => isChoiceActionId(b.action_id))).toBe(true);
  });

  it(`GIVEN more than ${MAX_BUTTONS} choices THEN they become one static select`, () => {
    const message = renderReply({ kind: 'choices', text: 'Which one?', choices: choices(9) });
    const actions = message.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements).toHaveLength(1);
    expect(actions.elements[0].type).toBe('static_select');
    expect(actions.elements[0].options.map((o: any) => [o.text.text, decodeChoiceValue(o.value)])).toEqual(choices(9).map((c) => [c.label, c.id]));
  });

  it('GIVEN a label longer than Slack allows THEN it is shortened to 75 characters', () => {
    const message = renderReply({ kind: 'choices', text: 'Pick', choices: [{ id: '1.menu', label: 'x'.repeat(120) }] });
    const button = (message.blocks.find((b) => b.type === 'actions') as any).elements[0];
    expect(button.text.text).toHaveLength(75);
    expect(button.text.text.endsWith('…')).toBe(true);
  });

  it('GIVEN a choice id over 64 characters THEN rendering refuses it (a bug in the core, caught by the turn boundary)', () => {
    expect(() => renderReply({ kind: 'choices', text: 'Pick', choices: [{ id: 'x'.repeat(65), label: 'X' }] })).toThrow(/too long/);
  });

  it('GIVEN steps THEN they are one numbered section under a bold title', () => {
    const message = renderReply({ kind: 'steps', title: 'What to do', steps: ['Call <them>', 'Resubmit'] });
    expect(blockTexts(message.blocks)).toEqual(['*What to do*\n1. Call &lt;them&gt;\n2. Resubmit']);
    expect(message.text).toContain('1. Call &lt;them&gt;');
  });

  it('GIVEN a summary THEN it has a readable part and a copyable plain-text code block', () => {
    const message = renderReply({
      kind: 'summary',
      title: 'Your fix',
      sections: [{ heading: 'Order', items: ['Number 555-0100', 'PIN: in the PIN field'] }],
    });
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Your fix' } });
    const texts = blockTexts(message.blocks);
    expect(texts).toContain('*Order*\n• Number 555-0100\n• PIN: in the PIN field');
    expect(texts.at(-1)).toBe('```Your fix\n\nOrder:\n- Number 555-0100\n- PIN: in the PIN field```');
  });

  it('GIVEN a very long text THEN it is split into sections within the 3,000-character limit', () => {
    const long = Array.from({ length: 400 }, (_, i) => `Line ${i} & more words here`).join('\n');
    const sections = blockTexts(renderReply({ kind: 'text', text: long }).blocks);
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.every((t) => t.length <= 3000)).toBe(true);
    expect(sections.join('\n')).toBe(escapeMrkdwn(long));
  });
});

describe('splitMrkdwn', () => {
  it('never cuts an entity in half', () => {
    const chunks = splitMrkdwn('&amp;'.repeat(1000), 3000);
    expect(chunks.every((c) => /^(&amp;)+$/.test(c))).toBe(true);
    expect(chunks.join('')).toBe('&amp;'.repeat(1000));
  });
});

describe('the clicked message', () => {
  const original = renderReply({ kind: 'choices', text: 'Which one?', choices: choices(2) }).blocks;

  it('GIVEN an accepted press THEN the question stays, the buttons go, and "You chose" shows the label escaped', () => {
    const updated = renderChoiceMade(original, 'Fees & <charges>');
    expect(updated.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(blockTexts(updated.blocks)).toEqual(['Which one?']);
    expect(updated.text).toBe('You chose: Fees &amp; &lt;charges&gt;');
    expect(JSON.stringify(updated.blocks.at(-1))).toContain('You chose: *Fees &amp; &lt;charges&gt;*');
  });

  it('GIVEN a refused press THEN the buttons go with a note that they are no longer active', () => {
    const updated = renderOptionsClosed(original);
    expect(updated.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(updated.text).toMatch(/no longer active/);
  });

  it('GIVEN no original blocks (an ephemeral message) THEN only the note remains', () => {
    expect(renderChoiceMade(undefined, 'A').blocks).toHaveLength(1);
  });
});
