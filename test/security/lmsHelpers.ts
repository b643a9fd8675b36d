/** Helpers of the LMS security tests: small HTTP servers that play a probe or a hostile LMS. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TinyServer {
  readonly url: string;
  /** Every request it received, as "METHOD /path". */
  readonly hits: string[];
  close(): Promise<void>;
}

/** Writes a whole answer. */
export function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}, body = ''): void {
  res.writeHead(status, headers);
  res.end(body);
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server on 127.0.0.1 that records each request and answers with `handler` (default 404). */
export async function tinyServer(handler: Handler = (_req, res) => answer(res, 404)): Promise<TinyServer> {
  const hits: string[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    open.add(res);
    res.on('close', () => open.delete(res));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const ACTOR = JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: '1001' } });
export const REGISTRATION = '760e3480-ba55-4991-94b0-01820dbd23a2';

/** A cmi5 launch URL of the academy with the given endpoint and fetch URLs. */
export function launchUrl(academyUrl: string, lesson: string, endpoint: string, fetchUrl: string): string {
  const q = new URLSearchParams({ lesson, endpoint, fetch: fetchUrl, actor: ACTOR, registration: REGISTRATION, activityId: 'https://lms.example.org/au/1' });
  return `${academyUrl}/lms/cmi5/launch?${q}`;
}
