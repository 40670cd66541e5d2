/** Errors from discord.js described for logs: redacted, and never a request body (which can hold customer text). */
import { redactSecrets } from '../../core/redact.js';

/** The parts of an error worth logging, without request bodies and with secrets redacted. */
export function describeError(error: unknown): object {
  if (!(error instanceof Error)) return { message: redactSecrets(String(error)) };
  const { code, status } = error as { code?: unknown; status?: unknown };
  return { name: error.name, message: redactSecrets(error.message), code, status, stack: error.stack };
}
