/**
 * Secret redaction and mention neutralisation. Every transcript, log line and escalation passes
 * through `redactSecrets`; every outgoing text passes through `neutralizeMentions`.
 */

export const REDACTED = '[redacted]';

// A PIN-ish keyword, then up to a few filler words, then a 4-10 character code holding at least one digit.
const SECRET_KEYWORD =
  String.raw`(?:(?:number\s+)?transfer\s+pin|port[\s-]*out\s+pin|pin(?:\s*(?:code|number|#))?|pass\s*code|passcode|password|passwd|security\s+code|account\s+code|ssn|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)`;
const FILLER = String.raw`(?:\s*(?:is|was|=|:|,|#|-|of|my|the|it|it's|its|should\s+be|be|digits?|last\s*(?:4|four)|number|no\.?)\s*){0,4}`;
const CODE = String.raw`(?=[A-Za-z0-9-]{4,12}\b)(?=[A-Za-z-]*\d)[A-Za-z0-9-]{4,12}`;
const KEYWORD_THEN_CODE = new RegExp(String.raw`\b(${SECRET_KEYWORD}${FILLER}\s*)(${CODE})`, 'gi');
const FULL_SSN = /\b\d{3}-\d{2}-\d{4}\b/g;
// Tokens for the services we integrate with, and generic bearer secrets.
const TOKENS =
  /\b(?:xox[abposr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|sk-[A-Za-z0-9_-]{16,}|[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})\b/g;

export interface SecretFinding {
  kind: 'pin' | 'ssn' | 'token';
}

/** Finds PIN-, SSN- and token-like secrets in text (the kinds only; values are never returned). */
export function findSecrets(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const match of text.matchAll(KEYWORD_THEN_CODE)) {
    const keyword = (match[1] ?? '').toLowerCase();
    found.push({ kind: /ssn|social/.test(keyword) ? 'ssn' : 'pin' });
  }
  for (const _ of text.matchAll(FULL_SSN)) found.push({ kind: 'ssn' });
  for (const _ of text.matchAll(TOKENS)) found.push({ kind: 'token' });
  return found;
}

export function containsSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}

/** Replaces PIN-, SSN- and token-like values with `[redacted]`, keeping the words around them. */
export function redactSecrets(text: string): string {
  return text
    .replace(KEYWORD_THEN_CODE, (_m, lead: string) => `${lead}${REDACTED}`)
    .replace(FULL_SSN, REDACTED)
    .replace(TOKENS, REDACTED);
}

/**
 * Makes broadcast and group mentions inert in any text the bot sends, whatever the channel:
 * `@everyone`, `@here`, Slack's `<!channel>`/`<!here>`/`<!everyone>`/`<!subteam^…>` and Discord's
 * role mentions `<@&…>`. A zero-width joiner keeps the word readable without pinging anyone.
 */
export function neutralizeMentions(text: string): string {
  return text
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/gi, '@\u200d$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/gi, (_m, label: string | undefined) => `@\u200d${(label ?? 'group').replace(/^@/, '')}`)
    .replace(/<@&(\d+)>/g, '@\u200drole')
    .replace(/@(everyone|here|channel)\b/gi, '@\u200d$1');
}

/**
 * An error described for logs: name, code and status, with the message and the stack redacted (a stack
 * starts with the message, so it carries the same secrets); never a request body or payload.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: redactSecrets(String(error)) };
  const { code, status } = error as { code?: unknown; status?: unknown };
  return { name: error.name, message: redactSecrets(error.message), code, status, stack: redactSecrets(error.stack ?? '') };
}
