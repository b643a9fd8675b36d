/**
 * LMS sessions: one per launch (cmi5) or per SCO start (SCORM 1.2), keyed by an unguessable id
 * that the lesson-mode web page sends with every activity (`channelData.lmsSession`). The
 * sessions are the LessonObserver of the lesson dialog: they learn the lesson's progress in the
 * learner's turn and, for cmi5, send the AU's statements to the LMS's LRS.
 */
import { randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { LessonObserver, LessonOutcome } from '../../dialogs/lessonDialog.js';
import { AcademyError } from '../errors.js';
import type { Catalog } from '../lessons/catalog.js';
import type { Lesson } from '../lessons/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import { isoDuration } from '../xapi/statements.js';
import { fetchAuthToken, LmsLrsClient } from './cmi5/client.js';
import { groupingIds, parseLaunch, parseLaunchData, sessionIdOf, type Cmi5Launch, type LaunchData } from './cmi5/launch.js';
import { cmi5Statement, masteryExtension, type Cmi5Result } from './cmi5/statements.js';
import { CMI5_EXTENSIONS, CMI5_VERBS, type Cmi5Verb } from './cmi5/vocabulary.js';
import { lmsLearnerId, type LmsIds } from './ids.js';
import { LMS_SESSION_PATTERN, lmsSessionOf } from './marker.js';

export type SessionStatus = 'active' | 'finished' | 'terminated';

/** What the launch page and the SCO learn by polling. */
export interface SessionView {
  readonly kind: 'cmi5' | 'scorm12';
  readonly status: SessionStatus;
  readonly lesson: string;
  readonly title: string;
  readonly step: number;
  readonly steps: number;
  /** cmi5: Normal, Browse or Review. */
  readonly mode?: string;
  readonly outcome?: { readonly correct: number; readonly questions: number; readonly scaled: number; readonly passed: boolean };
}

interface SessionBase {
  readonly id: string;
  readonly lesson: Lesson;
  /** The academy's pseudonymous id of this learner (dl_…). */
  readonly learnerId: string;
  readonly startedAt: number;
  status: SessionStatus;
  step: number;
  steps: number;
  outcome?: SessionView['outcome'];
  lastSeen: number;
}

export interface Cmi5Session extends SessionBase {
  readonly kind: 'cmi5';
  readonly launch: Cmi5Launch;
  readonly data: LaunchData;
  readonly lrs: LmsLrsClient;
  /** cmi5 verbs sent in this session. */
  readonly sent: Set<Cmi5Verb>;
  completedBefore: boolean;
  passedBefore: boolean;
  /** Statements to the LMS go one after another. */
  queue: Promise<void>;
}

export interface ScormSession extends SessionBase {
  readonly kind: 'scorm12';
}

export type LmsSession = Cmi5Session | ScormSession;

export interface LmsSessionsDeps {
  readonly catalog: Catalog;
  readonly ids: LmsIds;
  /** Key of the learner pseudonyms (DATA_DIR/lms-secret). */
  readonly secret: Buffer;
  readonly clock: Clock;
  readonly uuids: IdGenerator;
  readonly log: (line: string) => void;
  /** Sessions idle this long are forgotten; default 12 hours. */
  readonly idleMs?: number;
}

const MAX_SESSIONS = 10_000;

export class LmsSessions implements LessonObserver {
  private readonly sessions = new Map<string, LmsSession>();
  /** cmi5 fetch URL → session: a reload of the launch page reuses its session, never fetching twice. */
  private readonly byFetch = new Map<string, string>();

  constructor(private readonly deps: LmsSessionsDeps) {}

  get(id: string): LmsSession | undefined {
    const s = this.sessions.get(id);
    if (s) s.lastSeen = this.deps.clock.now().getTime();
    return s;
  }

  /** The session or a 404 naming the field. */
  require(id: string): LmsSession {
    const s = LMS_SESSION_PATTERN.test(id) ? this.get(id) : undefined;
    if (!s) throw new AcademyError(404, 'No such LMS session (it may have ended or expired)', 'session');
    return s;
  }

  view(s: LmsSession): SessionView {
    return {
      kind: s.kind,
      status: s.status,
      lesson: s.lesson.id,
      title: s.lesson.title,
      step: s.step,
      steps: s.steps,
      ...(s.kind === 'cmi5' ? { mode: s.data.launchMode } : {}),
      ...(s.outcome ? { outcome: s.outcome } : {}),
    };
  }

  private newId(): string {
    return randomBytes(24).toString('base64url');
  }

  private add(s: LmsSession): void {
    const now = this.deps.clock.now().getTime();
    const idle = this.deps.idleMs ?? 12 * 3600_000;
    for (const [id, old] of this.sessions) {
      if (now - old.lastSeen > idle || this.sessions.size >= MAX_SESSIONS) {
        this.sessions.delete(id);
        if (old.kind === 'cmi5') this.byFetch.delete(old.launch.fetch);
      } else break;
    }
    this.sessions.set(s.id, s);
  }

  private lessonOrFail(id: string | undefined, field: string): Lesson {
    const lesson = id ? this.deps.catalog.lesson(id) : undefined;
    if (!lesson) throw new AcademyError(404, `There is no lesson "${id ?? ''}" in this academy`, field);
    return lesson;
  }

  // --- cmi5 -------------------------------------------------------------------------------

  /**
   * A cmi5 launch: validates the parameters, POSTs the fetch URL (once), reads LMS.LaunchData,
   * then sends `initialized`. Anything wrong throws before a statement is sent.
   */
  async launchCmi5(query: URLSearchParams): Promise<Cmi5Session> {
    const launch = parseLaunch(query);
    const again = this.byFetch.get(launch.fetch);
    const existing = again ? this.sessions.get(again) : undefined;
    if (existing?.kind === 'cmi5' && existing.status !== 'terminated' && existing.launch.registration === launch.registration && existing.launch.activityId === launch.activityId) {
      return existing;
    }
    if (launch.lesson) this.lessonOrFail(launch.lesson, 'lesson');
    const token = await fetchAuthToken(launch.fetch);
    this.byFetch.set(launch.fetch, '');
    const lrs = new LmsLrsClient(launch.endpoint, token);
    const data = parseLaunchData(await lrs.launchData(launch));
    if (!sessionIdOf(data, CMI5_EXTENSIONS.sessionId)) throw new AcademyError(400, 'LMS.LaunchData.contextTemplate has no session id extension', 'LMS.LaunchData.contextTemplate');
    const lessonId = launch.lesson ?? groupingIds(data).map((id) => this.deps.ids.lessonOfAu(id)).find((id) => id !== undefined);
    const lesson = this.lessonOrFail(lessonId, 'lesson');
    await lrs.learnerPreferences(launch.actor);
    const normal = data.launchMode === 'Normal';
    const [completedBefore, passedBefore] = normal ? await Promise.all([lrs.has(launch, CMI5_VERBS.completed), lrs.has(launch, CMI5_VERBS.passed)]) : [false, false];
    const now = this.deps.clock.now().getTime();
    const session: Cmi5Session = {
      kind: 'cmi5',
      id: this.newId(),
      lesson,
      learnerId: lmsLearnerId(this.deps.secret, `cmi5:${launch.actor.account.homePage}|${launch.actor.account.name}`),
      startedAt: now,
      lastSeen: now,
      status: 'active',
      step: 0,
      steps: 0,
      launch,
      data,
      lrs,
      sent: new Set(),
      completedBefore,
      passedBefore,
      queue: Promise.resolve(),
    };
    // initialized is the session's first statement; if it cannot be sent there is no session.
    await lrs.send([this.cmi5(session, 'initialized')]);
    session.sent.add('initialized');
    this.add(session);
    this.byFetch.set(launch.fetch, session.id);
    return session;
  }

  private cmi5(s: Cmi5Session, verb: Cmi5Verb, result?: Cmi5Result, extensions: Record<string, unknown> = {}) {
    return cmi5Statement(
      { actor: s.launch.actor, activityId: s.launch.activityId, registration: s.launch.registration, contextTemplate: s.data.contextTemplate },
      verb,
      result,
      extensions,
      this.deps.uuids.uuid(),
      this.deps.clock.now().toISOString(),
    );
  }

  /** Runs a send after the session's earlier ones; a failure is logged, never thrown into a turn. */
  private enqueue(s: Cmi5Session, work: () => Promise<void>): Promise<void> {
    s.queue = s.queue.then(work).catch((e: unknown) => this.deps.log(`LMS: could not send cmi5 statements for session ${s.id.slice(0, 6)}…: ${e instanceof Error ? e.message : String(e)}`));
    return s.queue;
  }

  /** The mastery score that decides passed or failed: the LMS's if it gave one, else the lesson's. */
  masteryOf(s: LmsSession): number {
    return s.kind === 'cmi5' && s.data.masteryScore !== undefined ? s.data.masteryScore : s.lesson.masteryScore;
  }

  private async cmi5Finished(s: Cmi5Session, outcome: LessonOutcome): Promise<void> {
    if (s.data.launchMode !== 'Normal') return; // Browse and Review record no satisfaction data.
    const out = [];
    if (!s.completedBefore && !s.sent.has('completed')) {
      out.push(this.cmi5(s, 'completed', { completion: true, duration: outcome.duration }));
      s.sent.add('completed');
      s.completedBefore = true;
    }
    const judged = outcome.questions > 0;
    if (judged && !s.passedBefore && !s.sent.has('passed') && !s.sent.has('failed')) {
      const mastery = this.masteryOf(s);
      const passed = outcome.scaled >= mastery;
      const verb: Cmi5Verb = passed ? 'passed' : 'failed';
      const score = { scaled: Math.round(outcome.scaled * 10000) / 10000, raw: outcome.correct, min: 0, max: outcome.questions };
      out.push(this.cmi5(s, verb, { success: passed, score, duration: outcome.duration }, masteryExtension(s.data.masteryScore)));
      s.sent.add(verb);
      if (passed) s.passedBefore = true;
    }
    if (out.length > 0) await s.lrs.send(out);
  }

  /** Ends the session: `terminated` (cmi5) as its last statement. Safe to call twice. */
  async terminate(s: LmsSession): Promise<void> {
    if (s.status === 'terminated') return;
    s.status = 'terminated';
    if (s.kind !== 'cmi5') return;
    const duration = isoDuration(this.deps.clock.now().getTime() - s.startedAt);
    await this.enqueue(s, async () => {
      await s.lrs.send([this.cmi5(s, 'terminated', { duration })]);
      s.sent.add('terminated');
    });
  }

  // --- SCORM 1.2 ----------------------------------------------------------------------------

  /**
   * A SCO started in an LMS: the learner is the LMS's student id (hashed with the LMS's origin
   * and our secret); their name is never sent here.
   */
  startScorm(body: unknown, origin: string): ScormSession {
    const rec = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const lesson = this.lessonOrFail(typeof rec.lesson === 'string' ? rec.lesson : undefined, 'lesson');
    const student = rec.student;
    if (typeof student !== 'string' || student.trim() === '' || student.length > 255) throw new AcademyError(400, 'student must be the LMS student id (cmi.core.student_id)', 'student');
    const now = this.deps.clock.now().getTime();
    const session: ScormSession = {
      kind: 'scorm12',
      id: this.newId(),
      lesson,
      learnerId: lmsLearnerId(this.deps.secret, `scorm12:${origin}|${student.trim()}`),
      startedAt: now,
      lastSeen: now,
      status: 'active',
      step: 0,
      steps: 0,
    };
    this.add(session);
    return session;
  }

  // --- LessonObserver: called in the learner's turn ----------------------------------------

  private forTurn(ctx: TurnContext, lesson: Lesson): LmsSession | undefined {
    const id = lmsSessionOf(ctx.activity);
    const s = id ? this.get(id) : undefined;
    return s && s.lesson.id === lesson.id && s.status !== 'terminated' ? s : undefined;
  }

  async started(ctx: TurnContext, lesson: Lesson): Promise<void> {
    const s = this.forTurn(ctx, lesson);
    if (s && s.status === 'finished') s.status = 'active';
  }

  async moved(ctx: TurnContext, lesson: Lesson, step: number, steps: number): Promise<void> {
    const s = this.forTurn(ctx, lesson);
    if (!s) return;
    s.step = step;
    s.steps = steps;
  }

  async answered(): Promise<void> {
    // Answers are in the academy's own record; the LMS gets the result when the lesson ends.
  }

  async finished(ctx: TurnContext, lesson: Lesson, outcome: LessonOutcome): Promise<void> {
    const s = this.forTurn(ctx, lesson);
    if (!s) return;
    const passed = outcome.questions === 0 || outcome.scaled >= this.masteryOf(s);
    s.outcome = { correct: outcome.correct, questions: outcome.questions, scaled: outcome.scaled, passed };
    s.step = s.steps;
    if (s.kind === 'cmi5') await this.enqueue(s, () => this.cmi5Finished(s, outcome));
    s.status = 'finished';
  }
}
