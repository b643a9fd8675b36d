/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: POST /v1/chat/completions
 * (Bearer key) and the Azure route POST /openai/deployments/{deployment}/chat/completions
 * ?api-version=... (api-key header). Answers JSON, or Server-Sent Events when the request
 * asks for `stream: true`. Every request is recorded.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  readonly body: ChatBody;
}

export interface ChatBody {
  readonly model?: string;
  readonly stream?: boolean;
  readonly messages?: readonly { role: string; content: string }[];
}

/** What to answer: the text (split into `pieces` when streaming), an HTTP error, or never. */
export type FakeReply = { readonly text: string; readonly pieces?: readonly string[]; readonly finish?: string } | { readonly status: number } | 'hang';

export interface FakeOpenAi {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly requests: SeenRequest[];
  reply: (request: SeenRequest) => FakeReply;
  close(): Promise<void>;
}

export interface FakeOptions {
  readonly apiKey: string;
  /** The Azure deployment the server knows. */
  readonly deployment?: string;
}

export async function startFakeOpenAi(options: FakeOptions): Promise<FakeOpenAi> {
  const requests: SeenRequest[] = [];
  const fake: FakeOpenAi = {
    url: '',
    requests,
    reply: () => ({ text: 'NO_ANSWER' }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
      if (req.method !== 'POST' || (url.pathname !== '/v1/chat/completions' && azure === null)) return error(res, 404, 'not found');
      if (azure !== null) {
        if (req.headers['api-key'] !== options.apiKey) return error(res, 401, 'bad api-key');
        if (!url.searchParams.get('api-version')) return error(res, 400, 'api-version missing');
        if (decodeURIComponent(azure[1] ?? '') !== options.deployment) return error(res, 404, 'DeploymentNotFound');
      } else if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return error(res, 401, 'bad key');
      }
      let body: ChatBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
      } catch {
        return error(res, 400, 'not JSON');
      }
      const seen: SeenRequest = { path: url.pathname, query: url.searchParams, headers: req.headers, body };
      requests.push(seen);
      const reply = fake.reply(seen);
      if (reply === 'hang') return; // never answers; close() ends the connection
      if ('status' in reply) return error(res, reply.status, 'the server had an error');
      const model = body.model ?? 'fake';
      const finish = reply.finish ?? 'stop';
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const send = (delta: object, finishReason: string | null) =>
          res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
        send({ role: 'assistant', content: '' }, null);
        for (const piece of reply.pieces ?? [reply.text]) send({ content: piece }, null);
        send({}, finish);
        res.end('data: [DONE]\n\n');
        return;
      }
      json(res, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, finish_reason: finish, logprobs: null }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { url: `http://127.0.0.1:${port}` });
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, message: string): void {
  json(res, status, { error: { message, type: 'fake_error', code: null } });
}
