/**
 * The academy's one xAPI HTTP client: every call to an LRS (the outbox's external LRS, the admin
 * review and privacy reading statements back, cmi5 calls to an LMS's LRS) goes through it, with
 * the configured X-Experience-API-Version, the LRS's credentials and a JSON body.
 *
 * How a request leaves the process is a transport: plain fetch with a timeout (fetchTransport),
 * or the LMS plugin's caller (allow-list, no redirects, capped answers). A transport returns
 * every HTTP answer (status, text, Retry-After); it throws only when nothing answered.
 */
export type XapiVersion = '1.0.3' | '2.0.0';

/** An LRS's answer, read to the end. */
export interface XapiAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
  /** The Retry-After header, when the transport reads headers. */
  readonly retryAfter?: string | null;
}

/** Sends one request and reads the answer; throws when nothing answered (refused, reset, timed out). */
export type XapiTransport = (url: string, init: RequestInit) => Promise<XapiAnswer>;

export interface FetchTransportOptions {
  /** A request that takes longer is abandoned (throws). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Thrown by fetchTransport when the request never got an answer. */
export class NoAnswer extends Error {}

/** The message of a fetch failure, with its cause ('fetch failed (connect ECONNREFUSED …)'). */
export function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause: unknown = e.cause;
  return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
}

/** Node's fetch, with a timeout; a failure to get an answer is a NoAnswer. */
export function fetchTransport(options: FetchTransportOptions = {}): XapiTransport {
  const fetcher = options.fetch ?? fetch;
  return async (url, init) => {
    try {
      const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
      const res = await fetcher(url, { ...init, ...(signal ? { signal } : {}) });
      return { status: res.status, ok: res.ok, text: await res.text(), retryAfter: res.headers.get('retry-after') };
    } catch (e) {
      throw new NoAnswer(describeFailure(e));
    }
  };
}

/** Basic credentials from a key and secret. */
export function basicAuth(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

export interface XapiClientOptions {
  /** The LRS's xAPI base, e.g. https://lrs.example.org/xapi (statements are at {endpoint}/statements). */
  readonly endpoint: string;
  /** The Authorization header's value (basicAuth(key, secret), or `Basic <cmi5 auth-token>`). */
  readonly authorization: string;
  readonly version: XapiVersion;
  /** Default: fetchTransport() without a timeout. */
  readonly transport?: XapiTransport;
}

export interface XapiRequest {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly query?: URLSearchParams;
  /** Sent as JSON. */
  readonly json?: unknown;
}

/** xAPI resources of one LRS. */
export class XapiClient {
  /** The endpoint, ending with '/'. */
  readonly base: URL;
  private readonly transport: XapiTransport;

  constructor(private readonly options: XapiClientOptions) {
    this.base = new URL(options.endpoint.replace(/\/*$/, '/'));
    this.transport = options.transport ?? fetchTransport();
  }

  /** A resource under the endpoint ('statements', 'activities/state'), or an absolute IRL on it (a `more` link). */
  url(path: string, query?: URLSearchParams): URL {
    const url = new URL(path, this.base);
    if (query) for (const [name, value] of query) url.searchParams.append(name, value);
    return url;
  }

  /** One request with the version, credentials and Accept headers. */
  request(path: string | URL, request: XapiRequest = {}): Promise<XapiAnswer> {
    const url = typeof path === 'string' ? this.url(path, request.query) : path;
    const headers: Record<string, string> = {
      Authorization: this.options.authorization,
      'X-Experience-API-Version': this.options.version,
      Accept: 'application/json',
      ...(request.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    };
    return this.transport(url.href, {
      method: request.method ?? (request.json === undefined ? 'GET' : 'POST'),
      headers,
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
    });
  }

  /** POST statements: the batch as a JSON array. */
  postStatements(statements: readonly unknown[]): Promise<XapiAnswer> {
    return this.request('statements', { method: 'POST', json: statements });
  }

  /** GET statements with these query parameters. */
  getStatements(query: URLSearchParams): Promise<XapiAnswer> {
    return this.request('statements', { query });
  }
}

/** The answer's body as JSON, or undefined when it is not JSON. */
export function answerJson(answer: Pick<XapiAnswer, 'text'>): unknown {
  if (!answer.text) return undefined;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}
