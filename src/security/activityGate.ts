import { AcademyError } from '../errors.js';
import { FORWARD_HEADER, verifyForward } from './localForward.js';
import { isRecord } from '../http/guards.js';

/**
 * What /api/messages lets in, before the adapter runs the turn (and so before any reply is posted):
 *
 * - the activity's `serviceUrl` (where the bot posts replies) must be one the bot trusts: Bot
 *   Framework channel hosts with MicrosoftAppId; without it, only the local Direct Line's own URL
 *   (for activities it signed) or a LOCAL_SERVICE_URLS entry. Nothing else: no SSRF.
 * - without MicrosoftAppId nothing authenticates the caller, so an activity not signed by the
 *   local Direct Line is made harmless: it cannot be a web learner (`dl_` id), carry a Teams
 *   aadObjectId, or mark an LMS session.
 */
export interface GateOptions {
  /** MicrosoftAppId is set: the adapter authenticates every request (Bot Framework JWT). */
  readonly authenticated: boolean;
  /** HMAC key of the local Direct Line's forwards (see localForward.ts). */
  readonly forwardKey: Buffer;
  /** The local Direct Line's serviceUrl, known once the server listens. */
  localServiceUrl?: string;
  /** LOCAL_SERVICE_URLS: where unsigned local activities may come from (e.g. Agents Playground). */
  readonly extraServiceUrls: readonly string[];
}

/** Hosts of Bot Framework channels (Teams, Azure Bot Service's Direct Line and Web Chat), public and government clouds. */
const CHANNEL_HOSTS = [/^smba\.trafficmanager\.net$/, /^smba\.infra\.(gcc|gov)\.teams\.microsoft\.(com|us)$/, /(^|\.)botframework\.com$/, /(^|\.)botframework\.azure\.(us|cn)$/];

export function isChannelServiceUrl(serviceUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(serviceUrl);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && !u.username && !u.password && u.port === '' && CHANNEL_HOSTS.some((h) => h.test(u.hostname));
}

/** `serviceUrl` is `base` or under it (path prefix at a slash boundary). */
export function isUnder(serviceUrl: string, base: string): boolean {
  const s = serviceUrl.replace(/\/+$/, '');
  const b = base.replace(/\/+$/, '');
  return s === b || s.startsWith(`${b}/`);
}

interface IncomingActivity {
  serviceUrl?: unknown;
  from?: unknown;
  channelData?: unknown;
}

/** Admits (and in local mode, defangs) the parsed activity of a /api/messages request; AcademyError 400/403 if refused. */
export function admitActivity(req: { body?: unknown; rawBody?: unknown; headers: Record<string, string | string[] | undefined> }, options: GateOptions): void {
  const activity = req.body;
  if (!isRecord(activity)) throw new AcademyError(400, 'An activity must be a JSON object', 'body');
  const serviceUrl = activity.serviceUrl;
  if (typeof serviceUrl !== 'string' || serviceUrl.length > 2048) throw new AcademyError(400, 'An activity needs a serviceUrl', 'serviceUrl');
  if (options.authenticated) {
    if (!isChannelServiceUrl(serviceUrl)) throw new AcademyError(403, 'serviceUrl is not a Bot Framework channel', 'serviceUrl');
    return;
  }
  const raw = typeof req.rawBody === 'string' ? req.rawBody : Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : '';
  if (verifyForward(options.forwardKey, raw, req.headers[FORWARD_HEADER])) {
    if (!options.localServiceUrl || serviceUrl !== options.localServiceUrl) throw new AcademyError(403, 'serviceUrl is not the local Direct Line', 'serviceUrl');
    return;
  }
  if (!options.extraServiceUrls.some((base) => isUnder(serviceUrl, base))) throw new AcademyError(403, 'serviceUrl is not trusted; see LOCAL_SERVICE_URLS', 'serviceUrl');
  defang(activity);
}

/** An unsigned local activity: no web learner id, no Entra object id, no LMS session. */
function defang(activity: IncomingActivity): void {
  const from = activity.from;
  if (isRecord(from)) {
    delete from.aadObjectId;
    if (typeof from.id === 'string' && from.id.startsWith('dl_')) from.id = `unsigned-${from.id}`;
  }
  if (isRecord(activity.channelData)) delete activity.channelData.lmsSession;
}
