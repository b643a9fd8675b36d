import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { AcademyError } from './errors.js';
import { projectRoot } from './paths.js';

export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

/** Everything the academy reads from its environment, validated once at start. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** True when HOST was set; false when the default was taken (127.0.0.1 without MicrosoftAppId). */
  readonly hostExplicit: boolean;
  readonly dataDir: string;
  readonly contentDir: string;
  /** Where learners and LMSs reach the academy; used in links and the Teams manifest. */
  readonly baseUrl: string;
  /** Base IRI of the academy's xAPI activity ids, verbs-extensions; stable across deployments. */
  readonly xapiIdBase: string;
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly tenantId: string;
    readonly appType: AppType;
  };
  readonly directLine: {
    /** Set: web chat tokens come from Azure Bot Service; empty: the local Direct Line. */
    readonly secret: string;
    readonly endpoint: string;
  };
  readonly embeddedLrs: {
    /** Empty: generated into DATA_DIR at first start. */
    readonly key: string;
    readonly secret: string;
    readonly maxBodyBytes: number;
    /** The xAPI version of answers to requests without X-Experience-API-Version. */
    readonly defaultVersion: '1.0.3' | '2.0.0';
  };
  /** Where learning records go: LRS_ENDPOINT set = that LRS over HTTP; empty = the embedded LRS. */
  readonly lrs: {
    readonly endpoint: string;
    readonly key: string;
    readonly secret: string;
    readonly version: '1.0.3' | '2.0.0';
  };
  /** The durable outbox (src/outbox/) between the bot and the LRS. */
  readonly outbox: {
    readonly batchSize: number;
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    readonly requestTimeoutMs: number;
  };
  /** Optional generative answers (src/qa/generative.ts); 'off' unless a key is set. */
  readonly generative: GenerativeConfig;
  /** The /admin review (src/admin/): sign-in, privacy threshold, session idle time. */
  readonly admin: AdminConfig;
  /** The LMS plugin (src/lms/): which LMSs may launch lessons, where the academy may call them, who may frame lessons. */
  readonly lms: LmsConfig;
  /** Where digital champions answer learners' questions (a Teams team or chat); see docs/security.md. */
  readonly champions: ChampionsConfig;
  /** Trust boundaries of the web chat and /api/messages (docs/security.md). */
  readonly security: SecurityConfig;
}

/** At most one is set: the champions' Teams team (any of its channels) or one conversation. */
export interface ChampionsConfig {
  readonly teamId: string;
  readonly conversationId: string;
}

export interface SecurityConfig {
  /** Direct Line tokens (each a new conversation) one IP address may get per minute. */
  readonly tokensPerIpPerMinute: number;
  /** Direct Line tokens one learner (cookie or launch) may get per minute. */
  readonly tokensPerLearnerPerMinute: number;
  /** Resume-code attempts one IP address may make per minute. */
  readonly resumeAttemptsPerIpPerMinute: number;
  /** Take the client address from X-Forwarded-For (behind a reverse proxy you run). */
  readonly trustProxy: boolean;
  /** Without MicrosoftAppId: extra serviceUrls (origin + path prefix) unsigned activities may come from, e.g. Agents Playground. */
  readonly localServiceUrls: readonly string[];
}

/** Which model writes grounded answers. Azure wins when both Azure and OpenAI are set. */
export type GenerativeConfig =
  | { readonly provider: 'off' }
  | { readonly provider: 'openai'; readonly apiKey: string; readonly baseUrl: string; readonly model: string }
  | { readonly provider: 'azure'; readonly endpoint: string; readonly apiKey: string; readonly deployment: string; readonly apiVersion: string };

