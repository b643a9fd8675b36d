import type { LessonObserver, LessonOutcome } from '../src/lessons/observer.js';
import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Catalog } from '../src/lessons/catalog.js';
import { cardsFor, type Card, type Lesson } from '../src/lessons/types.js';
import type { Clock, IdGenerator } from '../src/ports.js';
import type { LearningRecorder } from '../src/xapi/recorder.js';
import { isoDuration, type AttemptRef, type LearnerRef, type StatementFactory } from '../src/xapi/statements.js';
import { completionCard, courseCompleteCard, feedbackCard, lessonCardView, questionCard } from './cards/lesson.js';
import { ReplyContext } from './cards/reply.js';
import { readInput } from './input.js';
import { audienceOf, courseProgress, nextLesson, type LearnerProfile, type LearnerStore, type LessonProgress } from './learner.js';

export const LESSON_DIALOG = 'lesson';

export interface LessonDialogOptions {
  readonly lessonId: string;
  /** Start a new attempt at the check questions, after the cards (try the check again). */
  readonly atCheck?: boolean;
  /** A button pressed on this lesson's card in an earlier conversation (the page restarted its chat): apply it, don't re-show. */
  readonly replay?: boolean;
}

interface LessonDialogState {
  lessonId: string;
}

export interface LessonDialogDeps {
  readonly catalog: Catalog;
  readonly learners: LearnerStore;
  readonly recorder: LearningRecorder;
  readonly statements: StatementFactory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Told of each lesson's progress (the LMS plugin uses it); default: nobody. */
  readonly observer?: LessonObserver;
}

export type { LessonObserver, LessonOutcome } from '../src/lessons/observer.js';

/** Everything one turn of the lesson needs, gathered once. */
interface Turn {
  readonly dc: DialogContext;
  readonly lesson: Lesson;
  readonly profile: LearnerProfile;
  readonly progress: LessonProgress;
  readonly learner: LearnerRef;
  readonly attempt: AttemptRef;
  /** The cards this learner sees, with their index in the lesson (for stable activity ids). */
  readonly cards: readonly { card: Card; index: number }[];
  readonly reply: ReplyContext;
}

/**
 * The lesson runner: card by card with Next, Back and Stop, then the check questions with
 * feedback, then the result. The learner's place lives in their profile, so a lesson resumes
 * where it stopped, after "menu", a new conversation, or a restart.
 */
