/** The statement explorer, one statement, the statements export and a learner's journey. */
import { AcademyError } from '../errors.js';
import type { Actor, StoredStatement } from '../lrs/types.js';
import { VERBS } from '../xapi/profile.js';
import { esc, renderTable, textInput, type Cell, type Table } from './html.js';
import { EXPORT_CAP, tables, type Page, type PageContext } from './pageKit.js';
import type { StatementFilter } from '../records/ports.js';
import { allStatements } from '../records/sources.js';

// --- statements -------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function learnerAgent(idBase: string, learner: string): Actor {
  return { objectType: 'Agent', account: { homePage: idBase, name: learner } };
}

/** The explorer's filter form values → a validated StatementFilter (AcademyError 400 naming the field). */
export function filterFrom(q: URLSearchParams, idBase: string): StatementFilter {
  const v = (name: string) => q.get(name)?.trim() ?? '';
  const iri = (name: string) => {
    const value = v(name);
    if (value && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) throw new AcademyError(400, `${name} must be an IRI such as ${VERBS.completed.id}`, name);
    return value || undefined;
  };
  const registration = v('registration');
  if (registration && !UUID.test(registration)) throw new AcademyError(400, 'registration must be a UUID', 'registration');
  const from = v('from');
  const to = v('to');
  if (from && (!DATE.test(from) || Number.isNaN(Date.parse(from)))) throw new AcademyError(400, 'from must be a date such as 2026-11-23', 'from');
  if (to && (!DATE.test(to) || Number.isNaN(Date.parse(to)))) throw new AcademyError(400, 'to must be a date such as 2026-11-23', 'to');
  const agent = v('agent');
  if (agent.length > 200) throw new AcademyError(400, 'agent must be a learner id (at most 200 characters)', 'agent');
  const verb = iri('verb');
  const activity = iri('activity');
  return {
    ...(verb ? { verb } : {}),
    ...(activity ? { activity } : {}),
    ...(agent ? { agent: learnerAgent(idBase, agent) } : {}),
    ...(registration ? { registration } : {}),
    // since is exclusive: the last millisecond of the day before `from`.
    ...(from ? { since: new Date(Date.parse(`${from}T00:00:00Z`) - 1).toISOString() } : {}),
    ...(to ? { until: `${to}T23:59:59.999Z` } : {}),
  };
}

/** xAPI verbs in plain words, for journeys and the statements page. */
const PLAIN_VERBS: Record<string, string> = {
  attempted: 'started',
  experienced: 'saw',
  answered: 'answered',
  completed: 'finished',
  passed: 'passed',
  failed: 'did not pass',
  rated: 'rated',
  asked: 'asked',
  responded: 'answered a question',
  voided: 'removed',
  initialized: 'opened',
  terminated: 'closed',
  launched: 'launched',
  satisfied: 'met the requirements of',
};

type Described = { id?: string; description?: Record<string, string> };

/** A response ("option-2", "yes") as the words the learner saw, when the activity lists them. */
function responseText(response: string, definition: { choices?: Described[]; scale?: Described[] } | undefined): string {
  const items = [...(definition?.choices ?? []), ...(definition?.scale ?? [])];
  const words = response
    .split('[,]')
    .map((id) => {
      const d = items.find((c) => c.id === id)?.description;
      return d ? (d['en-GB'] ?? Object.values(d)[0] ?? id) : id;
    })
    .join(', ');
  return `'${words}'`;
}

function display(s: StoredStatement): { verb: string; object: string; result: string } {
  const last = s.verb.id.split('/').pop() ?? s.verb.id;
  const verb = PLAIN_VERBS[last] ?? s.verb.display?.['en-GB'] ?? s.verb.display?.['en-US'] ?? last;
  const o = s.object as { id?: string; objectType?: string; definition?: { name?: Record<string, string>; choices?: Described[]; scale?: Described[] } };
  const name = o.definition?.name ? (o.definition.name['en-GB'] ?? Object.values(o.definition.name)[0]) : undefined;
  const object = o.objectType === 'StatementRef' ? `statement ${o.id ?? ''}` : (name ?? o.id ?? '');
  const r = s.result;
  const verdict = r?.success === true ? 'right' : r?.success === false ? 'wrong' : '';
  const said = r?.response ? responseText(r.response, o.definition) : '';
  const score = r?.score?.raw !== undefined ? `score ${r.score.raw} of ${r.score.max ?? ''}` : '';
  const result = r ? [said && verdict ? `${said} — ${verdict}` : said || verdict, score].filter(Boolean).join(', ') : '';
  return { verb, object, result };
}

function statementRow(s: StoredStatement): Cell[] {
  const d = display(s);
  return [{ text: s.stored, href: `/admin/statements/${encodeURIComponent(s.id)}` }, s.actor.account?.name ?? '(not a learner account)', d.verb, d.object, d.result, s.id];
}

const STATEMENT_HEAD = ['Stored', 'Learner', 'Verb', 'Object', 'Result', 'Statement id'];

