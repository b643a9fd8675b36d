import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this module holding package.json (works from src/ and dist/src/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/**
 * Every file the academy keeps in DATA_DIR, by name: the one place these names are spelled.
 * Everything under DATA_DIR is private to its owner (the folder 0700, each file 0600).
 */
export const DATA_FILES = {
  /** Bot state: conversation and user state, greetings (SqliteStorage). */
  botState: 'bot-state.sqlite',
  /** The lowdb JSON file bot state was kept in before; moved into botState at start. */
  legacyBotState: 'bot-state.json',
  /** The embedded LRS's statements and documents. */
  lrs: 'lrs.sqlite',
  /** The embedded LRS's generated key and secret (unless LRS credentials are configured). */
  lrsCredentials: 'lrs-credentials.json',
  /** Key of the embedded LRS's `more` cursors. */
  lrsCursorKey: 'lrs-cursor-key',
  /** The durable outbox of learning records. */
  outbox: 'outbox.sqlite',
  /** The durable outbox of cmi5 statements to LMSs' LRSs. */
  lmsOutbox: 'lms-outbox.sqlite',
  /** Key of the LMS learner pseudonyms and SCORM launch data. */
  lmsSecret: 'lms-secret',
  /** Question answering: asked questions, curation, champions. */
  qa: 'qa.sqlite',
  /** Resume codes of web learners. */
  identity: 'identity.sqlite',
  /** Key of the web learner cookie and LMS launch tokens. */
  learnerCookieKey: 'learner-cookie-key',
  /** Key of the local Direct Line's tokens and forwarded activities. */
  directLineSecret: 'directline-secret',
  /** The admin review's figures, read from the LRS. */
  adminAggregates: 'admin-aggregates.sqlite',
  /** The admin review's append-only audit log. */
  adminAudit: 'admin-audit.sqlite',
  /** Key of admin session cookies. */
  adminSessionKey: 'admin-session-key',
  /** The local admin password's hash. */
  adminPassword: 'admin-password.json',
} as const;

export type DataFile = keyof typeof DATA_FILES;

/** The absolute path of every file in DATA_DIR. */
export function dataPaths(config: { readonly dataDir: string }): Readonly<Record<DataFile, string>> {
  const entries = Object.entries(DATA_FILES).map(([name, file]) => [name, join(config.dataDir, file)]);
  return Object.fromEntries(entries) as Record<DataFile, string>;
}
