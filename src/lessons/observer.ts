/**
 * The port through which the server side learns a learner's lesson progress (the LMS plugin's
 * sessions implement it; the lesson dialog calls it inside the learner's turn). It lives with
 * the lessons, not in dialogs/, so src/ never imports dialogs/ except from the composition root.
 */
import type { TurnContext } from 'botbuilder';
import type { Lesson } from './types.js';

/** What a finished lesson came to. */
export interface LessonOutcome {
  readonly correct: number;
  readonly questions: number;
  /** correct / questions, 0..1 (1 when there are no questions). */
  readonly scaled: number;
  /** Against the lesson's own mastery score. */
  readonly passed: boolean;
  /** ISO 8601 duration since the attempt started. */
  readonly duration: string;
}

/** A port that learns lesson progress on the server side; called inside the learner's turn. */
export interface LessonObserver {
  started(ctx: TurnContext, lesson: Lesson, registration: string, resumed: boolean): Promise<void>;
  /** The learner is on step `step` (cards first, then questions) of `steps`. */
  moved(ctx: TurnContext, lesson: Lesson, step: number, steps: number): Promise<void>;
  answered(ctx: TurnContext, lesson: Lesson, question: number, correct: boolean): Promise<void>;
  finished(ctx: TurnContext, lesson: Lesson, outcome: LessonOutcome): Promise<void>;
}
