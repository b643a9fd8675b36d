import { confirmErase, askToErase, resumeCode, showPrivacy } from './account.js';
import type { Turn } from './academy.js';
import { noteCardReport, reportCard } from './cardReports.js';
import { welcomeCard } from './cards/menu.js';
import { selfCheckOfferCard } from './cards/selfCheck.js';
import type { Input } from './input.js';
import { LESSON_DIALOG } from './lessonDialog.js';
import { showCourse, showMenu, showProgress } from './screens.js';
import { SELF_CHECK_DIALOG } from './selfCheckDialog.js';

/** Returned by a command that leaves the message to the open dialog and the free-text resolvers. */
export const PASS = Symbol('academy.pass');

type Handler<K extends Input['kind']> = (turn: Turn, input: Extract<Input, { kind: K }>) => Promise<void | typeof PASS>;
type Routes = { readonly [K in Input['kind']]?: Handler<K> };

/**
 * The bot's commands: what each kind of input does, whether a card button sent it (its
 * `academy` value) or it was typed. Before this table, the interrupt step (interrupt.ts)
 * has already triaged free text and handled help, menu and stop. A kind not listed here
 * (next, back, answers, ratings, free text) goes to the open dialog or the free-text
 * resolvers (freeText.ts).
 *
 * To add a command: (1) in input.ts, add its kind to `Input`, its typed words to `WORDS`
 * and, for a button, a case to `fromButton`; (2) add one row here. That is all. If it should
 * also work in a group chat or channel, add its kind to GROUP_COMMANDS below.
 */
const ROUTES: Routes = {
  role: chooseRole,
  selfcheck: async (t) => {
    await t.dc.cancelAllDialogs();
    await t.dc.beginDialog(SELF_CHECK_DIALOG);
  },
  progress: showProgress,
  course: (t, input) => showCourse(t.reply, t.dc, t.bot.deps.catalog, t.profile, input.area),
  privacy: showPrivacy,
  'resume-code': (t) => resumeCode(t, true),
  'revoke-resume-code': (t) => resumeCode(t, false),
  erase: askToErase,
  'erase-confirm': confirmErase,
  start: async (t, input) => {
    await t.dc.cancelAllDialogs();
    await t.dc.beginDialog(LESSON_DIALOG, { lessonId: input.lessonId, ...(input.check ? { atCheck: true } : {}) });
  },
  hello,
  // a "did you mean" button: the topic's reviewed answer
  topic: async (t, input) => ((await t.bot.answers.showTopic(t.ctx, input.topic, t.flags)) ? undefined : PASS),
  'rate-answer': async (t, input) => t.bot.answers.rate(t.ctx, await t.bot.learners.ref(t.ctx), input.topic, input.helpful, t.flags),
  'ask-champion': (t) => t.bot.answers.offerChampion(t.ctx, t.flags),
  'ask-champion-confirm': async (t) => t.bot.answers.sendToChampions(t.ctx, await t.bot.learners.ref(t.ctx), t.flags),
  'champion-reply': async (t, input) => t.bot.answers.championReplied(t.ctx, await t.bot.learners.ref(t.ctx), input.request, input.reply),
  'champions-here': (t) => t.bot.answers.championsHere(t.ctx),
  'champion-name': (t, input) => t.bot.answers.championNameSetting(t.ctx, input.share),
  'report-card': reportCard,
  'report-card-note': noteCardReport,
};

/** What the bot still does in a group conversation: the champions' functions (hook for the champions' conversation). */
export const GROUP_COMMANDS: ReadonlySet<Input['kind']> = new Set(['champion-reply', 'champions-here', 'champion-name']);

/** Runs the command for this turn's input; false when there is none or it passed. */
export async function runCommand(t: Turn): Promise<boolean> {
  // The table is keyed by kind, so the handler found for `t.input.kind` takes that kind's input.
  const handler = ROUTES[t.input.kind] as ((turn: Turn, input: Input) => Promise<void | typeof PASS>) | undefined;
  if (!handler) return false;
  return (await handler(t, t.input)) !== PASS;
}

/** "I'm a ...": the role, then the skills check offer (once) or the menu. */
async function chooseRole(t: Turn, input: Extract<Input, { kind: 'role' }>): Promise<void> {
  t.profile.role = input.role;
  await t.ctx.sendActivity(
    input.role === 'champion'
      ? 'Thanks. As a digital champion you will find a course on helping others, as well as the lessons your colleagues take.'
      : 'Thanks. Each lesson takes a few minutes.',
  );
  await t.dc.cancelAllDialogs();
  if (!t.profile.selfCheckDone) {
    await t.reply.send(selfCheckOfferCard(t.bot.deps.skills.length));
    return;
  }
  return showMenu(t.reply, t.bot.deps.catalog, t.profile);
}

/** "hello" with nothing open: the welcome or the menu. In a lesson, the lesson answers it. */
async function hello(t: Turn): Promise<void | typeof PASS> {
  if (t.dc.activeDialog) return PASS;
  if (!t.profile.role) await t.reply.send(welcomeCard());
  else await showMenu(t.reply, t.bot.deps.catalog, t.profile);
}
