/**
 * LMS sessions: one per launch (cmi5) or per SCO start (SCORM 1.2), keyed by an unguessable id
 * that the lesson-mode web page sends with every activity (`channelData.lmsSession`). The
 * sessions are the LessonObserver of the lesson dialog: they learn the lesson's progress in the
 * learner's turn and, for cmi5, send the AU's statements to the LMS's LRS.
 */
import { randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { LessonObserver, LessonOutcome } from '../lessons/observer.js';
import { AcademyError } from '../errors.js';
import type { Catalog } from '../lessons/catalog.js';
import type { Lesson } from '../lessons/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import { isoDuration } from '../xapi/statements.js';
import type { LmsAllowList } from './allowList.js';
import { fetchAuthToken, LaunchFailure, LmsLrsClient, type LmsCaller } from './cmi5/client.js';
import type { Cmi5Delivery } from './cmi5/delivery.js';
import { groupingIds, parseLaunch, parseLaunchData, sessionIdOf, type Cmi5Launch, type LaunchData } from './cmi5/launch.js';
import { StatementStamper } from '../xapi/recorder.js';
import { cmi5Statement, masteryExtension, type Cmi5Result } from './cmi5/statements.js';
import { CMI5_EXTENSIONS, CMI5_VERBS, type Cmi5Verb } from './cmi5/vocabulary.js';
import { lmsLearnerId, type LmsIds } from './ids.js';
import { verifyLaunch } from './launchToken.js';
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
  /** LMS.LaunchData, with a returnURL only when it leads to an allowed LMS. */
  readonly data: LaunchData;
  readonly lrs: LmsLrsClient;
  /** cmi5 verbs sent in this session. */
  readonly sent: Set<Cmi5Verb>;
  /** Ids of the statements queued for the LMS (terminate waits for them). */
  readonly queued: string[];
  completedBefore: boolean;
  passedBefore: boolean;
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
  /** Which LMSs may launch lessons and be called (LMS_ALLOWED_ORIGINS, CMI5_ALLOWED_ENDPOINTS). */
  readonly allow: LmsAllowList;
  /** The only way out to an LMS (allow-listed, timeouts, no redirects). */
  readonly caller: LmsCaller;
  /** The durable outbox of cmi5 statements to the LMSs' LRSs. */
  readonly delivery: Cmi5Delivery;
  /** Key of the SCORM launch data (launchKey(lms-secret)). */
  readonly launchKey: Buffer;
  /** Sessions idle this long are forgotten; default 12 hours. */
  readonly idleMs?: number;
  /** How long terminate waits for the session's statements to reach the LMS; default 5 s. */
  readonly flushMs?: number;
}

const MAX_SESSIONS = 10_000;
const MAX_USED_LINKS = 50_000;
const USED_LINK_MS = 24 * 3600_000;

/** cmi5 fetch URLs already called: one launch, one fetch (bounded; the LMS refuses an old one itself). */
class UsedLinks {
  private readonly used = new Map<string, number>();

  /** Marks the link used; false if it already was. */
  claim(link: string, now: number): boolean {
    for (const [old, at] of this.used) {
      if (now - at <= USED_LINK_MS && this.used.size < MAX_USED_LINKS) break;
      this.used.delete(old);
    }
    if (this.used.has(link)) return false;
    this.used.set(link, now);
    return true;
  }
}

export class LmsSessions implements LessonObserver {
  private readonly sessions = new Map<string, LmsSession>();
  /** A reload of a launch URL never calls its fetch URL again, and never reaches the session. */
  private readonly usedLinks = new UsedLinks();

  private readonly stamper: StatementStamper;

  constructor(private readonly deps: LmsSessionsDeps) {
    this.stamper = new StatementStamper(deps.clock, deps.uuids);
  }

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
      if (now - old.lastSeen > idle || this.sessions.size >= MAX_SESSIONS) this.sessions.delete(id);
      else break;
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
   * A cmi5 launch: validates the parameters, refuses an LMS that is not allowed (before any
   * call), POSTs the fetch URL (once: a reload gets a 409), reads LMS.LaunchData, then sends
   * `initialized`. Anything wrong throws before a statement is sent.
   */
  async launchCmi5(query: URLSearchParams): Promise<Cmi5Session> {
    const launch = parseLaunch(query);
    this.deps.allow.requireCmi5Url('endpoint', launch.endpoint);
    this.deps.allow.requireCmi5Url('fetch', launch.fetch);
    if (launch.lesson) this.lessonOrFail(launch.lesson, 'lesson');
    if (!this.usedLinks.claim(launch.fetch, this.deps.clock.now().getTime())) {
      throw new LaunchFailure('fetch-used', 'launch URL opened again (reload)', 'fetch', 409);
    }
    const token = await fetchAuthToken(this.deps.caller, launch.fetch);
    const lrs = new LmsLrsClient(this.deps.caller, launch.endpoint, token);
    const data = this.withSafeReturn(parseLaunchData(await lrs.launchData(launch)));
    if (!sessionIdOf(data, CMI5_EXTENSIONS.sessionId)) throw new AcademyError(400, 'LMS.LaunchData.contextTemplate has no session id extension', 'LMS.LaunchData.contextTemplate');
    const lessonId = launch.lesson ?? groupingIds(data).map((id) => this.deps.ids.lessonOfAu(id)).find((id) => id !== undefined);
    const lesson = this.lessonOrFail(lessonId, 'lesson');
    await lrs.learnerPreferences(launch.actor);
    const normal = data.launchMode === 'Normal';
    const [completedBefore, passedBefore] = normal ? await Promise.all([lrs.has(launch, CMI5_VERBS.completed), lrs.has(launch, CMI5_VERBS.passed)]) : [false, false];
    const session = this.newCmi5Session({ launch, data, lrs, lesson, completedBefore, passedBefore });
    // initialized is the session's first statement; if it cannot be sent there is no session.
    await lrs.send([this.cmi5(session, 'initialized')]);
    session.sent.add('initialized');
    this.add(session);
    return session;
  }

