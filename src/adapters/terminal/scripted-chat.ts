/**
 * The scripted terminal chat: JSON lines in, exactly one JSON line out per input line. Tests and
 * acceptance checks drive the bot through it (see docs in README, "Scripted chat").
 */
import { z } from 'zod';
import type { Bot } from '../../bot.js';
import type { OutboxRouter } from '../../handoff/outbox-router.js';
import { NOTHING_UNDERSTOOD, replyChoices, replyToText, type Choice, type TurnResult } from '../../core/types.js';

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
  /** Every rejection reason recognised in this line's text, in the order stated. */
  reasons: string[];
  replies: Array<{ text: string; choices: Choice[] }>;
  escalation: { id: string } | null;
  /** Messages this line caused outside its own replies (to the customer, or notices to staff); only when there are some. */
  outbox?: Array<{ to: 'customer' | 'staff'; text: string }>;
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
  /** Where staff replies to the customer and notices to staff are delivered; the terminal registers itself. */
  outbox: OutboxRouter;
}

export interface ScriptedTurn {
  line: ScriptLine;
  result: TurnResult;
  outbox: NonNullable<ScriptedOutput['outbox']>;
}

/**
 * Runs script lines as one session: customer lines in one conversation, staff lines (`"staff": true`)
 * as staff commands. Yields each line with the bot's answer and whatever it sent elsewhere.
 */
export async function* runScript(lines: ScriptLine[], options: ScriptedChatOptions): AsyncGenerator<ScriptedTurn> {
  let sent: ScriptedTurn['outbox'] = [];
  options.outbox.register('terminal', {
    async toConversation(_key, replies) {
      for (const reply of replies) sent.push({ to: 'customer', text: replyToText(reply) });
    },
    async toStaff(notice) {
      sent.push({ to: 'staff', text: notice.text });
    },
  });
  let offered: Choice[] = [];
  for (const line of lines) {
    sent = [];
    if (line.staff) {
      const staffId = line.user ?? 'staff';
      const done = await options.bot.staff({ channel: 'terminal', actor: { id: staffId, displayName: staffId }, text: line.text ?? line.choice ?? '' });
      // A staff line prints like a customer's: its replies, and the case it was about.
      const result: TurnResult = { ...NOTHING_UNDERSTOOD, replies: done.replies, escalation: done.caseId ? { id: done.caseId } : null };
      yield { line, result, outbox: sent };
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
    yield { line, result, outbox: sent };
  }
}

export function toScriptedOutput(result: TurnResult, outbox: ScriptedTurn['outbox'] = []): ScriptedOutput {
  return {
    intent: result.intent,
    confidence: Math.round(result.confidence * 1000) / 1000,
    flow: result.flow,
    reasons: result.reasons,
    replies: result.replies.map((r) => ({ text: replyToText(r), choices: replyChoices(r) })),
    escalation: result.escalation,
    ...(outbox.length > 0 ? { outbox } : {}),
  };
}
