/**
 * `npm run chat`: the terminal chat. Interactive by default; `--script FILE --json` runs a scripted
 * conversation (one JSON line out per line in) on an in-memory store, or with `--store URL` on a shared
 * one, so staff lines work the same case queue as running instances.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseScript, runScript, toScriptedOutput } from '../adapters/terminal/scripted-chat.js';
import { renderReplyAsText, runInteractiveChat } from '../adapters/terminal/interactive-chat.js';
import { compose } from '../compose.js';
import { loadConfig } from '../config.js';
import { ConfigError, ContentError } from '../core/errors.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { script: { type: 'string' }, json: { type: 'boolean', default: false }, store: { type: 'string' } },
    strict: true,
  });
  if (values.script !== undefined) {
    let source: string;
    try {
      source = readFileSync(values.script, 'utf8');
    } catch (error) {
      process.stderr.write(`chat: cannot read script ${values.script}: ${(error as Error).message}\n`);
      return 2;
    }
    const script = parseScript(source);
    if (!script.ok) {
      process.stderr.write(`chat: ${values.script}: ${script.error}\n`);
      return 2;
    }
    // A script is one self-contained conversation: state lives in memory for this run only, unless a
    // store is named (the same validation as PORTPILOT_STORE_URL).
    const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'warn' }, overrides: { PORTPILOT_STORE_URL: values.store ?? 'memory://' } });
    const { bot, store, outbox } = compose(config, { logFd: 2 });
    for await (const { line, result, outbox: sent } of runScript(script.lines, { bot, conversationKey: `terminal:${randomUUID()}`, outbox })) {
      if (values.json) {
        process.stdout.write(`${JSON.stringify(toScriptedOutput(result, sent))}\n`);
        continue;
      }
      process.stdout.write(`${line.staff ? `staff ${line.user ?? ''}`.trim() : 'you'}> ${line.text ?? `[${line.choice}]`}\n`);
      for (const reply of result.replies) process.stdout.write(`bot> ${renderReplyAsText(reply).replace(/\n/g, '\n     ')}\n`);
      for (const item of sent) process.stdout.write(`(to ${item.to}) ${item.text.replace(/\n/g, '\n     ')}\n`);
      process.stdout.write('\n');
    }
    await store.close();
    return 0;
  }
  const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'warn' }, overrides: values.store ? { PORTPILOT_STORE_URL: values.store } : {} });
  const { bot, store } = compose(config, { logFd: 2 });
  await runInteractiveChat(bot, 'terminal:local');
  await store.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof ContentError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`chat: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
