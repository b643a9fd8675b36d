/**
 * HTTP clients for the security tests: a web learner with its own cookie jar talking to the
 * academy's Direct Line as the page does, and a spy server standing in for a serviceUrl.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../helpers/poll.js';

type Json = Record<string, unknown>;

/** A browser without a browser: a cookie jar, a Direct Line token and conversation. */
export class HttpLearner {
  cookie = '';
  token = '';
  conversationId = '';

  constructor(readonly base: string) {}

  /** Keeps cookies the academy sets (only the name=value part, as a browser sends it back). */
  private keep(res: Response): void {
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(this.cookie ? { Cookie: this.cookie } : {}) };
    const res = await fetch(this.base + path, { ...init, redirect: 'manual', headers });
    this.keep(res);
    return res;
  }

  /** Asks for a token (with `body`, e.g. a forged userId) and starts the conversation; returns the token answer's status. */
  async open(body: Json = {}): Promise<number> {
    const res = await this.fetch('/api/directline/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) return res.status;
    const issued = (await res.json()) as { token: string; conversationId: string };
    this.token = issued.token;
    this.conversationId = issued.conversationId;
    const started = await this.fetch('/v3/directline/conversations', { method: 'POST', headers: this.auth(), body: '{}' });
    if (!started.ok) throw new Error(`start: HTTP ${started.status}`);
    return 200;
  }

  auth(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' };
  }

  async say(message: string | Json): Promise<void> {
    const activity = typeof message === 'string' ? { type: 'message', text: message } : { type: 'message', value: message, channelData: { postBack: true } };
    const res = await this.fetch(`/v3/directline/conversations/${this.conversationId}/activities`, { method: 'POST', headers: this.auth(), body: JSON.stringify(activity) });
    if (res.status !== 200) throw new Error(`say: HTTP ${res.status}`);
  }

  /** Everything the bot said in this conversation, as text. */
  async transcript(): Promise<string> {
    const res = await this.fetch(`/v3/directline/conversations/${this.conversationId}/activities`, { headers: this.auth() });
    const body = (await res.json()) as { activities: { from: { role?: string }; text?: string; attachments?: unknown[] }[] };
    return body.activities
      .filter((a) => a.from.role !== 'user')
      .map((a) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`)
      .join('\n');
  }

  /** Waits until the transcript matches, or gives up after `ms` and returns what there is. */
  async waitFor(pattern: RegExp, ms = 15_000): Promise<string> {
    return waitFor(`the transcript to match ${pattern}`, () => this.transcript(), { timeoutMs: ms, intervalMs: 100, until: (text) => pattern.test(text) }).catch(() => this.transcript());
  }

  /** Says "what do you keep about me" and returns the privacy card's text. */
  async privacy(): Promise<string> {
    const before = (await this.transcript()).split('known here only by a random id').length;
    await this.say('what do you keep about me');
    const until = Date.now() + 15_000;
    for (;;) {
      const text = await this.transcript();
      if (text.split('known here only by a random id').length > before || Date.now() > until) return text.split('known here only by a random id').slice(before).join('');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The learner id a privacy card names. */
export function idIn(privacyText: string): string | undefined {
  return /(?:dl_|h_|unsigned-)[A-Za-z0-9_-]{8,64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(privacyText)?.[0];
}

/** A server that records every request: a serviceUrl an attacker controls, or an internal service. */
export interface Spy {
  readonly url: string;
  readonly requests: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}

export async function startSpy(): Promise<Spy> {
  const requests: Spy['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `spy-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
