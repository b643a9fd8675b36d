/**
 * The one error type of the academy. `status` is the HTTP status a route answers with;
 * `field` names the input at fault where there is one (a config variable, a statement
 * property, a content file's front-matter key).
 */
export class AcademyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    /** For 429 and 503: seconds the caller should wait (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AcademyError';
  }
}

export function isAcademyError(e: unknown): e is AcademyError {
  return e instanceof AcademyError;
}
