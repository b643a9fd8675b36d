/**
 * Drives a lesson-mode chat over the academy's Direct Line API, as the web page does in lesson
 * mode (the start message, every activity marked with the LMS session), without a browser.
 */
import { cardsFor, type Lesson } from '../../src/lessons/types.js';
import type { SessionView } from '../../src/lms/sessions.js';
import { lmsLearnerId } from '../../src/lms/ids.js';
import { dataPaths } from '../../src/paths.js';
import { dataKey } from '../../src/secrets.js';
import { waitFor } from '../helpers/poll.js';

export interface LaunchedPage {
  readonly status: number;
  readonly html: string;
  readonly session?: string;
  /** The sealed launch token the chat starts with (the learner id is never in the page). */
  readonly launch?: string;
}

export async function openLaunch(url: string): Promise<LaunchedPage> {
  const res = await fetch(url);
  const html = await res.text();
  const src = /<iframe[^>]* src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  const q = src ? new URLSearchParams(src.slice(src.indexOf('?') + 1)) : undefined;
  return { status: res.status, html, ...(q ? { session: q.get('session') ?? '', launch: q.get('launch') ?? '' } : {}) };
}

export class LessonChat {
  private token = '';
  private conversationId = '';

  constructor(
    private readonly academyUrl: string,
    private readonly launch: string,
    private readonly session: string,
  ) {}

  async open(): Promise<void> {
    const res = await fetch(`${this.academyUrl}/api/directline/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ launch: this.launch }) });
    if (!res.ok) throw new Error(`token: HTTP ${res.status}`);
    const body = (await res.json()) as { token: string; conversationId: string };
    this.token = body.token;
    this.conversationId = body.conversationId;
    const started = await fetch(`${this.academyUrl}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' }, body: '{}' });
    if (!started.ok) throw new Error(`conversation start: HTTP ${started.status}`);
  }

  async send(value: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.academyUrl}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', value, channelData: { lmsSession: this.session, postBack: true } }),
    });
    if (!res.ok) throw new Error(`send: HTTP ${res.status}`);
  }

  /** Starts the lesson and goes through it: Next past each card, then each question (right or wrong answers). */
  async takeLesson(lesson: Lesson, answers: 'right' | 'wrong'): Promise<void> {
    await this.send({ academy: 'start', lesson: lesson.id });
    for (let i = 0; i < cardsFor(lesson, 'both').length; i++) await this.send({ academy: 'next' });
    for (const q of lesson.checks) {
      const right = q.options.findIndex((o) => o.correct);
      await this.send({ academy: 'answer', option: answers === 'right' ? right : (right + 1) % q.options.length });
      await this.send({ academy: 'next' });
    }
  }
}

/** The academy's pseudonymous id of a cmi5 learner (the LMS plugin derives it; the launch page never shows it). */
export function cmi5LearnerId(dataDir: string, actor: { account: { homePage: string; name: string } }): string {
  return lmsLearnerId(dataKey(dataPaths({ dataDir }).lmsSecret), `cmi5:${actor.account.homePage}|${actor.account.name}`);
}

export async function sessionView(academyUrl: string, session: string): Promise<SessionView> {
  const res = await fetch(`${academyUrl}/lms/sessions/${session}`);
  return (await res.json()) as SessionView;
}

/** Polls the session until `ready` holds (the bot's turns run one after another in the background). */
export async function waitForSession(academyUrl: string, session: string, ready: (v: SessionView) => boolean, timeoutMs = 20_000): Promise<SessionView> {
  return waitFor('the session to be ready', () => sessionView(academyUrl, session), { timeoutMs, intervalMs: 100, until: ready });
}
