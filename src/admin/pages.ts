/**
 * The admin pages: each builds its tables from the aggregates or a StatementSource and returns
 * HTML plus the tables (so any table can be exported as CSV with the same suppression).
 */
import { AcademyError } from '../errors.js';
import { TOPIC_AREAS, TOPICS, areaByCode } from '../lessons/syllabus.js';
import type { Actor, StoredStatement } from '../lrs/types.js';
import { VERBS } from '../xapi/profile.js';
import type { AggregateStore, Count } from './aggregates.js';
import type { AuditLog } from './audit.js';
import { barChart, esc, fig, hidden, insetText, renderTable, summaryList, textInput, type Cell, type Figure, type Table } from './html.js';
import type { ChampionSource, CurationSource, StatementFilter, StatementSource } from '../records/ports.js';
import { allStatements } from '../records/sources.js';

export interface PageContext {
  readonly query: URLSearchParams;
  /** Path parameter (lesson id, statement id). */
  readonly param?: string;
  readonly csrf: string;
  readonly now: Date;
  readonly minCohort: number;
  readonly idBase: string;
  readonly aggregates: AggregateStore;
  readonly source: StatementSource;
  readonly curation: CurationSource;
  readonly champions: ChampionSource;
  readonly audit: AuditLog;
  /** The page's path, for export links. */
  readonly path: string;
}

export interface PageResult {
  readonly title: string;
  readonly body: string;
  readonly tables: readonly Table[];
  /** Tables whose CSV is more than what the page shows at once (every statement of a filter). */
  readonly fullExports?: Readonly<Record<string, () => Promise<Table>>>;
  /** What the audit log records for this view (default: the path and query). */
  readonly auditWhat?: string;
}

export type Page = (ctx: PageContext) => Promise<PageResult>;

const EXPORT_CAP = 100_000;

function exportHref(ctx: PageContext, tableId: string): string {
  const q = new URLSearchParams(ctx.query);
  q.delete('more');
  q.set('export', 'csv');
  q.set('table', tableId);
  return `${ctx.path}?${q.toString()}`;
}

function tables(ctx: PageContext, ...list: Table[]): string {
  return list.map((t) => renderTable(t, ctx.minCohort, exportHref(ctx, t.id))).join('\n');
}

function day(d: Date, minusDays = 0): string {
  return new Date(d.getTime() - minusDays * 86_400_000).toISOString().slice(0, 10);
}

const byKey = (counts: Count[]) => new Map(counts.map((c) => [c.key, c]));
const learnersOf = (m: Map<string, Count>, key: string): Figure => fig(m.get(key)?.learners ?? 0);

function lessonName(agg: AggregateStore, lesson: string): string {
  return agg.name(`lesson:${lesson}`) ?? lesson;
}

/** A topic code (data.dspt) as the title of its lesson, or in words when no one has taken it yet. */
export function topicTitle(agg: Pick<AggregateStore, 'name'>, code: string | null | undefined): string {
  if (!code) return 'no topic';
  const named = agg.name(`lesson:${code.replace(/\./g, '-')}`);
  if (named) return named;
  const covers = TOPICS.find((t) => t.code === code)?.covers.split(':')[0];
  return covers ? covers.charAt(0).toUpperCase() + covers.slice(1) : code;
}

/** A time in plain words, in the UK's time zone: "4 Dec 2026, 15:02". */
export function localTime(iso: string | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')}`;
}

/** Below MIN_COHORT learners in all: why the figures read "fewer than N". */
function cohortNotice(learners: number, minCohort: number): string {
  return learners < minCohort ? insetText(`Figures appear when at least ${minCohort} learners have taken part (now: fewer than ${minCohort}).`) : '';
}

// --- overview ---------------------------------------------------------------------------------

