/**
 * The HTTP Basic credentials of the embedded LRS: from config when both key and secret are set,
 * otherwise from `<dataDir>/lrs-credentials.json`, created (mode 0600) on first run with a random
 * key and secret. `created: true` tells the caller to show them once.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcademyError } from '../errors.js';
import { DATA_FILES } from '../paths.js';

export interface LrsCredentials {
  key: string;
  secret: string;
}

export interface LoadedCredentials extends LrsCredentials {
  /** True when they were just generated and written. */
  created: boolean;
}

export const CREDENTIALS_FILE = DATA_FILES.lrsCredentials;

function isCredentials(value: unknown): value is LrsCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const { key, secret } = value as Record<string, unknown>;
  return typeof key === 'string' && key.length > 0 && typeof secret === 'string' && secret.length > 0;
}

/** A basic-auth user name must not contain ':' (RFC 7617). */
function checkKey(key: string, field: string): void {
  if (key.includes(':')) throw new AcademyError(500, 'the LRS key must not contain ":"', field);
}

export function generateCredentials(): LrsCredentials {
  return {
    key: randomBytes(10).toString('hex'), // 20 hex characters
    secret: randomBytes(32).toString('base64url'), // 43 characters
  };
}

export function loadOrCreateCredentials(dataDir: string, fromConfig?: Partial<LrsCredentials>): LoadedCredentials {
  const key = fromConfig?.key ?? '';
  const secret = fromConfig?.secret ?? '';
  if (key !== '' && secret !== '') {
    checkKey(key, 'lrs.key');
    return { key, secret, created: false };
  }
  if (key !== '' || secret !== '') {
    throw new AcademyError(500, 'set both the LRS key and secret, or neither', key === '' ? 'lrs.key' : 'lrs.secret');
  }

  const file = join(dataDir, CREDENTIALS_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && e.code === 'ENOENT')) throw e;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AcademyError(500, `${file} is not valid JSON`, CREDENTIALS_FILE);
    }
    if (!isCredentials(parsed)) {
      throw new AcademyError(500, `${file} must hold {"key": "…", "secret": "…"}`, CREDENTIALS_FILE);
    }
    checkKey(parsed.key, CREDENTIALS_FILE);
    return { key: parsed.key, secret: parsed.secret, created: false };
  }

  const generated = generateCredentials();
  mkdirSync(dataDir, { recursive: true });
  // 'wx': never overwrite a file another process wrote meanwhile.
  writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { ...generated, created: true };
}