export class LessonDialog extends Dialog<LessonDialogOptions> {
  constructor(private readonly deps: LessonDialogDeps) {
    super(LESSON_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: LessonDialogOptions): Promise<DialogTurnResult> {
    const lesson = options ? this.deps.catalog.lesson(options.lessonId) : undefined;
    if (!lesson) {
      await dc.context.sendActivity("Sorry, I can't find that lesson. Type \"menu\" to see the lessons.");
      return dc.endDialog();
    }
    const state: LessonDialogState = { lessonId: lesson.id };
    dc.activeDialog!.state = state;
    const profile = await this.deps.learners.profile(dc.context);
    const existing = profile.lessons[lesson.id];
    const resuming = existing?.status === 'in-progress' && !options?.atCheck;
    if (!resuming) {
      profile.lessons[lesson.id] = {
        registration: this.deps.ids.uuid(),
        status: 'in-progress',
        step: 0,
        answers: lesson.checks.map(() => null),
        startedAt: this.deps.clock.now().toISOString(),
        attempts: (existing?.attempts ?? 0) + 1,
        passed: existing?.passed ?? false,
        ...(existing?.bestScore !== undefined ? { bestScore: existing.bestScore } : {}),
      };
    }
    profile.lastLessonId = lesson.id;
    if (resuming && options?.replay) return this.continueDialog(dc);
    const turn = await this.turn(dc, lesson.id);
    if (options?.atCheck && !resuming) turn.progress.step = turn.cards.length;
    await this.deps.observer?.started(dc.context, lesson, turn.progress.registration, resuming);
    if (resuming) {
      await dc.context.sendActivity(`Welcome back to "${lesson.title}". Carrying on where you stopped.`);
    } else {
      await this.deps.recorder.record(this.deps.statements.lessonStarted(turn.learner, turn.attempt));
    }
    await this.show(turn);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as LessonDialogState;
    if (!this.deps.catalog.lesson(state.lessonId)) return dc.endDialog();
    const turn = await this.turn(dc, state.lessonId);
    const { progress, cards, lesson } = turn;
    const input = readInput(dc.context.activity);
    // A button pressed on an older card of this lesson: say so and show where the learner is.
    if ('at' in input && input.at !== undefined && input.at !== `${lesson.id}:${progress.step}`) {
      await dc.context.sendActivity('That button is on an earlier card. Here is where you are now:');
      await this.show(turn);
      return Dialog.EndOfTurn;
    }
    const q = progress.step - cards.length;
    const onQuestion = q >= 0 && q < lesson.checks.length;
    const answered = onQuestion && progress.answers[q] !== null;

    switch (input.kind) {
      case 'stop':
        await dc.context.sendActivity(`Stopped. Your place in "${lesson.title}" is saved. Type "menu" to carry on later.`);
        return dc.endDialog();
      case 'back':
        progress.step = Math.max(0, progress.step - 1);
        await this.show(turn);
        return Dialog.EndOfTurn;
      case 'next':
        if (onQuestion && !answered) {
          await dc.context.sendActivity('Please pick an answer first.');
          await this.show(turn);
          return Dialog.EndOfTurn;
        }
        progress.step += 1;
        if (progress.step >= cards.length + lesson.checks.length) return this.finish(turn);
        await this.show(turn);
        return Dialog.EndOfTurn;
      case 'answer':
        if (onQuestion && !answered && input.option >= 0 && input.option < lesson.checks[q].options.length) {
          return this.answer(turn, q, input.option);
        }
        break;
      case 'text':
        if (onQuestion && !answered) {
          const option = matchOption(input.text, lesson.checks[q].options.map((o) => o.text));
          if (option !== undefined) return this.answer(turn, q, option);
        }
        break;
      default:
        break;
    }
    await dc.context.sendActivity(onQuestion && !answered ? 'Please pick one of the answers.' : 'Use Next to carry on, Back to go back, or Stop to leave the lesson.');
    await this.show(turn);
    return Dialog.EndOfTurn;
  }

  /**
   * Whether typed text is an answer to the check question on screen: exactly an answer
   * button's label, or its number or letter (else it is a question for Q&A).
   */
  async acceptsText(dc: DialogContext, text: string): Promise<boolean> {
    const state = dc.activeDialog?.state as LessonDialogState | undefined;
    if (dc.activeDialog?.id !== LESSON_DIALOG || !state || !this.deps.catalog.lesson(state.lessonId)) return false;
    const t = await this.turn(dc, state.lessonId);
    const q = t.progress.step - t.cards.length;
    if (q < 0 || q >= t.lesson.checks.length || t.progress.answers[q] !== null) return false;
    return matchOption(text, t.lesson.checks[q].options.map((o) => o.text)) !== undefined;
  }

  private async turn(dc: DialogContext, lessonId: string): Promise<Turn> {
    const lesson = this.deps.catalog.lesson(lessonId)!;
    const profile = await this.deps.learners.profile(dc.context);
    const progress = profile.lessons[lesson.id];
    const learner = await this.deps.learners.ref(dc.context);
    const visible = new Set(cardsFor(lesson, audienceOf(profile.role)));
    const cards = lesson.cards.map((card, index) => ({ card, index })).filter((c) => visible.has(c.card));
    return {
      dc,
      lesson,
      profile,
      progress,
      learner,
      attempt: { lesson, registration: progress.registration },
      cards,
      reply: ReplyContext.of(dc.context),
    };
  }

  /** Shows the current step: a card (recorded as experienced), a question, or a question's feedback. */
  private async show(t: Turn): Promise<void> {
    const { progress, cards, lesson, reply } = t;
    await this.deps.observer?.moved(t.dc.context, lesson, progress.step, cards.length + lesson.checks.length);
    if (progress.step < cards.length) {
      const { card, index } = cards[progress.step];
      await reply.send(lessonCardView(lesson, card, progress.step, cards.length));
      await this.deps.recorder.record(this.deps.statements.cardViewed(t.learner, t.attempt, index));
      return;
    }
    const q = progress.step - cards.length;
    const question = lesson.checks[q];
    const chosen = progress.answers[q];
    if (chosen === null || chosen === undefined) {
      await reply.send(questionCard(lesson, question, q, lesson.checks.length, `${lesson.id}:${progress.step}`));
    } else {
      const right = question.options.find((o) => o.correct);
      const rightAnswer = right ? { text: right.text, why: right.feedback } : undefined;
      await reply.send(feedbackCard(question.options[chosen].correct, question.options[chosen].feedback, `${lesson.id}:${progress.step}`, rightAnswer));
    }
  }

  private async answer(t: Turn, q: number, option: number): Promise<DialogTurnResult> {
    t.progress.answers[q] = option;
    await this.deps.observer?.answered(t.dc.context, t.lesson, q, t.lesson.checks[q].options[option]?.correct === true);
    await this.deps.recorder.record(this.deps.statements.questionAnswered(t.learner, t.attempt, q, option));
    await this.show(t);
    return Dialog.EndOfTurn;
  }

  private async finish(t: Turn): Promise<DialogTurnResult> {
    const { lesson, progress } = t;
    const correct = progress.answers.filter((a, i) => a !== null && lesson.checks[i].options[a]?.correct).length;
    const questions = lesson.checks.length;
    const score = questions === 0 ? 1 : correct / questions;
    const passed = score >= lesson.masteryScore;
    const duration = isoDuration(this.deps.clock.now().getTime() - Date.parse(progress.startedAt));
    progress.status = 'completed';
    progress.step = 0;
    progress.passed = progress.passed || passed;
    progress.bestScore = Math.max(progress.bestScore ?? 0, score);
    await this.deps.recorder.record(
      this.deps.statements.lessonCompleted(t.learner, t.attempt, duration),
      this.deps.statements.lessonScored(t.learner, t.attempt, correct, duration),
    );
    const course = this.deps.catalog.course(lesson.area);
    if (course) {
      const p = courseProgress(t.profile, course);
      const passMark = Math.ceil(lesson.masteryScore * questions - 1e-9);
      await t.reply.send(completionCard({ lesson, correct, questions, passed, passMark, course: p, next: nextLesson(t.profile, this.deps.catalog) }));
      const completed = (t.profile.coursesCompleted ??= []);
      if (p.done === p.total && !completed.includes(course.area.code)) {
        completed.push(course.area.code);
        const badge = course.area.code === 'champion';
        if (badge) (t.profile.badges ??= []).push('champion');
        await this.deps.recorder.record(this.deps.statements.courseCompleted(t.learner, course.area.code, p.total));
        await t.reply.send(courseCompleteCard(p, badge, nextLesson(t.profile, this.deps.catalog)));
      }
    }
    await this.deps.observer?.finished(t.dc.context, lesson, { correct, questions, scaled: score, passed, duration });
    return t.dc.endDialog({ lessonId: lesson.id, passed });
  }
}

/** A typed answer: its number ("2"), its letter ("b") or its text. */
export function matchOption(text: string, options: readonly string[]): number | undefined {
  const t = text.trim().toLowerCase().replace(/[.)]$/, '');
  if (/^\d$/.test(t)) {
    const n = Number(t) - 1;
    return n >= 0 && n < options.length ? n : undefined;
  }
  if (/^[a-d]$/.test(t)) {
    const n = t.charCodeAt(0) - 97;
    return n < options.length ? n : undefined;
  }
  const exact = options.findIndex((o) => o.toLowerCase() === t);
  return exact >= 0 ? exact : undefined;
}
