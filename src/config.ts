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
  };
}

/** One row per variable: the README's configuration table is this list. */
export const CONFIG_VARIABLES = [
  ['PORT', '3978', 'HTTP port of the academy (web chat, /api/messages, /xapi, /admin).'],
  ['HOST', '0.0.0.0', 'Interface to listen on.'],
  ['DATA_DIR', './data', 'Where bot state (lowdb JSON), the LRS (SQLite) and generated keys live.'],
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
  ['LRS_MAX_BODY_BYTES', '1048576', 'Largest request body the embedded LRS accepts (413 above).'],
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
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || './data'),
    contentDir: env.CONTENT_DIR?.trim() ? resolve(cwd, env.CONTENT_DIR.trim()) : join(projectRoot(), 'content'),
    baseUrl: urlVar(env, 'ACADEMY_BASE_URL', `http://localhost:${port}`),
    xapiIdBase: urlVar(env, 'XAPI_ID_BASE', 'https://digital-skills-academy.github.io/xapi'),
    bot: { appId, appPassword, tenantId, appType },
    directLine: {
      secret: env.DIRECT_LINE_SECRET?.trim() ?? '',
      endpoint: urlVar(env, 'DIRECT_LINE_ENDPOINT', 'https://directline.botframework.com'),
    },
    embeddedLrs: { key, secret, maxBodyBytes: intVar(env, 'LRS_MAX_BODY_BYTES', 1_048_576, 1024, 1_073_741_824) },
  };
}
