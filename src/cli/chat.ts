/**
 * `npm run chat`: the terminal chat. Interactive by default; `--script FILE --json` runs a scripted
 * conversation (one JSON line out per line in) on an in-memory store.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseScript, runScript, type ScriptedOutput } from '../adapters/console/scripted-chat.js';
import { runInteractiveChat } from '../adapters/console/interactive-chat.js';
import { compose } from '../compose.js';
import { loadConfig } from '../config.js';
import { ConfigError, ContentError } from '../core/errors.js';
import { say } from '../dialogue/wording.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { script: { type: 'string' }, json: { type: 'boolean', default: false } },
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
    // A script is one self-contained conversation: state lives in memory for this run only.
    const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'warn' }, overrides: { PORTPILOT_STORE_URL: 'memory://' } });
    const { bot, store } = compose(config, { logFd: 2 });
    const staffReply = (): ScriptedOutput => ({
      intent: null,
      confidence: 0,
      flow: null,
      replies: [{ text: say('staffNotAvailable'), choices: [] }],
      escalation: null,
    });
    for await (const output of runScript(script.lines, { bot, conversationKey: `terminal:${randomUUID()}`, staffReply })) {
      if (values.json) process.stdout.write(`${JSON.stringify(output)}\n`);
      else for (const reply of output.replies) process.stdout.write(`${reply.text}\n\n`);
    }
    await store.close();
    return 0;
  }
  const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'warn' } });
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
