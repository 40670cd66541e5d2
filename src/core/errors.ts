/** Errors that are not the customer's fault. Expected failures (a bad slot answer) are values, not errors. */

/** Content in intents/ or knowledge/ is broken; the message names file and field. Stops start-up. */
export class ContentError extends Error {
  override name = 'ContentError';
  constructor(readonly problems: string[]) {
    super(`Content is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A configuration value is wrong; the message names the variable. Stops start-up. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The conversation store could not be reached: distinct from "this conversation has no state". */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
