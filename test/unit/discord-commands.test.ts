/** The slash commands: `/port` within Discord's limits and its translation into customer text; `/staff`. */
import { describe, expect, it } from 'vitest';
import { buildCommands, buildPortCommand, buildStaffCommand, portCommandInput, reasonOptionsFrom } from '../../src/adapters/discord/commands.js';
import { REJECTION_IDS } from '../../src/content/ids.js';
import { composeTestBot } from '../helpers/compose-test-bot.js';

const { content, understander } = composeTestBot();
const reasons = reasonOptionsFrom(content);

describe('/port command', () => {
  it('has help, start with a picker of every rejection reason, and restart', () => {
    const command = buildPortCommand(reasons);
    expect(command.name).toBe('port');
    const subcommands = command.options as Array<{ name: string; options?: Array<{ name: string; choices?: Array<{ name: string; value: string }> }> }>;
    expect(subcommands.map((s) => s.name)).toEqual(['help', 'start', 'restart']);
    const picker = subcommands[1]!.options![0]!;
    expect(picker.name).toBe('reason');
    expect(picker.choices!.map((c) => c.value)).toEqual([...REJECTION_IDS]);
    expect(picker.choices!.length).toBeLessThanOrEqual(25);
    for (const choice of picker.choices!) {
      expect(choice.name).toBe(content.articles.get(choice.value)!.title);
      expect(choice.name.length).toBeLessThanOrEqual(100);
    }
  });

  it('translates help and restart into what a customer would type', () => {
    expect(portCommandInput('help', null, reasons)).toEqual({ text: 'help' });
    expect(portCommandInput('restart', null, reasons)).toEqual({ text: 'start over' });
    expect(understander.understand('help').intent).toBe('help');
    expect(understander.understand('start over').intent).toBe('restart');
    expect(portCommandInput('dance', null, reasons)).toBeUndefined();
  });

  it.each([...REJECTION_IDS])('turns "start %s" into a structured start of that reason, with nothing to read', (id) => {
    expect(portCommandInput('start', id, reasons)).toEqual({ start: id });
  });

  it('translates "start" without a reason into a greeting', () => {
    expect(portCommandInput('start', null, reasons)).toEqual({ text: 'hi' });
    expect(understander.understand('hi').intent).toBe('greeting');
  });
});

describe('/staff command', () => {
  it('has one required text option carrying the staff command, in servers and DMs with the bot', () => {
    const command = buildStaffCommand();
    expect(command.name).toBe('staff');
    expect(command.options).toEqual([expect.objectContaining({ type: 3, name: 'command', required: true })]);
    expect(command.contexts).toEqual([0, 1]);
    // Visible to everyone: who is staff is decided by the core on every use, not by Discord permissions.
    expect(command.default_member_permissions ?? null).toBeNull();
    for (const text of [command.description, ...(command.options ?? []).map((o) => o.description)]) expect(text.length).toBeLessThanOrEqual(100);
  });

  it('is registered together with /port', () => {
    expect(buildCommands(reasons).map((c) => c.name)).toEqual(['port', 'staff']);
  });
});