export const overviewPage: Page = async (ctx) => {
  const agg = ctx.aggregates;
  const kinds = ['started', 'completed', 'passed'] as const;
  const all = byKey(agg.prefix('all:'));
  const headline: Table = {
    id: 'headline',
    caption: 'Headline figures',
    head: ['Figure', 'Number', 'Learners'],
    rows: [
      ['Active learners, last 7 days', fig(agg.activeLearnersSince(day(ctx.now, 6))), fig(agg.activeLearnersSince(day(ctx.now, 6)))],
      ['Active learners, last 30 days', fig(agg.activeLearnersSince(day(ctx.now, 29))), fig(agg.activeLearnersSince(day(ctx.now, 29)))],
      ...kinds.map((k): Cell[] => {
        const c = all.get(`all:${k}`) ?? { learners: 0, statements: 0 };
        return [`Lessons ${k}`, fig(c.statements, c.learners), fig(c.learners)];
      }),
    ],
  };
  const dimension = (dim: string, caption: string, label: (v: string) => string): Table => {
    const counts = agg.prefix(`dim:${dim}:`);
    const values = [...new Set(counts.map((c) => c.key.slice(`dim:${dim}:`.length, c.key.lastIndexOf(':'))))].sort();
    const m = byKey(counts);
    return {
      id: `by-${dim}`,
      caption,
      head: [caption.replace(/^Learners by (.)/, (_m, c: string) => c.toUpperCase()), 'Started a lesson', 'Completed a lesson', 'Passed a lesson'],
      rows: values.map((v) => [label(v), ...kinds.map((k) => learnersOf(m, `dim:${dim}:${v}:${k}`))]),
    };
  };
  const byChannel = dimension('channel', 'Learners by channel', (v) => ({ msteams: 'Microsoft Teams', webchat: 'Web chat', lms: 'Learning management system' })[v] ?? v);
  const byAudience = dimension('audience', 'Learners by audience', (v) => ({ nhs: 'NHS staff', 'social-care': 'Social care', both: 'Digital champions' })[v] ?? v);
  const byArea = dimension('area', 'Learners by topic area', (v) => areaByCode(v)?.title ?? v);
  const byDomain = dimension('domain', 'Learners by framework domain', (v) => v.charAt(0).toUpperCase() + v.slice(1));

  const days = Array.from({ length: 30 }, (_, i) => day(ctx.now, 29 - i));
  const series = byKey(agg.prefix('day:').filter((c) => c.key.slice(4, 14) >= days[0]!));
  const seriesRows = days.map((d): Cell[] => {
    const active = series.get(`day:${d}:active`);
    const started = series.get(`day:${d}:started`);
    const completed = series.get(`day:${d}:completed`);
    return [d, fig(active?.learners ?? 0), fig(started?.statements ?? 0, started?.learners ?? 0), fig(completed?.statements ?? 0, completed?.learners ?? 0)];
  });
  const timeSeries: Table = { id: 'daily', caption: 'Day by day, last 30 days', head: ['Day', 'Active learners', 'Lessons started', 'Lessons completed'], rows: seriesRows };
  const chart = barChart('Active learners per day, last 30 days', days, seriesRows.map((r) => r[1] as Figure), ctx.minCohort);
  const body = `${cohortNotice(Math.max(all.get('all:started')?.learners ?? 0, agg.activeLearnersSince(day(ctx.now, 29))), ctx.minCohort)}${tables(ctx, headline)}
<h2 class="nhsuk-heading-m">Who learns, and where</h2>
${tables(ctx, byChannel, byAudience, byArea, byDomain)}
<h2 class="nhsuk-heading-m">Over time</h2>
${chart}
${tables(ctx, timeSeries)}`;
  return { title: 'Overview', body, tables: [headline, byChannel, byAudience, byArea, byDomain, timeSeries] };
};

// --- topics -------------------------------------------------------------------------------------