  /** LaunchData with its returnURL only if it leads to an allowed LMS (no open redirect). */
  private withSafeReturn(data: LaunchData): LaunchData {
    const safe = this.deps.allow.returnUrl(data.returnURL);
    if (safe === data.returnURL) return data;
    this.deps.log(`LMS: returnURL ${data.returnURL ?? ''} is not on an allowed LMS origin; the launch page will not go there`);
    const { returnURL: _dropped, ...rest } = data;
    return rest;
  }

  private newCmi5Session(parts: Pick<Cmi5Session, 'launch' | 'data' | 'lrs' | 'lesson' | 'completedBefore' | 'passedBefore'>): Cmi5Session {
    const now = this.deps.clock.now().getTime();
    const { account } = parts.launch.actor;
    return {
      kind: 'cmi5',
      id: this.newId(),
      learnerId: lmsLearnerId(this.deps.secret, `cmi5:${account.homePage}|${account.name}`),
      startedAt: now,
      lastSeen: now,
      status: 'active',
      step: 0,
      steps: 0,
      sent: new Set(),
      queued: [],
      ...parts,
    };
  }

  /** A cmi5 statement of the session, stamped (id, timestamp) by the pipeline's one stamper. */
  private cmi5(s: Cmi5Session, verb: Cmi5Verb, result?: Cmi5Result, extensions: Record<string, unknown> = {}) {
    const base = { actor: s.launch.actor, activityId: s.launch.activityId, registration: s.launch.registration, contextTemplate: s.data.contextTemplate };
    return this.stamper.stamp(cmi5Statement(base, verb, result, extensions));
  }

  /** Queues statements for the LMS's LRS (durable; the learner's turn never waits for the LMS). */
  private deliver(s: Cmi5Session, statements: readonly ReturnType<LmsSessions['cmi5']>[]): void {
    try {
      s.queued.push(...this.deps.delivery.send({ endpoint: s.lrs.endpoint, token: s.lrs.token }, statements));
    } catch (e) {
      this.deps.log(`LMS: could not queue cmi5 statements for session ${s.id.slice(0, 6)}…: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The mastery score that decides passed or failed: the LMS's if it gave one, else the lesson's. */
  masteryOf(s: LmsSession): number {
    return s.kind === 'cmi5' && s.data.masteryScore !== undefined ? s.data.masteryScore : s.lesson.masteryScore;
  }

  private cmi5Finished(s: Cmi5Session, outcome: LessonOutcome): void {
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
    if (out.length > 0) this.deliver(s, out);
  }

  /**
   * Ends the session: `terminated` (cmi5) as its last statement, then waits (up to flushMs) for
   * the session's statements to reach the LMS, so it can judge moveOn when the learner returns.
   * Safe to call twice.
   */
  async terminate(s: LmsSession): Promise<void> {
    if (s.status === 'terminated') return;
    s.status = 'terminated';
    if (s.kind !== 'cmi5') return;
    const duration = isoDuration(this.deps.clock.now().getTime() - s.startedAt);
    this.deliver(s, [this.cmi5(s, 'terminated', { duration })]);
    s.sent.add('terminated');
    const delivered = await this.deps.delivery.flush(s.queued, this.deps.flushMs ?? 5000);
    if (!delivered) this.deps.log(`LMS: session ${s.id.slice(0, 6)}… ended; its statements stay in the LMS outbox until the LMS answers`);
  }

  // --- SCORM 1.2 ----------------------------------------------------------------------------

  /**
   * A SCO started in an LMS: only from an allowed LMS origin, only with launch data this academy
   * signed. The learner is the LMS's student id (hashed with the LMS's origin and our secret);
   * their name is never sent here.
   */
  startScorm(body: unknown, origin: string | undefined): ScormSession {
    if (!this.deps.allow.isLmsOrigin(origin)) throw new AcademyError(403, 'This learning platform may not start lessons here (LMS_ALLOWED_ORIGINS).', 'Origin');
    const rec = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const signed = verifyLaunch(this.deps.launchKey, rec.launch);
    if (rec.lesson !== undefined && rec.lesson !== signed) throw new AcademyError(400, 'lesson does not match the package\'s launch data', 'lesson');
    const lesson = this.lessonOrFail(signed, 'lesson');
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
    if (s.kind === 'cmi5') this.cmi5Finished(s, outcome);
    s.status = 'finished';
  }
}
