/** Errors from discord.js described for logs: the shared description (redacted, no request bodies). */
export { describeError } from '../../core/redact.js';