/** One row per variable: the README's configuration table is this list. */
export const CONFIG_VARIABLES = [
  ['PORT', '3978', 'HTTP port of the academy (web chat, /api/messages, /xapi, /admin).'],
  ['HOST', '127.0.0.1 (0.0.0.0 with MicrosoftAppId)', 'Interface to listen on. Without MicrosoftAppId nothing authenticates /api/messages, so the academy listens on loopback only unless HOST is set.'],
  ['DATA_DIR', './data', 'Where bot state, the LRS, the outbox (all SQLite) and generated keys live.'],
  ['CONTENT_DIR', './content', 'Lesson and answer files.'],
  ['ACADEMY_BASE_URL', 'http://localhost:PORT', 'Public address of the academy.'],
  ['XAPI_ID_BASE', 'https://digital-skills-academy.github.io/xapi', 'Base IRI of activity ids and extensions in statements. Keep it stable.'],
  ['MicrosoftAppId', '(empty)', 'Azure Bot app id. Empty = local development, no Bot Framework auth.'],
  ['MicrosoftAppPassword', '(empty)', 'Azure Bot client secret.'],
  ['MicrosoftAppTenantId', '(empty)', 'Tenant of a SingleTenant bot.'],
  ['MicrosoftAppType', 'MultiTenant', 'MultiTenant, SingleTenant or UserAssignedMSI.'],
  ['DIRECT_LINE_SECRET', '(empty)', 'Azure Direct Line secret. Empty = the built-in local Direct Line.'],
  ['DIRECT_LINE_ENDPOINT', 'https://directline.botframework.com', 'Azure Direct Line endpoint (regional endpoints).'],
  ['EMBEDDED_LRS_KEY', '(generated)', 'Basic-auth key of the embedded LRS; generated into DATA_DIR if unset.'],
  ['EMBEDDED_LRS_SECRET', '(generated)', 'Basic-auth secret of the embedded LRS.'],
  ['EMBEDDED_LRS_DEFAULT_VERSION', '1.0.3', 'The xAPI version (1.0.3 or 2.0.0) the embedded LRS answers in when a request has no X-Experience-API-Version header (such a request is refused either way).'],
  ['LRS_MAX_BODY_BYTES', '1048576', 'Largest request body the embedded LRS accepts (413 above).'],
  ['LRS_ENDPOINT', '(empty)', 'An external LRS (e.g. https://lrs.example.org/xapi): learning records go there instead of the embedded LRS, through the outbox. The embedded LRS still serves /xapi.'],
  ['LRS_KEY', '(empty)', 'Basic-auth key for LRS_ENDPOINT (required with it).'],
  ['LRS_SECRET', '(empty)', 'Basic-auth secret for LRS_ENDPOINT (required with it).'],
  ['LRS_VERSION', '1.0.3', 'X-Experience-API-Version of every call to LRS_ENDPOINT (delivering records, and reading them back for the admin and the learner): 1.0.3 or 2.0.0.'],
  ['OUTBOX_BATCH_SIZE', '50', 'Statements per request from the outbox to the LRS (1–500).'],
  ['OUTBOX_RETRY_BASE_MS', '1000', 'First wait after a failed delivery; doubles each time (with jitter) up to OUTBOX_RETRY_MAX_MS. Retry-After wins.'],
  ['OUTBOX_RETRY_MAX_MS', '300000', 'Longest wait between delivery attempts.'],
  ['OUTBOX_REQUEST_TIMEOUT_MS', '30000', 'A request to LRS_ENDPOINT unanswered for this long is abandoned and retried.'],
  ['OPENAI_API_KEY', '(empty)', 'Turns on generative answers written by an OpenAI model from the curated content only. Empty = off (answers come from retrieval).'],
  ['OPENAI_BASE_URL', 'https://api.openai.com/v1', 'OpenAI-compatible endpoint (for example a local model server).'],
  ['OPENAI_MODEL', 'gpt-4o-mini', 'Model for generative answers.'],
  ['AZURE_OPENAI_ENDPOINT', '(empty)', 'Azure OpenAI resource, e.g. https://NAME.openai.azure.com. Set with the key and deployment to use Azure instead of OpenAI.'],
  ['AZURE_OPENAI_API_KEY', '(empty)', 'Azure OpenAI key.'],
  ['AZURE_OPENAI_DEPLOYMENT', '(empty)', 'Azure OpenAI deployment name of the chat model.'],
  ['AZURE_OPENAI_API_VERSION', '2024-10-21', 'Azure OpenAI API version.'],
  ['ENTRA_TENANT_ID', '(empty)', 'Microsoft Entra ID tenant for admin sign-in at /admin. With ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET; empty = the local admin account.'],
  ['ENTRA_CLIENT_ID', '(empty)', 'Application (client) id of the admin sign-in app registration.'],
  ['ENTRA_CLIENT_SECRET', '(empty)', 'Client secret of the admin sign-in app registration.'],
  ['ENTRA_AUTHORITY', 'https://login.microsoftonline.com/TENANT', 'Any https OpenID Connect authority instead of Entra ID (then ENTRA_TENANT_ID is not needed).'],
  ['ADMIN_USERS', '(empty)', 'Comma-separated sign-in names (preferred_username, upn or email) that are admins even without the Academy.Admin app role.'],
  ['ADMIN_PASSWORD', '(generated)', 'Password of the local admin account "admin" when Entra ID is not set; generated, printed once and stored as a scrypt hash if unset.'],
  ['ADMIN_IDLE_MINUTES', '30', 'An admin session ends after this many minutes without a request.'],
  ['MIN_COHORT', '5', 'Figures about fewer learners than this are shown as "fewer than N" on admin pages and exports.'],
  ['LMS_ALLOWED_ORIGINS', '(empty)', 'Web origins of the LMSs that may run the academy\'s lessons, space- or comma-separated, e.g. https://moodle.example.org: a SCORM SCO may start a lesson only from one of them, a cmi5 returnURL may lead only to one of them (or to a CMI5_ALLOWED_ENDPOINTS origin), and they may frame lessons. https, or http for a loopback origin (http://localhost:8080) when testing on one machine. Empty = no SCORM LMS.'],
  ['CMI5_ALLOWED_ENDPOINTS', '(empty)', 'Origins of the cmi5 LMSs the academy accepts launches from and calls (the launch\'s endpoint and fetch URLs must be on one of them), e.g. https://moodle.example.org. https, or http for a loopback origin listed here explicitly. Empty = every cmi5 launch is refused.'],
  ['CMI5_REQUEST_TIMEOUT_MS', '10000', 'A call to a cmi5 LMS (fetch URL, its LRS) unanswered for this long is abandoned (1000–60000).'],
  ['LMS_FRAME_ANCESTORS', "'self' and LMS_ALLOWED_ORIGINS", "Who may frame lessons launched from an LMS (cmi5 launch page, /?lesson=…): space-separated origins or 'self'; * is refused."],
  ['CHAMPIONS_TEAM_ID', '(empty)', "The Teams team (its id, 19:…@thread.tacv2) whose channels are the champions' conversation. Empty = CHAMPIONS_CONVERSATION_ID, or the one an admin picks on /admin/champions."],
  ['CHAMPIONS_CONVERSATION_ID', '(empty)', "The one Teams channel or group chat (its conversation id) that is the champions' conversation. Set this or CHAMPIONS_TEAM_ID, not both."],
  ['RATE_TOKENS_PER_IP', '30', 'Web chat tokens (each a new conversation) one IP address may get per minute; more get 429 with Retry-After.'],
  ['RATE_TOKENS_PER_LEARNER', '10', 'Web chat tokens one learner may get per minute.'],
  ['RATE_RESUME_PER_IP', '10', 'Resume-code attempts (/resume) one IP address may make per minute.'],
  ['TRUST_PROXY', 'false', 'true: the client address for rate limits is the first X-Forwarded-For address (only behind a reverse proxy you run).'],
  ['LOCAL_SERVICE_URLS', '(empty)', 'Without MicrosoftAppId: space-separated serviceUrls whose unsigned activities /api/messages accepts, as a pseudonymous test user (e.g. http://localhost:56150/_connector for Agents Playground).'],
] as const;

