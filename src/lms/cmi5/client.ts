/**
 * The AU's side of the LMS conversation, server to server: the one-time fetch of the auth token
 * (cmi5 §8.2) and xAPI calls to the LMS's LRS with it (state, agent profile, statements).
 *
 * Every call goes through an `LmsCaller`: only to an allowed cmi5 LMS (CMI5_ALLOWED_ENDPOINTS),
 * with a timeout, never following a redirect, reading at most 1 MB. What went wrong is logged;
 * the learner (who may be probing) sees only that the learning platform could not be reached.
 */
import { AcademyError } from '../../errors.js';
import type { Cmi5Actor, Cmi5Launch } from './launch.js';
import { XapiClient, describeFailure } from '../../xapi/client.js';
import { CMI5_XAPI_VERSION, LAUNCH_DATA_STATE_ID, LEARNER_PREFERENCES_PROFILE_ID } from './vocabulary.js';

export type LaunchFailureReason = 'fetch-used' | 'lms-unreachable' | 'launch-data';

const SHOWN: Record<LaunchFailureReason, string> = {
  'fetch-used': 'This lesson link has already been used or has expired. Open the lesson again from your course.',
  'lms-unreachable': 'The learning platform could not be reached to start this lesson.',
  'launch-data': 'The learning platform has not set up this lesson launch.',
};

/** Why a launch could not go ahead: a fixed message for the learner, the details for the log only. */
export class LaunchFailure extends AcademyError {
  constructor(
    readonly reason: LaunchFailureReason,
    /** For the log, never shown: what the LMS answered or why the call failed. */
    readonly detail: string,
    field?: string,
    status = 502,
  ) {
    super(status, SHOWN[reason], field);
  }
}

export interface LmsAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

const MAX_ANSWER_BYTES = 1024 * 1024;

/** The one way the LMS plugin calls out. */
export interface LmsCaller {
  call(url: string, init: RequestInit, field: string): Promise<LmsAnswer>;
}

export interface LmsCallerOptions {
  /** Whether the academy may call this URL (an allowed cmi5 LMS). */
  readonly allowed: (url: string) => boolean;
  readonly timeoutMs: number;
}

/** Calls an allowed LMS: no redirects, a timeout, at most 1 MB read; any failure is a LaunchFailure. */
export function lmsCaller(options: LmsCallerOptions): LmsCaller {
  return {
    async call(url, init, field) {
      if (!options.allowed(url)) throw new LaunchFailure('lms-unreachable', `refused to call ${url}: not an allowed cmi5 LMS`, field);
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const res = await fetch(url, { ...init, redirect: 'error', signal });
        return { status: res.status, ok: res.ok, text: await readCapped(res) };
      } catch (e) {
        throw new LaunchFailure('lms-unreachable', `${init.method ?? 'GET'} ${url}: ${describeFailure(e)}`, field);
      }
    },
  };
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function jsonRecord(text: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** POSTs the fetch URL once and returns the auth-token; an error-code in the answer is a LaunchFailure. */
export async function fetchAuthToken(caller: LmsCaller, fetchUrl: string): Promise<string> {
  const res = await caller.call(fetchUrl, { method: 'POST', headers: { Accept: 'application/json' } }, 'fetch');
  const record = jsonRecord(res.text);
  const code = record['error-code'];
  const detail = `fetch URL answered HTTP ${res.status}: ${res.text.slice(0, 300)}`;
  if (code !== undefined) throw new LaunchFailure(String(code) === '1' ? 'fetch-used' : 'lms-unreachable', detail, 'fetch');
  const token = record['auth-token'];
  if (!res.ok || typeof token !== 'string' || token === '') throw new LaunchFailure('lms-unreachable', detail, 'fetch');
  return token;
}

/** The one xAPI client, speaking to an LMS's LRS through the caller (allow-list, no redirects, capped). */
export function lmsXapiClient(caller: LmsCaller, endpoint: string, token: string, field = 'endpoint'): XapiClient {
  return new XapiClient({
    endpoint,
    authorization: `Basic ${token}`,
    version: CMI5_XAPI_VERSION,
    transport: (url, init) => caller.call(url, init, field),
  });
}

/** xAPI calls to the LMS's LRS with the session's token. */
export class LmsLrsClient {
  private readonly client: XapiClient;

  constructor(
    caller: LmsCaller,
    readonly endpoint: string,
    readonly token: string,
  ) {
    this.client = lmsXapiClient(caller, endpoint, token);
  }

  /** The LMS.LaunchData state document (cmi5 §10). */
  async launchData(launch: Cmi5Launch): Promise<unknown> {
    const q = new URLSearchParams({ stateId: LAUNCH_DATA_STATE_ID, activityId: launch.activityId, agent: JSON.stringify(launch.actor), registration: launch.registration });
    const res = await this.client.request('activities/state', { query: q });
    const detail = `LMS.LaunchData: HTTP ${res.status}`;
    if (res.status === 404) throw new LaunchFailure('launch-data', detail, 'LMS.LaunchData');
    if (!res.ok) throw new LaunchFailure('lms-unreachable', `${detail} ${res.text.slice(0, 300)}`, 'LMS.LaunchData');
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new LaunchFailure('launch-data', 'LMS.LaunchData is not JSON', 'LMS.LaunchData');
    }
  }

  /** Reads the learner preferences document (cmi5 §11); the academy only needs to have asked. */
  async learnerPreferences(actor: Cmi5Actor): Promise<void> {
    const q = new URLSearchParams({ profileId: LEARNER_PREFERENCES_PROFILE_ID, agent: JSON.stringify(actor) });
    await this.client.request('agents/profile', { query: q }).catch(() => undefined);
  }

  /** Whether the LRS already holds a statement with this verb for the AU in this registration. */
  async has(launch: Cmi5Launch, verb: string): Promise<boolean> {
    const q = new URLSearchParams({ agent: JSON.stringify(launch.actor), verb, activity: launch.activityId, registration: launch.registration, limit: '1' });
    const res = await this.client.getStatements(q);
    if (!res.ok) return false;
    const body = jsonRecord(res.text);
    return Array.isArray(body.statements) && body.statements.length > 0;
  }

  /** Sends statements now (the launch's `initialized`); a refusal is a LaunchFailure. */
  async send(statements: readonly unknown[]): Promise<void> {
    const res = await this.client.postStatements(statements);
    if (!res.ok) throw new LaunchFailure('lms-unreachable', `statements refused: HTTP ${res.status} ${res.text.slice(0, 300)}`, 'statements');
  }
}
