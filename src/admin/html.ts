/**
 * Server-rendered HTML for the admin pages, in the NHS design system's markup (nhsuk-frontend's
 * CSS, served locally). Pure functions: data in, strings out. Figures about fewer than MIN_COHORT
 * learners are written "fewer than N" here and in CSV, the one place both go through.
 */

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A number about `learners` learners (for a count of learners, value = learners). */
export interface Figure {
  readonly value: number;
  readonly learners: number;
}

export type Cell = string | number | Figure | { readonly text: string; readonly href: string };

export interface Table {
  /** Unique on the page: the CSV export names it. */
  readonly id: string;
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export const fig = (value: number, learners: number = value): Figure => ({ value, learners });

function isFigure(cell: Cell): cell is Figure {
  return typeof cell === 'object' && 'learners' in cell;
}

function isLink(cell: Cell): cell is { readonly text: string; readonly href: string } {
  return typeof cell === 'object' && 'href' in cell;
}

/** The one suppression rule: 0 is shown, 1..minCohort-1 learners are "fewer than minCohort". */
export function suppressed(f: Figure, minCohort: number): boolean {
  return f.learners > 0 && f.learners < minCohort;
}

export function figureText(f: Figure, minCohort: number): string {
  return suppressed(f, minCohort) ? `fewer than ${minCohort}` : f.value.toLocaleString('en-GB');
}

export function cellText(cell: Cell, minCohort: number): string {
  if (typeof cell === 'number') return cell.toLocaleString('en-GB');
  if (typeof cell === 'string') return cell;
  if (isFigure(cell)) return figureText(cell, minCohort);
  return cell.text;
}

function numeric(cell: Cell): boolean {
  return typeof cell === 'number' || (typeof cell === 'object' && isFigure(cell));
}

export function renderTable(table: Table, minCohort: number, exportHref?: string): string {
  const head = table.head.map((h, i) => `<th scope="col" class="nhsuk-table__header${table.rows[0] && numeric(table.rows[0][i] ?? '') ? ' nhsuk-table__header--numeric' : ''}">${esc(h)}</th>`).join('');
  const body =
    table.rows.length === 0
      ? `<tr class="nhsuk-table__row"><td class="nhsuk-table__cell" colspan="${table.head.length}">Nothing recorded yet.</td></tr>`
      : table.rows
          .map((row) => {
            const cells = row
              .map((cell, i) => {
                const content = isLink(cell) ? `<a href="${esc(cell.href)}">${esc(cell.text)}</a>` : esc(cellText(cell, minCohort));
                const cls = `nhsuk-table__cell${numeric(cell) ? ' nhsuk-table__cell--numeric' : ''}`;
                return i === 0 ? `<th scope="row" class="${cls}">${content}</th>` : `<td class="${cls}">${content}</td>`;
              })
              .join('');
            return `<tr class="nhsuk-table__row">${cells}</tr>`;
          })
          .join('\n');
  const download = exportHref ? `<p class="nhsuk-body-s"><a href="${esc(exportHref)}">Download “${esc(table.caption)}” as CSV</a></p>` : '';
  return `<div class="nhsuk-table-container"><table class="nhsuk-table" id="table-${esc(table.id)}">
<caption class="nhsuk-table__caption nhsuk-table__caption--m">${esc(table.caption)}</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${head}</tr></thead>
<tbody class="nhsuk-table__body">
${body}
</tbody></table></div>${download}`;
}

/** One CSV cell. Text that begins with = + - @, a tab or a CR is prefixed with ' so no spreadsheet runs it as a formula. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The table as CSV (RFC 4180), with the same suppression as the page; numbers without separators. */
export function tableCsv(table: Table, minCohort: number): string {
  const value = (cell: Cell): string | number => {
    if (typeof cell === 'number' || typeof cell === 'string') return cell;
    if (!isFigure(cell)) return cell.text;
    return suppressed(cell, minCohort) ? `fewer than ${minCohort}` : cell.value;
  };
  return [table.head.map(csvField).join(','), ...table.rows.map((row) => row.map((c) => csvField(value(c))).join(','))].join('\r\n') + '\r\n';
}

/** A bar chart as SVG; the same numbers are always in a table next to it. Suppressed bars are not drawn. */
export function barChart(title: string, labels: readonly string[], values: readonly Figure[], minCohort: number): string {
  const width = 720;
  const height = 220;
  const pad = 30;
  const shown = values.map((v) => (suppressed(v, minCohort) ? 0 : v.value));
  const max = Math.max(1, ...shown);
  const step = (width - pad * 2) / Math.max(1, labels.length);
  const bars = shown
    .map((v, i) => {
      const h = Math.round(((height - pad * 2) * v) / max);
      return `<rect class="admin-chart__bar" x="${(pad + i * step + 1).toFixed(1)}" y="${height - pad - h}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h}"></rect>`;
    })
    .join('');
  const first = labels[0] ?? '';
  const last = labels[labels.length - 1] ?? '';
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return `<figure class="admin-chart"><svg role="img" aria-labelledby="${id}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">
<title id="${id}">${esc(title)}: a bar chart of the figures in the table below (highest ${max.toLocaleString('en-GB')})</title>
<line class="admin-chart__axis" x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}"></line>${bars}
<text class="admin-chart__label" x="${pad}" y="${height - 8}">${esc(first)}</text>
<text class="admin-chart__label" x="${width - pad}" y="${height - 8}" text-anchor="end">${esc(last)}</text>
<text class="admin-chart__label" x="${pad}" y="${pad - 10}">${max.toLocaleString('en-GB')}</text>
</svg><figcaption class="nhsuk-body-s">${esc(title)}</figcaption></figure>`;
}

export interface NavItem {
  readonly href: string;
  readonly text: string;
}

export const NAV: readonly NavItem[] = [
  { href: '/admin', text: 'Overview' },
  { href: '/admin/topics', text: 'Topics' },
  { href: '/admin/questions', text: 'Questions' },
  { href: '/admin/content', text: 'Content' },
  { href: '/admin/champions', text: 'Champions' },
  { href: '/admin/learners', text: 'Learners' },
  { href: '/admin/statements', text: 'Statements' },
  { href: '/admin/audit', text: 'Audit log' },
];

export interface LayoutOptions {
  readonly title: string;
  readonly body: string;
  readonly cssHref: string;
  /** Signed-in admin; absent on the sign-in pages. */
  readonly user?: string;
  readonly csrf?: string;
  readonly current?: string;
  readonly footer?: string;
}

export function layout(o: LayoutOptions): string {
  const nav = o.user
    ? `<nav class="nhsuk-header__navigation" aria-label="Admin pages"><div class="nhsuk-header__navigation-container nhsuk-width-container"><ul class="nhsuk-header__navigation-list">${NAV.map(
        (n) => `<li class="nhsuk-header__navigation-item${o.current === n.href ? ' nhsuk-header__navigation-item--current' : ''}"><a class="nhsuk-header__navigation-link" href="${n.href}"${o.current === n.href ? ' aria-current="page"' : ''}>${esc(n.text)}</a></li>`,
      ).join('')}</ul></div></nav>`
    : '';
  const account = o.user
    ? `<div class="admin-account nhsuk-width-container"><p class="nhsuk-body-s">Signed in as ${esc(o.user)}</p><form method="post" action="/admin/sign-out"><input type="hidden" name="_csrf" value="${esc(o.csrf ?? '')}"><button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">Sign out</button></form></div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(o.title)} – Academy admin</title>
<link rel="stylesheet" href="${o.cssHref}">
<link rel="stylesheet" href="/admin/static/admin.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
<header class="nhsuk-header" role="banner">
<div class="nhsuk-header__container nhsuk-width-container"><div class="nhsuk-header__service"><a class="nhsuk-header__service-name admin-service-name" href="/admin">Digital Skills Academy admin</a></div></div>
${nav}
</header>
${account}
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent" role="main">
<h1 class="nhsuk-heading-l">${esc(o.title)}</h1>
${o.body}
</main>
</div>
<footer role="contentinfo"><div class="nhsuk-footer"><div class="nhsuk-width-container"><p class="nhsuk-body-s">${o.footer ?? 'Learning records are pseudonymous. Every admin page view and export is written to the audit log.'}</p></div></div></footer>
</body>
</html>
`;
}

/** A summary list (label → value). */
export function summaryList(rows: readonly (readonly [string, string])[]): string {
  return `<dl class="nhsuk-summary-list">${rows.map(([k, v]) => `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${esc(k)}</dt><dd class="nhsuk-summary-list__value">${esc(v)}</dd></div>`).join('')}</dl>`;
}

export function insetText(text: string): string {
  return `<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>${esc(text)}</p></div>`;
}

export function textInput(name: string, label: string, value: string, hint?: string, type = 'text'): string {
  const hintId = hint ? ` aria-describedby="${name}-hint"` : '';
  return `<div class="nhsuk-form-group"><label class="nhsuk-label" for="${name}">${esc(label)}</label>${hint ? `<div class="nhsuk-hint" id="${name}-hint">${esc(hint)}</div>` : ''}<input class="nhsuk-input" id="${name}" name="${name}" type="${type}" value="${esc(value)}"${hintId}></div>`;
}

export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
}
