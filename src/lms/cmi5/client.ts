/**
 * The AU's side of the LMS conversation, server to server: the one-time fetch of the auth token
 * (cmi5 §8.2) and xAPI calls to the LMS's LRS with it (state, agent profile, statements).
 */
import { AcademyError } from '../../errors.js';
import type { Cmi5Actor, Cmi5Launch } from './launch.js';
import { LAUNCH_DATA_STATE_ID, LEARNER_PREFERENCES_PROFILE_ID } from './vocabulary.js';

const TIMEOUT_MS = 10_000;

/** Why a launch could not go ahead; `code` is the fetch URL's error-code where the LMS gave one. */
export class LaunchFailure extends AcademyError {
  constructor(
    message: string,
    readonly reason: 'fetch-used' | 'fetch-denied' | 'lms-unreachable' | 'lms-error' | 'launch-data',
    field?: string,
  ) {
    super(502, message, field);
  }
}

/** POSTs the fetch URL once and returns the auth-token; an error-code in the answer is a LaunchFailure. */
export async function fetchAuthToken(fetchUrl: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(fetchUrl, { method: 'POST', headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new LaunchFailure('The learning platform could not be reached to start this lesson.', 'lms-unreachable', 'fetch');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = record['error-code'];
  if (code !== undefined) {
    const text = typeof record['error-text'] === 'string' ? record['error-text'] : '';
    if (String(code) === '1') throw new LaunchFailure(`This lesson link has already been used or has expired${text ? ` (${text})` : ''}.`, 'fetch-used', 'fetch');
    throw new LaunchFailure(`The learning platform refused to start this lesson (error ${String(code)}${text ? `: ${text}` : ''}).`, 'fetch-denied', 'fetch');
  }
  const token = record['auth-token'];
  if (!res.ok || typeof token !== 'string' || token === '') {
    throw new LaunchFailure(`The learning platform's fetch URL answered HTTP ${res.status} without an auth-token.`, 'lms-error', 'fetch');
  }
  return token;
}

/** xAPI calls to the LMS's LRS with the session's token. */
export class LmsLrsClient {
  constructor(
    private readonly endpoint: string,
    private readonly token: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Basic ${this.token}`, 'X-Experience-API-Version': '1.0.3', Accept: 'application/json', ...extra };
  }

  private async call(path: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await fetch(`${this.endpoint}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      throw new LaunchFailure(`The learning platform's record store could not be reached (${what}).`, 'lms-unreachable', 'endpoint');
    }
  }

  /** The LMS.LaunchData state document (cmi5 §10). */
  async launchData(launch: Cmi5Launch): Promise<unknown> {
    const q = new URLSearchParams({ stateId: LAUNCH_DATA_STATE_ID, activityId: launch.activityId, agent: JSON.stringify(launch.actor), registration: launch.registration });
    const res = await this.call(`activities/state?${q}`, { headers: this.headers() }, 'LMS.LaunchData');
    if (res.status === 404) throw new LaunchFailure('The learning platform has not set up this lesson launch (no LMS.LaunchData).', 'launch-data', 'LMS.LaunchData');
    if (!res.ok) throw new LaunchFailure(`The learning platform's record store answered HTTP ${res.status} for LMS.LaunchData.`, 'lms-error', 'LMS.LaunchData');
    try {
      return await res.json();
    } catch {
      throw new LaunchFailure('LMS.LaunchData is not JSON.', 'launch-data', 'LMS.LaunchData');
    }
  }

  /** Reads the learner preferences document (cmi5 §11); the academy only needs to have asked. */
  async learnerPreferences(actor: Cmi5Actor): Promise<unknown> {
    const q = new URLSearchParams({ profileId: LEARNER_PREFERENCES_PROFILE_ID, agent: JSON.stringify(actor) });
    try {
      const res = await this.call(`agents/profile?${q}`, { headers: this.headers() }, 'learner preferences');
      return res.ok ? await res.json() : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether the LRS already holds a statement with this verb for the AU in this registration. */
  async has(launch: Cmi5Launch, verb: string): Promise<boolean> {
    const q = new URLSearchParams({ agent: JSON.stringify(launch.actor), verb, activity: launch.activityId, registration: launch.registration, limit: '1' });
    const res = await this.call(`statements?${q}`, { headers: this.headers() }, 'earlier statements');
    if (!res.ok) return false;
    const body: unknown = await res.json().catch(() => undefined);
    return typeof body === 'object' && body !== null && 'statements' in body && Array.isArray(body.statements) && body.statements.length > 0;
  }

  async send(statements: readonly unknown[]): Promise<void> {
    const res = await this.call('statements', { method: 'POST', headers: this.headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(statements) }, 'statements');
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new LaunchFailure(`The learning platform's record store refused statements: HTTP ${res.status} ${text.slice(0, 200)}`, 'lms-error', 'statements');
    }
  }
}
