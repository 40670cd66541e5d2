/**
 * The scripted terminal chat: JSON lines in, exactly one JSON line out per input line. Tests and
 * acceptance checks drive the bot through it (see docs in README, "Scripted chat").
 */
import { z } from 'zod';
import type { Bot } from '../../bot.js';
import { replyChoices, replyToText, type Choice, type TurnResult } from '../../core/types.js';

const scriptLineSchema = z
  .object({
    text: z.string().optional(),
    choice: z.string().optional(),
    user: z.string().min(1).optional(),
    staff: z.boolean().optional(),
  })
  .refine((line) => (line.text === undefined) !== (line.choice === undefined), {
    message: 'each line needs exactly one of "text" or "choice"',
  });

export type ScriptLine = z.infer<typeof scriptLineSchema>;

export interface ScriptedOutput {
  intent: string | null;
  confidence: number;
  flow: string | null;
  replies: Array<{ text: string; choices: Choice[] }>;
  escalation: { id: string } | null;
}

/** Parses a script; a malformed line yields an error naming its line number. */
export function parseScript(source: string): { ok: true; lines: ScriptLine[] } | { ok: false; error: string } {
  const lines: ScriptLine[] = [];
  const rows = source.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(row);
    } catch (error) {
      return { ok: false, error: `line ${i + 1}: not valid JSON (${(error as Error).message})` };
    }
    const parsed = scriptLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? ` field "${issue.path.join('.')}"` : '';
      return { ok: false, error: `line ${i + 1}:${where} ${issue.message}` };
    }
    lines.push(parsed.data);
  }
  return { ok: true, lines };
}

export interface ScriptedChatOptions {
  bot: Bot;
  conversationKey: string;
  /** Staff lines are answered here until staff commands exist. */
  staffReply: (line: ScriptLine) => TurnResult;
}

/** Runs script lines as one conversation, yielding each line with the bot's answer to it. */
export async function* runScript(lines: ScriptLine[], options: ScriptedChatOptions): AsyncGenerator<{ line: ScriptLine; result: TurnResult }> {
  let offered: Choice[] = [];
  for (const line of lines) {
    if (line.staff) {
      yield { line, result: options.staffReply(line) };
      continue;
    }
    const actor = { id: line.user ?? 'customer' };
    let choice: string | undefined;
    if (line.choice !== undefined) {
      const wanted = line.choice.trim().toLowerCase();
      choice = offered.find((c) => c.id === line.choice || c.label.toLowerCase() === wanted)?.id ?? line.choice;
    }
    const result = await options.bot.handle({
      channel: 'terminal',
      conversationKey: options.conversationKey,
      actor,
      ...(choice !== undefined ? { choice } : { text: line.text ?? '' }),
    });
    const latest = result.replies.flatMap(replyChoices);
    if (latest.length > 0) offered = latest;
    yield { line, result };
  }
}

export function toScriptedOutput(result: TurnResult): ScriptedOutput {
  return {
    intent: result.intent,
    confidence: Math.round(result.confidence * 1000) / 1000,
    flow: result.flow,
    replies: result.replies.map((r) => ({ text: replyToText(r), choices: replyChoices(r) })),
    escalation: result.escalation,
  };
}
