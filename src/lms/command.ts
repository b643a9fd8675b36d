/** `academy export cmi5|scorm12 --out <dir> [--area <topic area>]`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cliIo.js';
import type { Config } from '../config.js';
import { AcademyError, isAcademyError } from '../errors.js';
import { Catalog, ContentLoader } from '../lessons/catalog.js';
import { TOPICS } from '../lessons/syllabus.js';
import { XapiIds } from '../xapi/profile.js';
import { dataPaths } from '../paths.js';
import { dataKey } from '../secrets.js';
import { LmsIds } from './ids.js';
import { launchKey } from './launchToken.js';
import { cmi5Package, scorm12Packages } from './packages.js';

/** Writes the package(s); a wrong option is reported on `io.err` with exit code 1. */
export async function exportCommand(config: Config, format: string | undefined, out: string | undefined, area: string | undefined, io: CliIo): Promise<number> {
  try {
    return writePackages(config, format, out, area, io);
  } catch (e) {
    if (!isAcademyError(e)) throw e;
    io.err(e.message);
    return 1;
  }
}

function lmsSecret(config: Config): Buffer {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return dataKey(dataPaths(config).lmsSecret);
}

function writePackages(config: Config, format: string | undefined, out: string | undefined, area: string | undefined, io: CliIo): number {
  if (format !== 'cmi5' && format !== 'scorm12') throw new AcademyError(400, `export needs a format: cmi5 or scorm12; got "${format ?? ''}"`, 'format');
  if (!out) throw new AcademyError(400, '--out <dir> is required: the folder to write the package(s) to', 'out');
  const catalog = new Catalog(new ContentLoader(config.contentDir).load(), TOPICS.map((t) => t.code));
  const options = { catalog, ids: new LmsIds(new XapiIds(config.xapiIdBase)), baseUrl: config.baseUrl, ...(area !== undefined ? { area } : {}) };
  // SCORM launch data is signed with this academy's key (DATA_DIR/lms-secret): export with the DATA_DIR of the academy that serves the lessons.
  const files = format === 'cmi5' ? [cmi5Package(options)] : scorm12Packages({ ...options, launchKey: launchKey(lmsSecret(config)) });
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    writeFileSync(join(dir, file.name), file.bytes);
    io.out(`Wrote ${join(dir, file.name)}`);
  }
  const host = new URL(config.baseUrl).hostname;
  if (host === 'localhost' || host.startsWith('127.')) {
    io.err(`Note: the packages launch lessons from ${config.baseUrl}. Set ACADEMY_BASE_URL to the academy's public address before exporting for a real LMS.`);
  }
  return 0;
}
