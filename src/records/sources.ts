/**
 * Two StatementSources: the embedded LRS in process, and any LRS over the xAPI statements API
 * (GET /statements with Basic auth, paged with `more`).
 */
import { AcademyError } from '../errors.js';
import type { StatementQuery, StatementStore } from '../lrs/store.js';
import type { StoredStatement } from '../lrs/types.js';
import { XapiClient, answerJson, basicAuth, fetchTransport, type XapiVersion } from '../xapi/client.js';
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
  /** The xAPI version the LRS speaks (LRS_VERSION; default 1.0.3). */
  readonly version?: XapiVersion;
  readonly fetch?: typeof fetch;
}

function isStatementResult(body: unknown): body is { statements: StoredStatement[]; more?: string } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { statements?: unknown }).statements);
}

/** Any xAPI LRS through its statements resource (the one xAPI client). */
export class HttpStatementSource implements StatementSource {
  readonly name: string;
  private readonly client: XapiClient;

  constructor(options: HttpSourceOptions) {
    this.client = new XapiClient({
      endpoint: options.endpoint,
      authorization: basicAuth(options.key, options.secret),
      version: options.version ?? '1.0.3',
      transport: fetchTransport(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.name = this.client.base.href;
  }

  private get origin(): string {
    return this.client.base.origin;
  }

  private async getJson(url: URL): Promise<unknown> {
    const res = await this.client.request(url);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new AcademyError(502, `The LRS at ${this.origin} answered ${res.status} to GET ${url.pathname}`, 'LRS_ENDPOINT');
    const body = answerJson(res);
    if (body === undefined) throw new AcademyError(502, `The LRS at ${this.origin} did not answer JSON to GET ${url.pathname}`, 'LRS_ENDPOINT');
    return body;
  }

  private page(body: unknown): StatementPage {
    if (!isStatementResult(body)) throw new AcademyError(502, `The LRS at ${this.origin} did not send a StatementResult`, 'LRS_ENDPOINT');
    return { statements: body.statements, more: body.more ? Buffer.from(body.more, 'utf8').toString('base64url') : '' };
  }

  async query(filter: StatementFilter): Promise<StatementPage> {
    const query = new URLSearchParams();
    const set = (name: string, value: string | undefined) => {
      if (value) query.set(name, value);
    };
    set('verb', filter.verb);
    set('activity', filter.activity);
    set('agent', filter.agent ? JSON.stringify(filter.agent) : undefined);
    set('registration', filter.registration);
    set('since', filter.since);
    set('until', filter.until);
    if (filter.ascending) query.set('ascending', 'true');
    if (filter.limit) query.set('limit', String(filter.limit));
    return this.page(await this.getJson(this.client.url('statements', query)));
  }

  /** The token is the LRS's own `more` IRL; it must stay on the LRS's origin. */
  async more(token: string): Promise<StatementPage> {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new AcademyError(400, 'more is not a valid continuation token', 'more');
    const url = this.client.url(Buffer.from(token, 'base64url').toString('utf8'));
    if (url.origin !== this.origin) throw new AcademyError(400, 'more points away from the LRS', 'more');
    return this.page(await this.getJson(url));
  }

  async get(id: string): Promise<StoredStatement | undefined> {
    const body = await this.getJson(this.client.url('statements', new URLSearchParams({ statementId: id })));
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
