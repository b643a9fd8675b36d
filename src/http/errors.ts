import { isAcademyError } from '../errors.js';
import type { Headers } from './reply.js';

/** What an error answers over HTTP. */
export interface HttpError {
  readonly status: number;
  readonly message: string;
  /** The input at fault, when the error names one. */
  readonly field?: string;
  /** Retry-After for a 429 or 503 that says how long to wait. */
  readonly headers: Headers;
  /** Not an AcademyError: a bug or an outage, to be logged (its message is not shown). */
  readonly unexpected: boolean;
}

/**
 * The one mapping from errors to HTTP: an AcademyError answers with its status, message and field;
 * anything else is a 500 with `fallback` as its message.
 */
export function httpError(error: unknown, fallback: string): HttpError {
  if (!isAcademyError(error)) return { status: 500, message: fallback, headers: {}, unexpected: true };
  const headers: Headers = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
  return { status: error.status, message: error.message, ...(error.field === undefined ? {} : { field: error.field }), headers, unexpected: false };
}

/** An error's text for a log: its stack when it has one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
