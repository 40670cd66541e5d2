/**
 * A local stand-in for an OpenAI-compatible server: `POST /v1/chat/completions`, answered by a function
 * the test supplies (a JSON content, an HTTP error, a delay, or text that is not JSON). Every request
 * is recorded, so tests can check what was sent (redacted text, the customer's words as data only).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string };
}

/** What the fake answers: `content` as the assistant's message, or an HTTP `status`, after `delayMs`. */
export interface FakeAnswer {
  content?: string;
  status?: number;
  delayMs?: number;
}

export interface FakeOpenAI {
  /** The base URL to put in OPENAI_BASE_URL (ends in /v1). */
  baseURL: string;
  requests: ChatRequest[];
  /** How the next requests are answered; by default an empty reading. */
  answerWith(answer: (request: ChatRequest) => FakeAnswer): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: ChatRequest[] = [];
  let answer: (request: ChatRequest) => FakeAnswer = () => ({ content: '{"reasons":[]}' });
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const request = JSON.parse(body) as ChatRequest;
    requests.push(request);
    let planned: FakeAnswer;
    try {
      planned = answer(request);
    } catch {
      planned = { status: 500 };
    }
    if (planned.delayMs) await new Promise((resolve) => setTimeout(resolve, planned.delayMs));
    if (res.destroyed) return;
    if (planned.status && planned.status >= 400) {
      res.writeHead(planned.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'the fake failed on purpose', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 1790000000,
        model: request.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: planned.content ?? '' } }],
        usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    answerWith(next) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The customer's text a read request carried (the user message is JSON data: `{"notice": ...}`). */
export function noticeOf(request: ChatRequest): string | undefined {
  const user = request.messages.find((m) => m.role === 'user');
  try {
    return (JSON.parse(user?.content ?? '') as { notice?: string }).notice;
  } catch {
    return undefined;
  }
}