type Env = Readonly<Record<string, string | undefined>>;

function bad(name: string, why: string): never {
  throw new AcademyError(500, `Configuration error: ${name} ${why}`, name);
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) bad(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) bad(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function urlVar(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    bad(name, `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') bad(name, `must be http or https, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** Reads `.env` in `dir` if there is one; the real environment wins over it. */
export function readDotEnv(dir: string): Record<string, string> {
  const file = join(dir, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** Validates the environment; a wrong value throws an AcademyError naming the variable. */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const port = intVar(env, 'PORT', 3978, 0, 65535);
  const appType = (env.MicrosoftAppType?.trim() || 'MultiTenant') as AppType;
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType)) bad('MicrosoftAppType', `must be MultiTenant, SingleTenant or UserAssignedMSI, got "${appType}"`);
  const appId = env.MicrosoftAppId?.trim() ?? '';
  const appPassword = env.MicrosoftAppPassword?.trim() ?? '';
  const tenantId = env.MicrosoftAppTenantId?.trim() ?? '';
  if (appId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) bad('MicrosoftAppId', 'must be a GUID (the Azure Bot app id)');
  if (appId && appType !== 'UserAssignedMSI' && !appPassword) bad('MicrosoftAppPassword', 'is required when MicrosoftAppId is set');
  if (appType === 'SingleTenant' && appId && !tenantId) bad('MicrosoftAppTenantId', 'is required for a SingleTenant bot');
  const key = env.EMBEDDED_LRS_KEY?.trim() ?? '';
  const secret = env.EMBEDDED_LRS_SECRET?.trim() ?? '';
  if (Boolean(key) !== Boolean(secret)) bad(key ? 'EMBEDDED_LRS_SECRET' : 'EMBEDDED_LRS_KEY', 'must be set together with the other (or neither, to generate both)');
  if (secret && secret.length < 12) bad('EMBEDDED_LRS_SECRET', 'must be at least 12 characters');
  const embeddedVersion = env.EMBEDDED_LRS_DEFAULT_VERSION?.trim() || '1.0.3';
  if (embeddedVersion !== '1.0.3' && embeddedVersion !== '2.0.0') {
    bad('EMBEDDED_LRS_DEFAULT_VERSION', `must be 1.0.3 or 2.0.0, got "${embeddedVersion}"`);
  }
  return {
    port,
    host: env.HOST?.trim() || (appId ? '0.0.0.0' : '127.0.0.1'),
    hostExplicit: Boolean(env.HOST?.trim()),
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || './data'),
    contentDir: env.CONTENT_DIR?.trim() ? resolve(cwd, env.CONTENT_DIR.trim()) : join(projectRoot(), 'content'),
    baseUrl: urlVar(env, 'ACADEMY_BASE_URL', `http://localhost:${port}`),
    xapiIdBase: urlVar(env, 'XAPI_ID_BASE', 'https://digital-skills-academy.github.io/xapi'),
    bot: { appId, appPassword, tenantId, appType },
    directLine: {
      secret: env.DIRECT_LINE_SECRET?.trim() ?? '',
      endpoint: urlVar(env, 'DIRECT_LINE_ENDPOINT', 'https://directline.botframework.com'),
    },
    embeddedLrs: {
      key,
      secret,
      maxBodyBytes: intVar(env, 'LRS_MAX_BODY_BYTES', 1_048_576, 1024, 1_073_741_824),
      defaultVersion: embeddedVersion,
    },
    lrs: lrsConfig(env),
    outbox: outboxConfig(env),
    generative: generativeConfig(env),
    admin: adminConfig(env),
    lms: lmsConfig(env),
    champions: championsConfig(env),
    security: securityConfig(env),
  };
}

/** A Teams team or conversation id: a short prefix, a colon, then no spaces, quotes or angle brackets. */
const TEAMS_ID = /^[A-Za-z0-9]{1,8}:[^\s"'<>;,]{1,250}$/;

function championsConfig(env: Env): ChampionsConfig {
  const teamId = env.CHAMPIONS_TEAM_ID?.trim() ?? '';
  const conversationId = env.CHAMPIONS_CONVERSATION_ID?.trim() ?? '';
  if (teamId && conversationId) bad('CHAMPIONS_CONVERSATION_ID', 'must not be set together with CHAMPIONS_TEAM_ID (set one of them)');
  if (teamId && !TEAMS_ID.test(teamId)) bad('CHAMPIONS_TEAM_ID', `must be a Teams team id such as 19:abc@thread.tacv2, got "${teamId}"`);
  if (conversationId && !TEAMS_ID.test(conversationId)) bad('CHAMPIONS_CONVERSATION_ID', `must be a Teams conversation id such as 19:abc@thread.v2, got "${conversationId}"`);
  return { teamId, conversationId };
}

function securityConfig(env: Env): SecurityConfig {
  const proxy = env.TRUST_PROXY?.trim().toLowerCase() || 'false';
  if (proxy !== 'true' && proxy !== 'false') bad('TRUST_PROXY', `must be true or false, got "${proxy}"`);
  return {
    tokensPerIpPerMinute: intVar(env, 'RATE_TOKENS_PER_IP', 30, 1, 100_000),
    tokensPerLearnerPerMinute: intVar(env, 'RATE_TOKENS_PER_LEARNER', 10, 1, 100_000),
    resumeAttemptsPerIpPerMinute: intVar(env, 'RATE_RESUME_PER_IP', 10, 1, 100_000),
    trustProxy: proxy === 'true',
    localServiceUrls: serviceUrlsVar(env, 'LOCAL_SERVICE_URLS'),
  };
}

/** Space-separated absolute http(s) URLs, without query or fragment. */
function serviceUrlsVar(env: Env, name: string): string[] {
  const list = (env[name]?.trim() ?? '').split(/\s+/).filter(Boolean);
  return list.map((item) => {
    let u: URL | undefined;
    try {
      u = new URL(item);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username) bad(name, `must be http(s) URLs separated by spaces, got "${item}"`);
    return item.replace(/\/+$/, '');
  });
}

/** Azure when any AZURE_OPENAI_* is set (then endpoint, key and deployment are required), else OpenAI with a key, else off. */
function generativeConfig(env: Env): GenerativeConfig {
  const v = (name: string) => env[name]?.trim() ?? '';
  const azure = ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_OPENAI_API_VERSION'];
  if (azure.some((name) => v(name))) {
    for (const name of azure.slice(0, 3)) if (!v(name)) bad(name, 'is required when any AZURE_OPENAI_* variable is set');
    const deployment = v('AZURE_OPENAI_DEPLOYMENT');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(deployment)) bad('AZURE_OPENAI_DEPLOYMENT', `must be a deployment name (letters, digits, . _ -), got "${deployment}"`);
    const apiVersion = v('AZURE_OPENAI_API_VERSION') || '2024-10-21';
    if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) bad('AZURE_OPENAI_API_VERSION', `must look like 2024-10-21 or 2025-01-01-preview, got "${apiVersion}"`);
    return { provider: 'azure', endpoint: urlVar(env, 'AZURE_OPENAI_ENDPOINT', ''), apiKey: v('AZURE_OPENAI_API_KEY'), deployment, apiVersion };
  }
  if (!v('OPENAI_API_KEY')) {
    if (v('OPENAI_BASE_URL') || v('OPENAI_MODEL')) bad('OPENAI_API_KEY', 'is required when OPENAI_BASE_URL or OPENAI_MODEL is set (any non-empty value for a local server without keys)');
    return { provider: 'off' };
  }
  return { provider: 'openai', apiKey: v('OPENAI_API_KEY'), baseUrl: urlVar(env, 'OPENAI_BASE_URL', 'https://api.openai.com/v1'), model: v('OPENAI_MODEL') || 'gpt-4o-mini' };
}

