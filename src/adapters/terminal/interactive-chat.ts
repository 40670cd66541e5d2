/**
 * The interactive terminal chat: type a message, see the replies; choices are numbered and a number
 * (or the label) picks one.
 */
import { createInterface } from 'node:readline';
import type { Bot } from '../../bot.js';
import { redactSecrets } from '../../core/redact.js';
import type { Reply } from '../../core/types.js';
import { apologyFor } from '../channel/turn-boundary.js';

export function renderReplyAsText(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return reply.text;
    case 'choices':
      return [reply.text, ...reply.choices.map((c, i) => `  ${i + 1}) ${c.label}`)].join('\n');
    case 'steps':
      return [reply.title, ...reply.steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n');
    case 'summary':
      return [`== ${reply.title} ==`, ...reply.sections.flatMap((s) => [`${s.heading}:`, ...s.items.map((item) => `  - ${item}`)])].join('\n');
  }
}

export async function runInteractiveChat(bot: Bot, conversationKey: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  process.stdout.write('portpilot terminal chat. Type your message; "quit" or Ctrl-D to leave.\n\n');
  rl.setPrompt('you> ');
  rl.prompt();
  try {
    // The line iterator keeps lines that arrive while a turn is running (pasted or piped input), where
    // asking question by question would drop them.
    for await (const line of rl) {
      if (/^(quit|exit)$/i.test(line.trim())) break;
      // One error boundary per turn: a failure is reported politely and the chat goes on.
      const replies = await bot
        .handle({ channel: 'terminal', conversationKey, actor: { id: 'local-user' }, text: line })
        .then((result) => result.replies)
        .catch((error: unknown) => {
          process.stderr.write(`(error: ${redactSecrets((error as Error).message ?? String(error))})\n`);
          return [{ kind: 'text', text: apologyFor(error) } as Reply];
        });
      for (const reply of replies) process.stdout.write(`\nbot> ${renderReplyAsText(reply).replace(/\n/g, '\n     ')}\n`);
      process.stdout.write('\n');
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}