function wrongAnswers(ctx: PageContext, lesson?: string): Table {
  const agg = ctx.aggregates;
  const prefix = lesson ? `wrong:${lesson}:` : 'wrong:';
  const answered = byKey(agg.prefix(lesson ? `answered:${lesson}:` : 'answered:'));
  const rows = agg
    .prefix(prefix)
    .filter((c) => c.statements > 0)
    .sort((a, b) => b.statements - a.statements)
    .slice(0, lesson ? 50 : 10)
    .map((c): Cell[] => {
      const [, l, n] = c.key.split(':') as [string, string, string];
      const all = answered.get(`answered:${l}:${n}`) ?? { learners: 0, statements: 0 };
      const share = c.learners >= ctx.minCohort && all.learners >= ctx.minCohort && all.statements > 0 ? `${Math.round((100 * c.statements) / all.statements)}%` : 'not shown (few learners)';
      return [agg.name(`question:${l}:${n}`) ?? `Question ${Number(n)}`, lessonName(agg, l), fig(c.statements, c.learners), fig(all.statements, all.learners), share];
    });
  return { id: lesson ? 'wrong' : 'most-wrong', caption: 'Check questions most often answered wrong', head: ['Question', 'Lesson', 'Wrong answers', 'All answers', 'Share wrong'], rows };
}

export const topicsPage: Page = async (ctx) => {
  const agg = ctx.aggregates;
  const counts = byKey(agg.prefix('lesson:'));
  const lessons = [...new Set([...counts.keys()].map((k) => k.split(':')[1] ?? ''))].sort((a, b) => lessonName(agg, a).localeCompare(lessonName(agg, b)));
  const perLesson: Table = {
    id: 'lessons',
    caption: 'Lessons: learners at each stage',
    head: ['Lesson', 'Started', 'Completed', 'Passed', 'Did not pass'],
    rows: lessons.map((l) => [
      { text: lessonName(agg, l), href: `/admin/topics/${encodeURIComponent(l)}` },
      learnersOf(counts, `lesson:${l}:started`),
      learnersOf(counts, `lesson:${l}:completed`),
      learnersOf(counts, `lesson:${l}:passed`),
      learnersOf(counts, `lesson:${l}:failed`),
    ]),
  };
  const wrong = wrongAnswers(ctx);
  return { title: 'Topics', body: `<p class="nhsuk-body">Choose a lesson to see its funnel, card by card.</p>${tables(ctx, perLesson, wrong)}`, tables: [perLesson, wrong] };
};

export const topicPage: Page = async (ctx) => {
  const agg = ctx.aggregates;
  const lesson = ctx.param ?? '';
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(lesson)) throw new AcademyError(404, 'There is no such lesson', 'lesson');
  const counts = byKey(agg.prefix(`lesson:${lesson}:`));
  const cards = agg.prefix(`card:${lesson}:`);
  const steps: [string, Figure][] = [
    ['Started', learnersOf(counts, `lesson:${lesson}:started`)],
    ...cards.map((c): [string, Figure] => {
      const n = c.key.split(':')[2] ?? '';
      return [`Card ${Number(n)}: ${agg.name(c.key) ?? ''}`, fig(c.learners)];
    }),
    ['Completed', learnersOf(counts, `lesson:${lesson}:completed`)],
    ['Passed', learnersOf(counts, `lesson:${lesson}:passed`)],
  ];
  const funnel: Table = { id: 'funnel', caption: 'Funnel: learners who reached each step', head: ['Step', 'Learners'], rows: steps.map(([s, f]) => [s, f]) };
  const wrong = wrongAnswers(ctx, lesson);
  const chart = barChart(`Funnel of ${lessonName(agg, lesson)}`, steps.map(([s]) => s), steps.map(([, f]) => f), ctx.minCohort);
  return { title: lessonName(agg, lesson), body: `<p class="nhsuk-body"><a href="/admin/topics">All topics</a></p>${chart}${tables(ctx, funnel, wrong)}`, tables: [funnel, wrong] };
};

