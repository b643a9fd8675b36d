import type { ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

/** Headers on every page and static file the academy serves to a browser (the web chat, the admin pages). */
export const SECURITY_HEADERS: Readonly<Headers> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * A JSON answer, never cached, with extra headers (e.g. CORS, the xAPI version) when given.
 * With `head` (a HEAD request) the headers only, Content-Length included. Nothing is written
 * once the response has started.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}, head = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(head ? undefined : text);
}
