/** What customers type on Slack, translated into the plain text the bot reads. */
import { describe, expect, it } from 'vitest';
import { commandText, plainTextFromSlack } from '../../src/adapters/slack/inbound-text.js';

describe('plainTextFromSlack', () => {
  it.each([
    ['the bot mention is dropped', '<@U0BOT> my port was rejected', 'my port was rejected'],
    ['other people stay as @name', 'ask <@U123|dana> about it', 'ask @dana about it'],
    ['channels become #name', 'see <#C123|support>', 'see #support'],
    ['broadcasts become plain words', '<!channel> <!here> help', '@channel @here help'],
    ['user groups become plain words', '<!subteam^S1|@ops> look', '@ops look'],
    ['links keep their label', 'at <https://example.com/x|the portal>', 'at the portal'],
    ['bare links keep the address', 'at <https://example.com/x>', 'at https://example.com/x'],
    ['e-mail links keep the address', 'mail <mailto:a@b.com|a@b.com>', 'mail a@b.com'],
    ['entities are decoded', 'A &amp; B &lt;3 &gt;', 'A & B <3 >'],
  ])('%s', (_name, slackText, plain) => {
    expect(plainTextFromSlack(slackText, 'U0BOT')).toBe(plain);
  });
});

describe('commandText', () => {
  it.each([
    ['', 'help'],
    ['help', 'help'],
    ['HELP', 'help'],
    ['restart', 'start over'],
    ['start google_voice_unlock', 'google voice unlock'],
    ['start my number is frozen', 'my number is frozen'],
    ['start', 'help'],
    ['my port was rejected for a freeze', 'my port was rejected for a freeze'],
  ])('/portpilot %j reads as %j', (text, expected) => {
    expect(commandText(text)).toBe(expected);
  });
});