// --- questions (curation) -------------------------------------------------------------------------

export const questionsPage: Page = async (ctx) => {
  const items = await ctx.curation.list();
  const asked = (i: (typeof items)[number]): Figure => fig(i.count, i.people ?? i.count);
  const most: Table = {
    id: 'most-asked',
    caption: "Learners' unanswered questions, most asked first",
    head: ['Question', 'Times asked', 'Topic', 'Helpful', 'Not helpful'],
    rows: [...items]
      .sort((a, b) => b.count - a.count)
      .slice(0, 20)
      .map((i) => [i.question, asked(i), topicTitle(ctx.aggregates, i.topic), fig(i.feedback?.helpful ?? 0, i.people ?? i.count), fig(i.feedback?.notHelpful ?? 0, i.people ?? i.count)]),
  };
  const open = items.filter((i) => i.status === 'open');
  const queue: Table = {
    id: 'queue',
    caption: 'Curation queue',
    head: ['Question', 'Times asked', 'Last asked', 'Topic'],
    rows: open.map((i) => [i.question, asked(i), localTime(i.lastAsked), topicTitle(ctx.aggregates, i.topic)]),
  };
  const topicOptions = TOPICS.map((t) => `<option value="${esc(t.code)}">${esc(topicTitle(ctx.aggregates, t.code))}</option>`).join('');
  const forms = open
    .slice(0, 50)
    .map(
      (i, n) => `<div class="nhsuk-card"><div class="nhsuk-card__content"><h3 class="nhsuk-card__heading nhsuk-heading-s">${esc(i.question)}</h3>
<form method="post" action="/admin/questions/${encodeURIComponent(i.id)}/attach">${hidden('_csrf', ctx.csrf)}
<div class="nhsuk-form-group"><label class="nhsuk-label" for="topic-${n}">Add as a new way of asking about</label><select class="nhsuk-select" id="topic-${n}" name="topic">${topicOptions}</select></div>
<button class="nhsuk-button nhsuk-button--small" type="submit">Add to topic</button></form>
<form method="post" action="/admin/questions/${encodeURIComponent(i.id)}/handled">${hidden('_csrf', ctx.csrf)}<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Mark as handled</button></form>
</div></div>`,
    )
    .join('\n');
  const counts: Table = {
    id: 'queue-counts',
    caption: 'Queue counts',
    head: ['Status', 'Questions'],
    rows: [
      ['Open', open.length],
      ['Handled', items.length - open.length],
    ],
  };
  // a question a curator attached to a topic is one the bot did not answer from that topic: it missed it
  const missedBy = new Map<string, string[]>();
  for (const i of items) {
    if (!i.attachedTo) continue;
    missedBy.set(i.attachedTo, [...(missedBy.get(i.attachedTo) ?? []), i.question]);
  }
  const missed: Table = {
    id: 'missed-by-topic',
    caption: 'Questions that missed each topic (attached by a curator)',
    head: ['Topic', 'Questions', 'Asked as'],
    rows: [...missedBy.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).map(([topic, qs]) => [topic, qs.length, qs.join(' | ')]),
  };
  const empty = items.length === 0 ? insetText('No questions yet: the question-answering side fills this list when learners ask things.') : '';
  return { title: 'Questions', body: `${empty}${tables(ctx, most, counts, queue, missed)}${forms ? `<h2 class="nhsuk-heading-m">Curate</h2>${forms}` : ''}`, tables: [most, counts, queue, missed] };
};

