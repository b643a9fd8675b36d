/**
 * The admin review of the learning records, at /admin: one call for the composition root.
 *
 *   const admin = registerAdmin(server, { config, store: lrs.store, authority: lrs.authority, clock, ids, log });
 *   await admin.eraseLearner('dl_…');   // voids the learner's statements, updates the figures
 *   admin.close();
 *
 * Pages read figures from an incrementally fed aggregate store (aggregates.ts) and statements
 * from a StatementSource (the embedded LRS, or LRS_ENDPOINT). Every view and export is audited.
 * The route table is below; the handlers are in handlers/, sharing an AdminContext (context.ts).
 */
import type { Server } from 'restify';
import { registerRoutes, type Route } from '../http/index.js';
import { contentPage } from './contentPage.js';
import { emptyContent } from '../records/ports.js';
import { adminContext, type AdminContext } from './context.js';
import { eraseLearner } from './erase.js';
import { attachQuestion, chooseChampionsConversation, formPost, markHandled } from './handlers/forms.js';
import { exportStatements, pageHandler } from './handlers/pages.js';
import { finishEntraSignIn, signIn, signInForm, signOut, startEntraSignIn } from './handlers/signIn.js';
import { auditPage, championsPage, learnersPage, overviewPage, questionsPage, statementPage, statementsPage, topicPage, topicsPage, type Page } from './pages.js';
import { renderPrivacyPage } from './privacy.js';
import { staticRoutes } from './static.js';
import type { AdminDeps, AdminHandle } from './types.js';

export type { AdminDeps, AdminHandle } from './types.js';

function pageRoutes(ctx: AdminContext, deps: AdminDeps): Route[] {
  const page = (path: string, current: string, build: Page, param?: string): Route => ({ method: 'get', path, handler: pageHandler(ctx, current, build, param) });
  return [
    page('/admin', '/admin', overviewPage),
    page('/admin/topics', '/admin/topics', topicsPage),
    page('/admin/topics/:lesson', '/admin/topics', topicPage, 'lesson'),
    page('/admin/questions', '/admin/questions', questionsPage),
    page('/admin/content', '/admin/content', contentPage(deps.content ?? emptyContent)),
    page('/admin/champions', '/admin/champions', championsPage),
    page('/admin/learners', '/admin/learners', learnersPage),
    page('/admin/statements', '/admin/statements', statementsPage),
    page('/admin/statements/:id', '/admin/statements', statementPage, 'id'),
    page('/admin/audit', '/admin/audit', auditPage),
    { method: 'get', path: '/admin/export/statements.json', handler: exportStatements(ctx) },
  ];
}

function formRoutes(ctx: AdminContext): Route[] {
  return [
    { method: 'post', path: '/admin/questions/:id/attach', handler: formPost(ctx, attachQuestion(ctx)) },
    { method: 'post', path: '/admin/questions/:id/handled', handler: formPost(ctx, markHandled(ctx)) },
    { method: 'post', path: '/admin/champions/conversation', handler: formPost(ctx, chooseChampionsConversation(ctx)) },
    { method: 'get', path: '/admin/sign-in', handler: signInForm(ctx) },
    { method: 'post', path: '/admin/sign-in', handler: signIn(ctx) },
    { method: 'post', path: '/admin/auth/start', handler: startEntraSignIn(ctx) },
    { method: 'get', path: '/admin/auth/callback', handler: finishEntraSignIn(ctx) },
    { method: 'post', path: '/admin/sign-out', handler: signOut(ctx) },
  ];
}

export function registerAdmin(server: Server, deps: AdminDeps): AdminHandle {
  const ctx = adminContext(deps);
  const { aggregates, audit, source, sessions, log } = ctx;
  registerRoutes(server, [...staticRoutes(), ...pageRoutes(ctx, deps), ...formRoutes(ctx)]);
  if (deps.privacyPage !== false) {
    const privacy: Route = { method: 'get', path: '/privacy', handler: async (_req, res) => ctx.replies.html(res, 200, renderPrivacyPage(ctx.replies.cssHref, ctx.minCohort)) };
    registerRoutes(server, [privacy]);
  }

  // New statements are read in the background too, so page views rarely wait.
  const timer = setInterval(() => {
    aggregates.catchUp(2000).catch((e) => log(`Admin figures: ${String(e)}`));
  }, 10_000);
  timer.unref();

  return {
    aggregates,
    audit,
    source,
    eraseLearner: (learnerId) => eraseLearner(deps, aggregates, learnerId),
    refresh: async () => {
      await aggregates.catchUp();
    },
    sessionCount: () => sessions.size,
    close: () => {
      clearInterval(timer);
      aggregates.close();
      audit.close();
    },
  };
}

export { AggregateStore } from './aggregates.js';
export { AuditLog, type AuditEntry } from './audit.js';
export { ADMIN_ROLE, networkWithCa } from './auth.js';
export { EmbeddedStatementSource, HttpStatementSource } from '../records/sources.js';
export * from '../records/ports.js';
