/** Rendering the bot's replies as Discord messages: kinds, Discord's limits, no pings, disabled components. */
import { describe, expect, it } from 'vitest';
import { decodeComponentPress } from '../../src/adapters/discord/custom-id.js';
import { DISCORD_LIMITS, disableComponents, renderChoices, renderNote, renderReply, splitContent } from '../../src/adapters/discord/render.js';
import type { Choice, Reply } from '../../src/core/types.js';

const CUSTOMER = '900000000000001000';
const ACTION_ROW = 1;
const BUTTON = 2;
const STRING_SELECT = 3;
const choices = (n: number): Choice[] => Array.from({ length: n }, (_, i) => ({ id: `1.topic.reason_${i}`, label: `Reason ${i}` }));

describe('renderReply', () => {
  it('renders text as content, never allowing a ping', () => {
    expect(renderReply({ kind: 'text', text: 'Hello' }, CUSTOMER)).toEqual([{ content: 'Hello', allowedMentions: { parse: [], repliedUser: false } }]);
  });

  it('splits text longer than 2000 characters at line breaks', () => {
    const text = Array.from({ length: 60 }, (_, i) => `line ${i} `.padEnd(60, '.')).join('\n');
    const parts = renderReply({ kind: 'text', text }, CUSTOMER);
    expect(parts.length).toBe(2);
    for (const part of parts) expect(part.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.contentChars);
    expect(parts.map((p) => p.content).join('\n')).toBe(text);
  });

  it('renders up to five choices as one row of buttons carrying the customer and the choice', () => {
    const [message] = renderReply({ kind: 'choices', text: 'Which one?', choices: choices(5) }, CUSTOMER);
    expect(message!.content).toBe('Which one?');
    expect(message!.components).toHaveLength(1);
    const row = message!.components![0]!;
    expect(row.type).toBe(ACTION_ROW);
    expect(row.components).toHaveLength(5);
    row.components.forEach((button, i) => {
      expect(button.type).toBe(BUTTON);
      expect(decodeComponentPress((button as { custom_id: string }).custom_id)).toEqual({ customer: CUSTOMER, choice: `1.topic.reason_${i}` });
    });
  });

  it('renders more than five choices as one select menu of at most 25 options', () => {
    for (const n of [6, 9, 30]) {
      const [row] = renderChoices(choices(n), CUSTOMER);
      expect(row!.components).toHaveLength(1);
      const menu = row!.components[0] as { type: number; options: Array<{ value: string }>; custom_id: string };
      expect(menu.type).toBe(STRING_SELECT);
      expect(menu.options).toHaveLength(Math.min(n, DISCORD_LIMITS.selectOptions));
      expect(decodeComponentPress(menu.custom_id, [menu.options[0]!.value])).toEqual({ customer: CUSTOMER, choice: '1.topic.reason_0' });
    }
  });

  it('cuts labels to Discord limits and drops duplicate choice ids', () => {
    const long = 'x'.repeat(150);
    const [buttons] = renderChoices(
      [
        { id: 'a', label: long },
        { id: 'a', label: 'again' },
      ],
      CUSTOMER,
    );
    expect(buttons!.components).toHaveLength(1);
    expect((buttons!.components[0] as { label: string }).label.length).toBe(DISCORD_LIMITS.buttonLabelChars);
    const [menu] = renderChoices(
      choices(6).map((c) => ({ ...c, label: long })),
      CUSTOMER,
    );
    expect((menu!.components[0] as { options: Array<{ label: string }> }).options[0]!.label.length).toBe(DISCORD_LIMITS.optionLabelChars);
  });

  it('renders steps as a numbered embed and a summary as an embed with a field per section', () => {
    const steps: Reply = { kind: 'steps', title: 'What to do', steps: ['Call the carrier', 'Resubmit'] };
    const [stepsMessage] = renderReply(steps, CUSTOMER);
    expect(stepsMessage!.embeds![0]).toMatchObject({ title: 'What to do', description: '**1.** Call the carrier\n**2.** Resubmit' });
    const summary: Reply = { kind: 'summary', title: 'Your checklist', sections: [{ heading: 'Change', items: ['The name', 'The address'] }] };
    const [summaryMessage] = renderReply(summary, CUSTOMER);
    expect(summaryMessage!.embeds![0]).toMatchObject({ title: 'Your checklist', fields: [{ name: 'Change', value: '- The name\n- The address' }] });
    expect(summaryMessage!.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it('keeps embeds within Discord limits', () => {
    const [message] = renderReply({ kind: 'summary', title: 't'.repeat(300), sections: Array.from({ length: 30 }, () => ({ heading: 'h', items: ['i'.repeat(2000)] })) }, CUSTOMER);
    const embed = message!.embeds![0]!;
    expect(embed.title!.length).toBe(DISCORD_LIMITS.embedTitleChars);
    expect(embed.fields).toHaveLength(DISCORD_LIMITS.embedFields);
    expect(embed.fields![0]!.value.length).toBe(DISCORD_LIMITS.fieldValueChars);
  });
});

describe('disableComponents', () => {
  it('disables every button and highlights the pressed one', () => {
    const rows = renderChoices(choices(3), CUSTOMER);
    const pressed = (rows[0]!.components[1] as { custom_id: string }).custom_id;
    const [row] = disableComponents(rows, { customId: pressed });
    const buttons = row!.components as Array<{ disabled: boolean; style: number }>;
    expect(buttons.every((b) => b.disabled)).toBe(true);
    expect(buttons.map((b) => b.style)).toEqual([2, 3, 2]); // secondary, success, secondary
  });

  it('disables a select menu and marks the picked option', () => {
    const rows = renderChoices(choices(7), CUSTOMER);
    const menu = rows[0]!.components[0] as { custom_id: string };
    const [row] = disableComponents(rows, { customId: menu.custom_id, value: '1.topic.reason_4' });
    const disabled = row!.components[0] as { disabled: boolean; options: Array<{ value: string; default: boolean }> };
    expect(disabled.disabled).toBe(true);
    expect(disabled.options.filter((o) => o.default).map((o) => o.value)).toEqual(['1.topic.reason_4']);
  });

  it('leaves components that are not action rows alone', () => {
    const other = { type: 10, content: 'text display' };
    expect(disableComponents([other], { customId: 'x' })).toEqual([other]);
  });
});

describe('notes and splitting', () => {
  it('renders a note without pings', () => {
    expect(renderNote('Hi')).toEqual({ content: 'Hi', allowedMentions: { parse: [], repliedUser: false } });
  });

  it('cuts a line with no break at the limit', () => {
    expect(splitContent('a'.repeat(4500)).map((p) => p.length)).toEqual([2000, 2000, 500]);
  });
});