// --- champions --------------------------------------------------------------------------------------

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export const championsPage: Page = async (ctx) => {
  const requests = await ctx.champions.list();
  const minutes = (r: (typeof requests)[number]) => (r.answeredAt ? (Date.parse(r.answeredAt) - Date.parse(r.askedAt)) / 60_000 : undefined);
  const group = new Map<string, typeof requests>();
  for (const r of requests) group.set(r.topic ?? 'no topic', [...(group.get(r.topic ?? 'no topic') ?? []), r]);
  const row = (label: string, list: typeof requests): Cell[] => {
    const answered = list.filter((r) => r.answeredAt);
    const med = median(answered.map((r) => minutes(r) ?? 0));
    // A time is not a count of people: it is never suppressed.
    return [label, fig(list.length), fig(answered.length, list.length), med === undefined ? 'none answered' : `${Math.round(med)} minutes`];
  };
  const table: Table = {
    id: 'help-requests',
    caption: 'Help requests and how fast they were answered',
    head: ['Topic', 'Requests', 'Answered', 'Median time to answer'],
    rows: [row('All topics', requests), ...[...group.entries()].sort().map(([t, list]) => row(t === 'no topic' ? t : topicTitle(ctx.aggregates, t), list))],
  };
  const empty = requests.length === 0 ? insetText('No help requests yet: they appear here when learners ask a digital champion for help.') : '';
  return { title: 'Champions', body: `${await championsPlaceSection(ctx)}${empty}${tables(ctx, table)}`, tables: [table] };
};

/** Where champions' questions go, and (unless config sets it) a form to pick a Teams conversation the bot is in. */
async function championsPlaceSection(ctx: PageContext): Promise<string> {
  if (!ctx.champions.place) return '';
  const place = await ctx.champions.place();
  const where = place.id ? `${place.kind === 'team' ? 'Teams team' : 'Teams conversation'} ${place.id}` : 'not chosen yet';
  const rows: [string, string][] = [
    ["Champions' conversation", where],
    ['Set by', place.source === 'config' ? 'config (CHAMPIONS_TEAM_ID or CHAMPIONS_CONVERSATION_ID)' : place.source === 'admin' ? 'an admin, on this page' : 'nobody'],
    ['Questions can be posted there', place.reachable ? 'yes' : 'not yet: type "champions here" in that chat in Teams'],
  ];
  const heading = `<h2 class="nhsuk-heading-m">Where champions answer</h2>${summaryList(rows)}`;
  if (place.source === 'config' || !ctx.champions.candidates) return heading;
  const candidates = await ctx.champions.candidates();
  if (candidates.length === 0) return `${heading}${insetText('Add the academy bot to the champions\' team or group chat in Teams (or type "champions here" there): it is then listed here to pick.')}`;
  const options = candidates.map((c) => `<option value="${esc(c.id)}">${esc(`${c.kind} ${c.id}${c.teamId ? ` (team ${c.teamId})` : ''}, last seen ${c.seenAt}`)}</option>`).join('');
  return `${heading}<form method="post" action="/admin/champions/conversation">${hidden('_csrf', ctx.csrf)}
<div class="nhsuk-form-group"><label class="nhsuk-label" for="champions-conversation">Teams conversation the bot is in</label><select class="nhsuk-select" id="champions-conversation" name="conversation">${options}</select></div>
<button class="nhsuk-button nhsuk-button--small" type="submit">Make this the champions' conversation</button></form>`;
}

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

// --- audit ------------------------------------------------------------------------------------------

export const auditPage: Page = async (ctx) => {
  const before = Number(ctx.query.get('before') ?? '') || undefined;
  const entries = ctx.audit.list(100, before);
  const table: Table = { id: 'audit', caption: 'Audit log (newest first)', head: ['When', 'Who', 'Action', 'What'], rows: entries.map((e) => [e.at, e.who, e.action, e.what]) };
  const last = entries[entries.length - 1];
  const next = entries.length === 100 && last ? `<p class="nhsuk-body"><a href="/admin/audit?before=${last.seq}">Older entries</a></p>` : '';
  return { title: 'Audit log', body: `<p class="nhsuk-body">Every admin page view, export and sign-in. Entries cannot be changed or deleted.</p>${tables(ctx, table)}${next}`, tables: [table] };
};

export { TOPIC_AREAS };
