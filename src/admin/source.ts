/**
 * Two StatementSources: the embedded LRS in process, and any LRS over the xAPI statements API
 * (GET /statements with Basic auth, paged with `more`).
 */
import { AcademyError } from '../errors.js';
import type { StatementQuery, StatementStore } from '../lrs/store.js';
import type { StoredStatement } from '../lrs/types.js';
import type { StatementFilter, StatementPage, StatementSource } from './ports.js';

const MORE_PATH = '/admin/more';

function tokenOf(more: string): string {
  if (!more) return '';
  return new URL(more, 'http://embedded.invalid').searchParams.get('more') ?? '';
}

/** The embedded LRS's StatementStore, read in process. */
export class EmbeddedStatementSource implements StatementSource {
  readonly name = 'embedded';
  constructor(private readonly store: StatementStore) {}

  async query(filter: StatementFilter): Promise<StatementPage> {
    const q: StatementQuery = {
      ...(filter.verb ? { verb: filter.verb } : {}),
      ...(filter.activity ? { activity: filter.activity } : {}),
      ...(filter.agent ? { agent: filter.agent } : {}),
      ...(filter.registration ? { registration: filter.registration } : {}),
      ...(filter.since ? { since: filter.since } : {}),
      ...(filter.until ? { until: filter.until } : {}),
      ascending: filter.ascending === true,
      limit: filter.limit ?? 0,
    };
    const result = this.store.query(q, { morePath: MORE_PATH });
    return { statements: result.statements, more: tokenOf(result.more) };
  }

  async more(token: string): Promise<StatementPage> {
    const result = this.store.more(token, { morePath: MORE_PATH });
    return { statements: result.statements, more: tokenOf(result.more) };
  }

  async get(id: string): Promise<StoredStatement | undefined> {
    return this.store.get(id);
  }
}

export interface HttpSourceOptions {
  /** The LRS's xAPI base, e.g. https://lrs.example.org/xapi (statements are at {endpoint}/statements). */
  readonly endpoint: string;
  readonly key: string;
  readonly secret: string;
  readonly fetch?: typeof fetch;
}

function isStatementResult(body: unknown): body is { statements: StoredStatement[]; more?: string } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { statements?: unknown }).statements);
}

/** Any xAPI 1.0.3 LRS through its statements resource. */
export class HttpStatementSource implements StatementSource {
  readonly name: string;
  private readonly base: URL;
  private readonly auth: string;
  private readonly fetcher: typeof fetch;

  constructor(options: HttpSourceOptions) {
    this.base = new URL(options.endpoint.replace(/\/*$/, '/'));
    this.name = this.base.href;
    this.auth = `Basic ${Buffer.from(`${options.key}:${options.secret}`).toString('base64')}`;
    this.fetcher = options.fetch ?? fetch;
  }

  private async getJson(url: URL): Promise<unknown> {
    const res = await this.fetcher(url, {
      headers: { Authorization: this.auth, 'X-Experience-API-Version': '1.0.3', Accept: 'application/json' },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new AcademyError(502, `The LRS at ${this.base.origin} answered ${res.status} to GET ${url.pathname}`, 'LRS_ENDPOINT');
    return res.json();
  }

  private page(body: unknown): StatementPage {
    if (!isStatementResult(body)) throw new AcademyError(502, `The LRS at ${this.base.origin} did not send a StatementResult`, 'LRS_ENDPOINT');
    return { statements: body.statements, more: body.more ? Buffer.from(body.more, 'utf8').toString('base64url') : '' };
  }

  async query(filter: StatementFilter): Promise<StatementPage> {
    const url = new URL('statements', this.base);
    const set = (name: string, value: string | undefined) => {
      if (value) url.searchParams.set(name, value);
    };
    set('verb', filter.verb);
    set('activity', filter.activity);
    set('agent', filter.agent ? JSON.stringify(filter.agent) : undefined);
    set('registration', filter.registration);
    set('since', filter.since);
    set('until', filter.until);
    if (filter.ascending) url.searchParams.set('ascending', 'true');
    if (filter.limit) url.searchParams.set('limit', String(filter.limit));
    return this.page(await this.getJson(url));
  }

  /** The token is the LRS's own `more` IRL; it must stay on the LRS's origin. */
  async more(token: string): Promise<StatementPage> {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new AcademyError(400, 'more is not a valid continuation token', 'more');
    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'), this.base);
    if (url.origin !== this.base.origin) throw new AcademyError(400, 'more points away from the LRS', 'more');
    return this.page(await this.getJson(url));
  }

  async get(id: string): Promise<StoredStatement | undefined> {
    const url = new URL('statements', this.base);
    url.searchParams.set('statementId', id);
    const body = await this.getJson(url);
    return body === undefined ? undefined : (body as StoredStatement);
  }
}

/** Every statement of a filter, page after page (with a cap so a huge export cannot exhaust memory). */
export async function* allStatements(source: StatementSource, filter: StatementFilter, cap = Number.POSITIVE_INFINITY): AsyncGenerator<StoredStatement> {
  let page = await source.query(filter);
  let n = 0;
  for (;;) {
    for (const s of page.statements) {
      if (n++ >= cap) return;
      yield s;
    }
    if (!page.more) return;
    page = await source.more(page.more);
  }
}
