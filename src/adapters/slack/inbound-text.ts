/**
 * Translates what a customer typed on Slack into the plain text the bot reads: Slack's markup
 * (`<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`, HTML entities) becomes ordinary words, and the
 * `/portpilot` sub-commands become the phrases the bot already understands.
 */

/** Plain text from a Slack message's `text`; mentions of `botUserId` (the "@portpilot" itself) are dropped. */
export function plainTextFromSlack(text: string, botUserId?: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => (id === botUserId ? '' : `@${name ?? 'someone'}`))
    .replace(/<#[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name?: string) => `#${name || 'channel'}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|@?([^>]*))?>/g, (_m, name?: string) => `@${name ?? 'group'}`)
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<![^>]*>/g, '')
    .replace(/<(?:mailto:)?([^|>]+)\|([^>]*)>/g, (_m, target: string, label: string) => label || target)
    .replace(/<(?:mailto:)?([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * The bot's input for `/portpilot <text>`: `help` (or nothing) asks for help, `restart` starts over,
 * `start <reason id or words>` describes the rejection; anything else is read as the customer's words.
 */
export function commandText(text: string): string {
  const [word = '', ...rest] = plainTextFromSlack(text).split(/\s+/);
  const reason = rest.join(' ').replace(/_/g, ' ').trim();
  switch (word.toLowerCase()) {
    case '':
    case 'help':
      return 'help';
    case 'restart':
      return 'start over';
    case 'start':
      return reason === '' ? 'help' : reason;
    default:
      return plainTextFromSlack(text);
  }
}
