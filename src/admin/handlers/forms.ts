/** The admin forms: curation of learners' questions and the champions' conversation. */
import type { Request, Response } from 'restify';
import { AcademyError } from '../../errors.js';
import { pathParam, readForm, type RouteHandler } from '../../http/index.js';
import type { Session } from '../auth.js';
import { signedIn, type AdminContext } from '../context.js';

type FormHandler = (req: Request, res: Response, session: Session, form: URLSearchParams) => Promise<void>;

/** The most a posted admin form may be. */
export const FORM_LIMIT = 16 * 1024;

/** A posted form (at most FORM_LIMIT bytes), 413 when larger. */
export function readAdminForm(req: Request): Promise<URLSearchParams> {
  return readForm(req, { limit: FORM_LIMIT, tooLarge: () => new AcademyError(413, 'The form is too large', 'body') });
}

/** A form post from a signed-in admin with the session's CSRF token. */
export function formPost(ctx: AdminContext, handle: FormHandler): RouteHandler {
  return async (req, res) => {
    const session = signedIn(ctx, req, res, 'data');
    if (!session?.user) return;
    try {
      const form = await readAdminForm(req);
      if (form.get('_csrf') !== session.csrf) throw new AcademyError(403, 'The form was out of date. Go back, reload the page and try again.', '_csrf');
      await handle(req, res, session, form);
    } catch (e) {
      ctx.replies.errorPage(res, e, session);
    }
  };
}

/** `POST /admin/questions/:id/attach`: the question joins a topic's questions. */
export const attachQuestion = (ctx: AdminContext): FormHandler => async (req, res, session, form) => {
  const id = pathParam(req, 'id');
  const topic = form.get('topic') ?? '';
  if (!/^[a-z-]+\.[a-z0-9-]+$/.test(topic)) throw new AcademyError(400, 'topic must be a topic code such as nhs-app.register', 'topic');
  await ctx.curation.attachToTopic(id, topic, session.user?.name ?? '');
  ctx.audit.record(session.user?.name ?? '', 'curate', `question ${id} added to topic ${topic}`);
  ctx.replies.redirect(res, '/admin/questions');
};

/** `POST /admin/questions/:id/handled`. */
export const markHandled = (ctx: AdminContext): FormHandler => async (req, res, session) => {
  const id = pathParam(req, 'id');
  await ctx.curation.markHandled(id, session.user?.name ?? '');
  ctx.audit.record(session.user?.name ?? '', 'curate', `question ${id} marked handled`);
  ctx.replies.redirect(res, '/admin/questions');
};

/** `POST /admin/champions/conversation`: the Teams conversation the champions are asked in. */
export const chooseChampionsConversation = (ctx: AdminContext): FormHandler => async (_req, res, session, form) => {
  const id = form.get('conversation') ?? '';
  if (!/^[A-Za-z0-9]{1,8}:[^\s"'<>;,]{1,250}$/.test(id)) throw new AcademyError(400, 'conversation must be a Teams conversation id', 'conversation');
  if (!ctx.champions.choose) throw new AcademyError(404, "The champions' conversation cannot be chosen here", 'conversation');
  await ctx.champions.choose(id);
  ctx.audit.record(session.user?.name ?? '', 'champions', `champions' conversation set to ${id}`);
  ctx.replies.redirect(res, '/admin/champions');
};
