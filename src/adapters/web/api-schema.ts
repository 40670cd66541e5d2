/**
 * The web chat's JSON API as zod schemas: the server validates requests with them, the tests check real
 * answers against them, and `/api/openapi.json` is generated from them, so the document cannot drift.
 */
import { z } from 'zod';

export const conversationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');

export const messageBodySchema = z
  .object({
    conversationId: conversationIdSchema,
    text: z.string().optional().describe('What the customer typed or pasted (a notice, a question, an answer).'),
    choice: z.string().max(200).optional().describe('The id of a choice the bot offered.'),
  })
  .refine((b) => (b.text === undefined) !== (b.choice === undefined), {
    message: 'send exactly one of "text" or "choice"',
  });

const choiceSchema = z.strictObject({ id: z.string(), label: z.string() });
const replySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string(), private: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('choices'), text: z.string(), choices: z.array(choiceSchema) }),
  z.strictObject({ kind: z.literal('steps'), title: z.string(), steps: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('summary'), title: z.string(), sections: z.array(z.strictObject({ heading: z.string(), items: z.array(z.string()) })) }),
]);

export const turnResponseSchema = z.strictObject({
  conversationId: conversationIdSchema,
  replies: z.array(replySchema),
  intent: z.string().nullable().describe("What the bot understood this turn's text as (an intent id), null for a press."),
  confidence: z.number(),
  reasons: z.array(z.string()).describe('Every rejection reason recognised in this turn, in the order stated.'),
  flow: z.string().nullable().describe('The walkthrough under way after this turn.'),
  escalation: z.strictObject({ id: z.string() }).nullable().describe('The staff case open for this conversation.'),
  inputHadSecret: z.boolean().describe('The message held a PIN-, SSN- or token-like secret (redacted; the customer was warned).'),
  press: z.enum(['accepted', 'refused']).nullable().describe('For a choice: taken, or refused as old or unknown.'),
});

export const pendingResponseSchema = z.strictObject({ conversationId: conversationIdSchema, replies: z.array(replySchema) });

export const historyResponseSchema = z.strictObject({
  conversationId: conversationIdSchema,
  lines: z.array(z.strictObject({ from: z.enum(['customer', 'bot', 'staff']), text: z.string() })),
  offered: z.array(choiceSchema),
});

const errorSchema = z.strictObject({ error: z.string() });

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'output' }) } } });
const idParameter = (where: 'query' | 'path', name: string) => ({ name, in: where, required: true, schema: z.toJSONSchema(conversationIdSchema) });

/** The OpenAPI 3.1 document of the JSON API. */
export function openApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'portpilot web chat API', version: '1', description: 'The JSON API the web chat page uses: one turn at a time, its history, and messages from a person.' },
    paths: {
      '/api/messages': {
        post: {
          summary: 'One turn: text or a pressed choice; the bot answers',
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(messageBodySchema, { io: 'input' }) } } },
          responses: {
            '200': json(turnResponseSchema, 'The bot answered'),
            '400': json(errorSchema, 'The request could not be read'),
            '413': json(errorSchema, 'The message is too large'),
            '429': json(errorSchema, 'Too many messages'),
          },
        },
      },
      '/api/conversations/{conversationId}': {
        get: {
          summary: 'The conversation so far (empty when not started), for a page that reloads',
          parameters: [idParameter('path', 'conversationId')],
          responses: { '200': json(historyResponseSchema, 'The last lines and the choices still open'), '400': json(errorSchema, 'Not a conversation id') },
        },
      },
      '/api/messages/pending': {
        get: {
          summary: "Messages from a person (or the bot, after a handback) sent since the page's last fetch",
          parameters: [
            idParameter('query', 'conversationId'),
            {
              name: 'wait',
              in: 'query',
              required: false,
              description: 'Seconds (at most 25) to wait for a message before answering: a long poll.',
              schema: { type: 'integer', minimum: 0, maximum: 25 },
            },
          ],
          responses: { '200': json(pendingResponseSchema, 'The messages, oldest first (none when the wait ran out)'), '400': json(errorSchema, 'Not a conversation id') },
        },
      },
    },
  };
}
