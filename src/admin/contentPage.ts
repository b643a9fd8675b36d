/**
 * The admin's Content page: each lesson with its reviewer, last review, claims due for
 * rechecking, learners' reports on its cards, and the check questions most often answered wrong.
 */
import { claimsByDue, isoDay } from '../lessons/claims.js';
import type { Lesson } from '../lessons/types.js';
import { esc, fig, insetText, renderTable, type Cell, type Table } from './html.js';
import type { Page, PageContext } from './pages.js';
import type { ContentSource } from '../records/ports.js';


function exportHref(ctx: PageContext, id: string): string {
  const q = new URLSearchParams(ctx.query);
  q.set('export', 'csv');
  q.set('table', id);
  return `${ctx.path}?${q.toString()}`;
}

export function contentPage(source: ContentSource): Page {
  return async (ctx) => {
    const lessons = [...source.lessons()].sort((a, b) => a.topic.localeCompare(b.topic));
    const reports = await source.reports();
    const today = isoDay(ctx.now);
    const claims = claimsByDue(lessons, today);
    const agg = ctx.aggregates;
    const wrong = agg.prefix('wrong:').filter((c) => c.statements > 0);
    const answered = new Map(agg.prefix('answered:').map((c) => [c.key, c]));
    const cardTitle = (card: string): string => {
      const [lessonId, , n] = card.split('/');
      return lessons.find((l) => l.id === lessonId)?.cards[Number(n) - 1]?.title ?? '';
    };

    const perLesson: Table = {
      id: 'content-lessons',
      caption: 'Lessons: review, claims to recheck, learners’ reports and wrong answers',
      head: ['Lesson', 'Reviewer', 'Last review', 'Claims due or expired', 'Next claim due', 'Learners’ reports', 'Question most often wrong'],
      rows: lessons.map((l): Cell[] => {
        const mine = claims.filter((c) => c.lesson === l);
        const due = mine.filter((c) => c.status === 'due' || c.status === 'expired').length;
        const worst = wrong.filter((c) => c.key.startsWith(`wrong:${l.id}:`)).sort((a, b) => b.statements - a.statements)[0];
        const worstText = worst ? `${l.checks[Number(worst.key.split(':')[2]) - 1]?.question ?? `Question ${Number(worst.key.split(':')[2])}`}` : 'none yet';
        return [
          { text: l.title, href: `/admin/topics/${encodeURIComponent(l.id)}` },
          l.reviewer,
          l.lastReviewed,
          `${due} of ${mine.length}`,
          mine[0]?.due ?? 'no claims marked',
          reports.filter((r) => r.card.startsWith(`${l.id}/card/`)).length,
          worstText,
        ];
      }),
    };

    const reportTable: Table = {
      id: 'content-reports',
      caption: 'Learners’ reports on lesson cards, newest first',
      head: ['Card id', 'Lesson', 'Card', 'Note', 'Reported'],
      rows: [...reports]
        .sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))
        .slice(0, 200)
        .map((r): Cell[] => [r.card, lessons.find((l) => r.card.startsWith(`${l.id}/card/`))?.title ?? r.topic, cardTitle(r.card), r.note ?? 'no note', r.reportedAt.slice(0, 16).replace('T', ' ')]),
    };

    const dueTable: Table = {
      id: 'content-claims-due',
      caption: 'Claims to recheck (due 6 months after the check, expired after 12)',
      head: ['Due', 'Status', 'Lesson', 'Where', 'Kind', 'Claim', 'Checked', 'Source'],
      rows: claims
        .filter((c) => c.status !== 'ok')
        .map((c): Cell[] => [c.due, c.status, c.lesson.title, c.claim.where, c.claim.kind, c.claim.says, c.claim.checked, { text: c.claim.source, href: c.claim.source }]),
    };

    const mostWrong: Table = {
      id: 'content-most-wrong',
      caption: 'Check questions most often answered wrong',
      head: ['Question', 'Lesson', 'Wrong answers', 'All answers'],
      rows: [...wrong]
        .sort((a, b) => b.statements - a.statements)
        .slice(0, 10)
        .map((c): Cell[] => {
          const [, lessonId, n] = c.key.split(':') as [string, string, string];
          const lesson = lessons.find((l) => l.id === lessonId);
          const all = answered.get(`answered:${lessonId}:${n}`);
          return [lesson?.checks[Number(n) - 1]?.question ?? agg.name(`question:${lessonId}:${n}`) ?? `Question ${Number(n)}`, lesson?.title ?? lessonId, fig(c.statements, c.learners), fig(all?.statements ?? 0, all?.learners ?? 0)];
        }),
    };

    const tables = [perLesson, reportTable, dueTable, mostWrong];
    const intro = `<p class="nhsuk-body">${esc(`${claims.length} marked claims in ${lessons.length} lessons; ${dueTable.rows.length} due or expired today (${today}). Learners report a card with “Report a problem” under it; each report is also in the Questions queue with its card id.`)}</p>`;
    const empty = lessons.length === 0 ? insetText('No lessons are loaded.') : '';
    const body = `${empty}${intro}${tables.map((t) => renderTable(t, ctx.minCohort, exportHref(ctx, t.id))).join('\n')}`;
    return { title: 'Content', body, tables };
  };
}