/** Admin sign-in: Entra ID (or any OIDC authority) when a client id is set, else the local admin account. */
export interface AdminConfig {
  readonly entra?: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string; readonly authority: string };
  /** Lower-cased sign-in names that are admins without the app role. */
  readonly adminUsers: readonly string[];
  /** ADMIN_PASSWORD; empty = generated at first start. */
  readonly password: string;
  readonly idleMinutes: number;
  readonly minCohort: number;
}

function adminConfig(env: Env): AdminConfig {
  const v = (name: string) => env[name]?.trim() ?? '';
  const adminUsers = v('ADMIN_USERS').split(',').map((u) => u.trim().toLowerCase()).filter(Boolean);
  const password = env.ADMIN_PASSWORD ?? '';
  if (password && password.length < 12) bad('ADMIN_PASSWORD', 'must be at least 12 characters');
  const base = { adminUsers, password, idleMinutes: intVar(env, 'ADMIN_IDLE_MINUTES', 30, 1, 1440), minCohort: intVar(env, 'MIN_COHORT', 5, 1, 1000) };
  const entraVars = ['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET', 'ENTRA_AUTHORITY'];
  if (!entraVars.some((name) => v(name))) return base;
  for (const name of ['ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET']) if (!v(name)) bad(name, 'is required when any ENTRA_* variable is set');
  const tenantId = v('ENTRA_TENANT_ID');
  if (!tenantId && !v('ENTRA_AUTHORITY')) bad('ENTRA_TENANT_ID', 'is required unless ENTRA_AUTHORITY is set');
  if (tenantId && !/^[A-Za-z0-9.-]+$/.test(tenantId)) bad('ENTRA_TENANT_ID', `must be a tenant id (GUID) or domain, got "${tenantId}"`);
  const authority = urlVar(env, 'ENTRA_AUTHORITY', `https://login.microsoftonline.com/${tenantId}`);
  if (!authority.startsWith('https://')) bad('ENTRA_AUTHORITY', `must be an https URL, got "${authority}"`);
  return { ...base, entra: { tenantId, clientId: v('ENTRA_CLIENT_ID'), clientSecret: v('ENTRA_CLIENT_SECRET'), authority } };
}

