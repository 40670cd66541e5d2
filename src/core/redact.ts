/**
 * Secret redaction and mention neutralisation. Every transcript, log line and escalation passes
 * through `redactSecrets`; every outgoing text passes through `neutralizeMentions`.
 */

export const REDACTED = '[redacted]';

/*
 * What counts as a secret, in the shapes customers type them:
 * - a PIN, passcode or security code: digits (4-10; spaced "1 9 7 3" or spelled "four eight two one"),
 *   or 4-12 letters and digits with at least one digit; the keyword before ("pin is 6390") or after
 *   ("6390 is my pin"), in English or Spanish;
 * - a password: anything after pw / pwd / passwd / password / contraseña;
 * - SSN digits in any layout, and the last four after an SSN keyword;
 * - well-known token formats (Slack, OpenAI, GitHub, AWS, Google, Discord, JWT), 32+ hex characters,
 *   and long random strings (24+ characters mixing upper case, lower case and digits).
 * Phone numbers, ZIP codes, dates, amounts, order and ticket numbers are not secrets and are kept.
 */
const DIGIT_WORD = String.raw`(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)`;
const SPELLED_DIGITS = String.raw`${DIGIT_WORD}(?:[\s,-]+${DIGIT_WORD}){3,9}\b`;
// Digits in groups ("1 9 7 3", "61 07", "4821"); how many digits a PIN may have is checked after matching.
const GROUPED_DIGITS = String.raw`\d{1,8}(?:[ .-]\d{1,8}){0,7}(?![\d])`;
const PLAIN_CODE = String.raw`(?=[A-Za-z0-9]{4,12}\b)(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{4,12}(?![-.]?\d)`;
const PIN_CODE = String.raw`(?:${SPELLED_DIGITS}|${PLAIN_CODE}|${GROUPED_DIGITS})`;
const PIN_KEYWORD = String.raw`(?:(?:number\s+)?transfer\s+pin|port[\s-]*out\s+pin|account\s+pin|ntp|pi?n(?:\s*(?:code|number|#|no\.?))?|nip|pass\s*code|passcode|sec[a-z]{0,3}r[a-z]?ty\s+code|account\s+code|verification\s+code|c[oó]digo(?:\s+de\s+(?:seguridad|transferencia|acceso|portabilidad))?|clave)`;
// Words between the keyword and the code ("the pin they gave me on the phone was 4417"), but never the
// words that introduce a number the customer needs.
const FILLER_WORD = String.raw`(?!(?:order|orders|ticket|confirmation|case|zip|postal|pon|ext)\b)[a-záéíóúñ']{1,14}`;
const PIN_FILLER = String.raw`(?:[\s:=#?,()-]*${FILLER_WORD}){0,7}?[\s:=#?,()-]*`;
const PIN_BEFORE = new RegExp(String.raw`\b(${PIN_KEYWORD}${PIN_FILLER})(${PIN_CODE})`, 'gi');
const PIN_AFTER = new RegExp(String.raw`\b(${PIN_CODE})(\s+(?:is|was|as|for|es)\s+(?:[a-z']{1,10}\s+){0,3}?(?:pin|passcode|pass\s*code|security\s+code|c[oó]digo|nip)\b)`, 'gi');
const PASSWORD =
  /\b((?:pw|pwd|passwd|pass?word|pass(?=\s*[:=])|contrase[ñn]a)\b(?:[\s:=-]*(?!(?:reset|wrong|right)\b)[a-záéíóúñ']{1,12}){0,4}[\s:=-]*)((?<=[:=]\s*)\S{4,64}|(?=\S*[\d!@#$%^&*?])\S{4,64})/gi;
const SSN_KEYWORD = String.raw`(?:ssn|s\.s\.n\.?|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?|seguro\s+social)`;
const SSN_FILLER = String.raw`(?:\s*(?:is|was|=|:|,|#|-|of|my|the|it|it's|its|last\s*(?:4|four)|digits?|number|no\.?|es|mi|del|los|[uú]ltimos\s+(?:4|cuatro))\s*){0,5}`;
const SSN_NUMBER = String.raw`(?:\d{3}[\s.-]?\d{2}[\s.-]?\d{4}|\d{4})(?!\d)`;
const SSN_AFTER_KEYWORD = new RegExp(String.raw`\b(${SSN_KEYWORD}${SSN_FILLER}\s*)(${SSN_NUMBER})`, 'gi');
const LAST_FOUR_BEFORE = new RegExp(
  String.raw`\b((?:last\s*(?:4|four)|[uú]ltimos\s+(?:4|cuatro))\s+(?:digits\s+)?(?:of\s+)?(?:my\s+|mi\s+|the\s+|del\s+)?${SSN_KEYWORD}${SSN_FILLER}\s*)(\d(?:\s?\d){3})(?!\d)`,
  'gi',
);
const FULL_SSN = /\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b/g;
const TOKENS = new RegExp(
  [
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{8,}`,
    String.raw`\bxapp-[A-Za-z0-9-]{8,}`,
    String.raw`\bsk-[A-Za-z0-9_-]{16,}`,
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`,
    String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`,
    String.raw`\bA(?:KIA|SIA)[A-Z0-9]{16}\b`,
    String.raw`\bAIza[0-9A-Za-z_-]{30,}`,
    String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
    String.raw`\b[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}`,
    String.raw`\b[a-fA-F0-9]{32,}\b`,
    // A long random string: 24+ characters of letters, digits and +/=_ with upper case, lower case and digits.
    String.raw`(?<![\w/+])(?=[A-Za-z0-9+/=_]{24,}(?![\w/+]))(?=[^\s]*[a-z])(?=[^\s]*[A-Z])(?=[^\s]*\d)[A-Za-z0-9+/=_]{24,}`,
  ].join('|'),
  'g',
);

export interface SecretFinding {
  kind: 'pin' | 'password' | 'ssn' | 'token';
}

/** A PIN is 4 to 8 digits, or letters and digits: longer digit runs are phone, account or order numbers. */
function isPinCode(code: string): boolean {
  if (/[a-z]/i.test(code) && !/^[a-z\s,-]+$/i.test(code)) return true;
  if (/^[a-z\s,-]+$/i.test(code)) return true; // spelled-out digits
  const digits = code.replace(/\D/g, '');
  return digits.length >= 4 && digits.length <= 8;
}

const PATTERNS: Array<{ kind: SecretFinding['kind']; pattern: RegExp; keep: 'lead' | 'trail' | 'none'; valid?: (m: string[]) => boolean }> = [
  { kind: 'token', pattern: TOKENS, keep: 'none' },
  { kind: 'password', pattern: PASSWORD, keep: 'lead' },
  { kind: 'ssn', pattern: LAST_FOUR_BEFORE, keep: 'lead' },
  { kind: 'ssn', pattern: SSN_AFTER_KEYWORD, keep: 'lead' },
  { kind: 'ssn', pattern: FULL_SSN, keep: 'none' },
  { kind: 'pin', pattern: PIN_BEFORE, keep: 'lead', valid: (m) => isPinCode(m[2]!) },
  { kind: 'pin', pattern: PIN_AFTER, keep: 'trail', valid: (m) => isPinCode(m[1]!) },
];

/** Finds PIN-, password-, SSN- and token-like secrets in text (the kinds only; values are never returned). */
export function findSecrets(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  let rest = text;
  for (const { kind, pattern, keep, valid } of PATTERNS) {
    rest = rest.replace(pattern, (...m: string[]) => {
      if (valid && !valid(m)) return m[0]!;
      found.push({ kind });
      return replacement(m, keep);
    });
  }
  return found;
}

export function containsSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}

/** Replaces PIN-, password-, SSN- and token-like values with `[redacted]`, keeping the words around them. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, keep, valid } of PATTERNS) out = out.replace(pattern, (...m: string[]) => (valid && !valid(m) ? m[0]! : replacement(m, keep)));
  return out;
}

/**
 * A code of 4-8 digits standing alone ("ok i got it, its 4417"): part of no phone number, amount, date or
 * order, ticket or account number. Only where a PIN is expected is it taken for one.
 */
const BARE_CODE =
  /(?<![\d$€.,/:#-]|\d[\s.-]|\b(?:order|ticket|case|account|acct|po|pon|ban|ref|confirmation|number|no\.?|nbr)\s*#?\s*)\b\d{4,8}\b(?![.,/:-]?\d|\s*(?:dollars|usd|%)|\s*-\s*\d)/gi;

/** Replaces a bare code (see BARE_CODE) with `[redacted]`; `found` says whether there was one. */
export function redactBareCodes(text: string): { text: string; found: boolean } {
  let found = false;
  const out = text.replace(BARE_CODE, () => {
    found = true;
    return REDACTED;
  });
  return { text: out, found };
}

function replacement(match: string[], keep: 'lead' | 'trail' | 'none'): string {
  if (keep === 'lead') return `${match[1]}${REDACTED}`;
  if (keep === 'trail') return `${REDACTED}${match[2]}`;
  return REDACTED;
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