export const statementsPage: Page = async (ctx) => {
  const q = ctx.query;
  const filter = filterFrom(q, ctx.idBase);
  const more = q.get('more')?.trim();
  const page = more ? await ctx.source.more(more) : await ctx.source.query({ ...filter, limit: 50 });
  const table: Table = { id: 'statements', caption: 'Statements (newest first)', head: STATEMENT_HEAD, rows: page.statements.map(statementRow) };
  const verbOptions = ['', ...Object.values(VERBS).map((v) => v.id)]
    .map((id) => `<option value="${esc(id)}"${q.get('verb') === id ? ' selected' : ''}>${esc(id ? id.split('/').pop() : 'any verb')}</option>`)
    .join('');
  const keep = new URLSearchParams([...q.entries()].filter(([k]) => ['verb', 'activity', 'agent', 'registration', 'from', 'to'].includes(k)));
  const form = `<form method="get" action="/admin/statements" class="admin-filters">
<div class="nhsuk-form-group"><label class="nhsuk-label" for="verb">Verb</label><select class="nhsuk-select" id="verb" name="verb">${verbOptions}</select></div>
${textInput('activity', 'Activity id', q.get('activity') ?? '', 'For example a lesson id from docs/xapi.md')}
${textInput('agent', 'Learner id (pseudonymous)', q.get('agent') ?? '')}
${textInput('registration', 'Registration (one lesson attempt)', q.get('registration') ?? '')}
${textInput('from', 'Stored from (YYYY-MM-DD)', q.get('from') ?? '')}
${textInput('to', 'Stored to (YYYY-MM-DD)', q.get('to') ?? '')}
<button class="nhsuk-button" type="submit">Show statements</button></form>`;
  const json = `/admin/export/statements.json?${keep.toString()}`;
  const next = page.more ? `<p class="nhsuk-body"><a href="/admin/statements?${new URLSearchParams([...keep.entries(), ['more', page.more]]).toString()}">Next page</a></p>` : '';
  const csv = new URLSearchParams([...keep.entries(), ['export', 'csv'], ['table', 'statements']]);
  const body = `${form}${renderTable(table, ctx.minCohort)}
${next}
<p class="nhsuk-body-s"><a href="/admin/statements?${csv.toString()}">Download every statement of this filter as CSV</a> · <a href="${esc(json)}">as xAPI JSON</a></p>`;
  return {
    title: 'Statements',
    body,
    tables: [table],
    fullExports: {
      statements: async () => {
        const rows: Cell[][] = [];
        for await (const s of allStatements(ctx.source, { ...filter, limit: 500 }, EXPORT_CAP)) rows.push(statementRow(s));
        return { ...table, rows };
      },
    },
  };
};

export async function statementsJson(ctx: PageContext): Promise<StoredStatement[]> {
  const out: StoredStatement[] = [];
  for await (const s of allStatements(ctx.source, { ...filterFrom(ctx.query, ctx.idBase), limit: 500 }, EXPORT_CAP)) out.push(s);
  return out;
}

export const statementPage: Page = async (ctx) => {
  const id = ctx.param ?? '';
  if (!UUID.test(id)) throw new AcademyError(404, 'A statement id is a UUID', 'id');
  const s = await ctx.source.get(id);
  if (!s) throw new AcademyError(404, `No statement ${id} (or it was voided)`, 'id');
  return { title: 'Statement', body: `<p class="nhsuk-body"><a href="/admin/statements">Back to statements</a></p><pre class="admin-json" tabindex="0" aria-label="The statement as JSON"><code>${esc(JSON.stringify(s, null, 2))}</code></pre>`, tables: [] };
};

// --- learners ---------------------------------------------------------------------------------------

export const learnersPage: Page = async (ctx) => {
  const id = ctx.query.get('id')?.trim() ?? '';
  const form = `<form method="get" action="/admin/learners">${textInput('id', 'Learner id', id, 'The pseudonymous id from a statement (a Teams object id, or dl_… for web chat). Names and emails are never recorded.')}<button class="nhsuk-button" type="submit">Look up</button></form>`;
  if (!id) return { title: 'Learners', body: form, tables: [] };
  if (id.length > 200) throw new AcademyError(400, 'id must be a learner id (at most 200 characters)', 'id');
  const rows: Cell[][] = [];
  const agent = learnerAgent(ctx.idBase, id);
  for await (const s of allStatements(ctx.source, { agent, ascending: true, limit: 500 }, 5000)) {
    if (s.actor.account?.name !== id) continue; // the academy's voiding statements point at theirs
    const d = display(s);
    const ext = (name: string) => s.context?.extensions?.[`${ctx.idBase}/extensions/${name}`];
    rows.push([{ text: s.timestamp, href: `/admin/statements/${encodeURIComponent(s.id)}` }, d.verb, d.object, d.result, String(ext('channel') ?? '')]);
  }
  const journey: Table = { id: 'journey', caption: `Journey of learner ${id}`, head: ['When', 'Did', 'What', 'Result', 'Channel'], rows };
  const json = `/admin/export/statements.json?agent=${encodeURIComponent(id)}`;
  return {
    title: 'Learners',
    body: `${form}${tables(ctx, journey)}<p class="nhsuk-body-s"><a href="${esc(json)}">This learner's statements as xAPI JSON</a></p>`,
    tables: [journey],
    auditWhat: `learner ${id}`,
  };
};
