import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcademyError } from '../errors.js';

/** How much of a request body to read, and how to refuse more. */
export interface BodyLimit {
  /** The most bytes accepted; more is a 413. */
  readonly limit: number;
  /** The 413 to answer (default: "request body exceeds the N-byte limit", field body). */
  readonly tooLarge?: () => Error;
  /**
   * Drain an oversized body (up to a cap) before answering, so the client sees the 413 rather than
   * a reset connection; past the cap `Connection: close` is set on this response. Without it, an
   * oversized request is destroyed as soon as it passes the limit.
   */
  readonly drainInto?: ServerResponse;
}

/**
 * Reads the whole request body, up to `limit` bytes (restify has no global body parser here: each
 * route reads its own body). The one body reader of the academy; the text, form and JSON readers
 * below are built on it.
 */
export function readBody(req: IncomingMessage, options: BodyLimit): Promise<Buffer> {
  const { limit, drainInto } = options;
  const tooLarge = options.tooLarge ?? (() => new AcademyError(413, `request body exceeds the ${limit}-byte limit`, 'body'));
  const drainCap = drainInto ? Math.max(limit * 4, 8 * 1024 * 1024) : limit;
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > drainCap) {
      drainInto?.setHeader('Connection', 'close');
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      if (!drainInto) {
        settle(() => reject(tooLarge()));
        req.destroy();
      } else if (size > drainCap) {
        drainInto.setHeader('Connection', 'close');
        settle(() => reject(tooLarge()));
      }
    });
    req.on('end', () => settle(() => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks)))));
    req.on('error', (e) => settle(() => reject(e)));
    req.on('aborted', () => settle(() => reject(new AcademyError(400, 'request aborted', 'body'))));
  });
}

/** The body as UTF-8 text. */
export async function readText(req: IncomingMessage, options: BodyLimit): Promise<string> {
  return (await readBody(req, options)).toString('utf8');
}

/** A posted HTML form (application/x-www-form-urlencoded). */
export async function readForm(req: IncomingMessage, options: BodyLimit): Promise<URLSearchParams> {
  return new URLSearchParams(await readText(req, options));
}

/**
 * The request's JSON body, or undefined when there is none; 415 for a body that is not JSON by its
 * Content-Type, 413 over `limit`, 400 for bad JSON. If some middleware has already parsed the
 * body, that is used instead.
 */
export async function readJsonBody(req: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  if (req.body !== undefined) {
    if (Buffer.isBuffer(req.body)) return parseJson(req.body.toString('utf8'));
    if (typeof req.body === 'string') return req.body === '' ? undefined : parseJson(req.body);
    return req.body;
  }
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AcademyError(415, 'Send JSON (Content-Type: application/json)');
  }
  const body = await readBody(req, { limit, tooLarge: () => new AcademyError(413, `Body larger than ${limit} bytes`) });
  return body.length === 0 ? undefined : parseJson(body.toString('utf8'));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AcademyError(400, 'Body is not valid JSON');
  }
}
