import { createHash } from 'node:crypto';
import type { StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import type { Catalog, Course } from '../src/lessons/catalog.js';
import type { Audience, Lesson } from '../src/lessons/types.js';
import { lmsSessionOf } from '../src/lms/marker.js';
import type { Channel } from '../src/xapi/profile.js';
import type { LearnerRef } from '../src/xapi/statements.js';

export type Role = 'nhs' | 'social-care' | 'champion';

/** Where one learner is in one lesson. */
export interface LessonProgress {
  /** The xAPI registration of the current (or last) attempt. */
  registration: string;
  status: 'in-progress' | 'completed';
  /** Step in the lesson: cards first, then check questions. */
  step: number;
  /** Option chosen per check question in this attempt, or null. */
  answers: (number | null)[];
  startedAt: string;
  attempts: number;
  passed: boolean;
  /** Best score so far, 0..1. */
  bestScore?: number;
}

/** What the academy keeps about a learner in bot state (never their name or email). */
export interface LearnerProfile {
  role?: Role;
  lessons: Record<string, LessonProgress>;
  /** The lesson of the last step, for "continue". */
  lastLessonId?: string;
  /** Topic codes to learn first, from the skills self-check. */
  plan?: string[];
  /** Statement ids answered "yes" in the last self-check. */
  strengths?: string[];
  selfCheckDone?: boolean;
  /** Topic areas whose every lesson is done (a course completion was recorded). */
  coursesCompleted?: string[];
  badges?: string[];
}

export function audienceOf(role: Role | undefined): Audience {
  return role === 'nhs' || role === 'social-care' ? role : 'both';
}

/** The channel as the learning record names it. */
export function channelOf(channelId: string | undefined): Channel {
  if (channelId === 'msteams') return 'msteams';
  if (channelId === 'webchat' || channelId === 'directline' || channelId === 'emulator') return 'webchat';
  return 'other';
}

/**
 * The pseudonymous id of the learner: the AAD object id in Teams, the random id the web page
 * keeps, otherwise a hash of channel and channel user id. Never a name or an email.
 */
export function learnerId(ctx: TurnContext): string {
  const from = ctx.activity.from ?? { id: 'unknown' };
  if (ctx.activity.channelId === 'msteams' && from.aadObjectId) return from.aadObjectId;
  if (/^dl_[A-Za-z0-9_-]{8,64}$/.test(from.id)) return from.id;
  return 'h_' + createHash('sha256').update(`${ctx.activity.channelId}:${from.id}`).digest('hex').slice(0, 32);
}

/** The one place dialogs get and keep learner state: a typed wrapper around UserState. */
export class LearnerStore {
  private readonly accessor: StatePropertyAccessor<LearnerProfile>;

  constructor(userState: UserState) {
    this.accessor = userState.createProperty<LearnerProfile>('learner');
  }

  /** The learner's profile for this turn; changes are saved at the end of the turn. */
  async profile(ctx: TurnContext): Promise<LearnerProfile> {
    const p = await this.accessor.get(ctx, { lessons: {} });
    p.lessons ??= {};
    return p;
  }

  async ref(ctx: TurnContext): Promise<LearnerRef> {
    const p = await this.profile(ctx);
    return { id: learnerId(ctx), channel: lmsSessionOf(ctx.activity) ? 'lms' : channelOf(ctx.activity.channelId), audience: audienceOf(p.role) };
  }
}

export interface CourseProgress {
  readonly course: Course;
  readonly done: number;
  readonly total: number;
  /** The first lesson not done yet, in the suggested order. */
  readonly next?: Lesson;
}

/** Done means passed: a lesson finished below its pass mark is not done, in the menu, the course or progress. */
export function isDone(profile: LearnerProfile, lessonId: string): boolean {
  return profile.lessons[lessonId]?.passed === true;
}

export function courseProgress(profile: LearnerProfile, course: Course): CourseProgress {
  const done = course.lessons.filter((l) => isDone(profile, l.id)).length;
  return { course, done, total: course.lessons.length, next: course.lessons.find((l) => !isDone(profile, l.id)) };
}

export function allProgress(profile: LearnerProfile, catalog: Catalog): CourseProgress[] {
  return catalog.courses.map((c) => courseProgress(profile, c));
}

/** The lesson to suggest next: the self-check plan first, then the courses in order. */
export function nextLesson(profile: LearnerProfile, catalog: Catalog): Lesson | undefined {
  for (const code of profile.plan ?? []) {
    const lesson = catalog.lessonForTopic(code);
    if (lesson && !isDone(profile, lesson.id)) return lesson;
  }
  for (const course of catalog.courses) {
    const lesson = course.lessons.find((l) => !isDone(profile, l.id));
    if (lesson) return lesson;
  }
  return undefined;
}

/** A lesson started and not finished, to offer "carry on". */
export function lessonInProgress(profile: LearnerProfile, catalog: Catalog): { lesson: Lesson; progress: LessonProgress } | undefined {
  const ids = [profile.lastLessonId, ...Object.keys(profile.lessons)].filter((x): x is string => Boolean(x));
  for (const id of ids) {
    const progress = profile.lessons[id];
    const lesson = catalog.lesson(id);
    if (lesson && progress?.status === 'in-progress') return { lesson, progress };
  }
  return undefined;
}