/** LRS_ENDPOINT with its key, secret and version; all empty = the embedded LRS. */
function lrsConfig(env: Env): Config['lrs'] {
  const v = (name: string) => env[name]?.trim() ?? '';
  const version = v('LRS_VERSION') || '1.0.3';
  if (version !== '1.0.3' && version !== '2.0.0') bad('LRS_VERSION', `must be 1.0.3 or 2.0.0, got "${version}"`);
  if (!v('LRS_ENDPOINT')) {
    for (const name of ['LRS_KEY', 'LRS_SECRET']) if (v(name)) bad('LRS_ENDPOINT', `is required when ${name} is set`);
    return { endpoint: '', key: '', secret: '', version };
  }
  const endpoint = urlVar(env, 'LRS_ENDPOINT', '');
  for (const name of ['LRS_KEY', 'LRS_SECRET']) if (!v(name)) bad(name, 'is required when LRS_ENDPOINT is set');
  if (v('LRS_KEY').includes(':')) bad('LRS_KEY', 'must not contain ":" (HTTP Basic auth)');
  return { endpoint, key: v('LRS_KEY'), secret: v('LRS_SECRET'), version };
}

function outboxConfig(env: Env): Config['outbox'] {
  const retryBaseMs = intVar(env, 'OUTBOX_RETRY_BASE_MS', 1000, 1, 3_600_000);
  const retryMaxMs = intVar(env, 'OUTBOX_RETRY_MAX_MS', 300_000, 1, 86_400_000);
  if (retryMaxMs < retryBaseMs) bad('OUTBOX_RETRY_MAX_MS', `must be at least OUTBOX_RETRY_BASE_MS (${retryBaseMs}), got ${retryMaxMs}`);
  return {
    batchSize: intVar(env, 'OUTBOX_BATCH_SIZE', 50, 1, 500),
    retryBaseMs,
    retryMaxMs,
    requestTimeoutMs: intVar(env, 'OUTBOX_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
  };
}

/** The LMS plugin's allow-lists (src/lms/). */
export interface LmsConfig {
  /** LMS web origins: SCORM session requests, cmi5 returnURLs, framing. */
  readonly allowedOrigins: readonly string[];
  /** cmi5 LMS origins: the only places a cmi5 launch may make the academy call. */
  readonly cmi5Endpoints: readonly string[];
  readonly requestTimeoutMs: number;
  /** CSP frame-ancestors of the lesson pages (never *). */
  readonly frameAncestors: readonly string[];
}

function lmsConfig(env: Env): LmsConfig {
  const allowedOrigins = originListVar(env, 'LMS_ALLOWED_ORIGINS');
  return {
    allowedOrigins,
    cmi5Endpoints: originListVar(env, 'CMI5_ALLOWED_ENDPOINTS'),
    requestTimeoutMs: intVar(env, 'CMI5_REQUEST_TIMEOUT_MS', 10_000, 1000, 60_000),
    frameAncestors: frameAncestorsVar(env, 'LMS_FRAME_ANCESTORS', ["'self'", ...allowedOrigins]),
  };
}

const LOOPBACK_HOSTS = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** An origin the academy may trust: https, or http on a loopback host (one machine, tests). Undefined if not. */
export function trustableOrigin(item: string): string | undefined {
  let u: URL;
  try {
    u = new URL(item);
  } catch {
    return undefined;
  }
  if (u.origin !== item.replace(/\/+$/, '') || u.username || u.password) return undefined;
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.test(u.hostname))) return u.origin;
  return undefined;
}

/** A list of origins, space- or comma-separated; each https (or http on a loopback host). */
function originListVar(env: Env, name: string): string[] {
  const list = (env[name] ?? '').split(/[\s,]+/).filter(Boolean);
  return list.map((item) => trustableOrigin(item) ?? bad(name, `must be https origins (http only for localhost, 127.0.0.1 or [::1]) separated by spaces or commas, with no path, got "${item}"`));
}

/** A CSP frame-ancestors list: 'self' or http(s) origins (never *, which would let any site frame a lesson). */
function frameAncestorsVar(env: Env, name: string, fallback: readonly string[]): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [...new Set(fallback)];
  const list = raw.split(/\s+/);
  for (const item of list) {
    if (item === "'self'") continue;
    let ok = false;
    try {
      const u = new URL(item);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === item.replace(/\/+$/, '');
    } catch {
      ok = false;
    }
    if (!ok) bad(name, `must be 'self' or http(s) origins separated by spaces (not *), got "${item}"`);
  }
  return list.map((item) => item.replace(/\/+$/, ''));
}
