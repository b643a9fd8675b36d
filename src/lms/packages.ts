/** Zips the LMS packages (fflate), with fixed file times so two exports of the same content are identical. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { AcademyError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { signLaunch } from './launchToken.js';
import { cmi5CourseStructure, scoHref, scoPage, scorm12Manifest, selectCourses, type ExportOptions } from './export.js';

const MTIME = new Date('2025-01-01T00:00:00Z');

/** The folder of the LMS plugin's browser files (src/lms/browser/, also when running from dist/). */
export function browserDir(): string {
  const dir = join(projectRoot(), 'src', 'lms', 'browser');
  if (!existsSync(join(dir, 'scorm12.js'))) throw new AcademyError(500, `LMS browser files not found in ${dir}`);
  return dir;
}

function zip(files: Record<string, string | Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    const body = files[name];
    entries[name] = [typeof body === 'string' ? strToU8(body) : body, { mtime: MTIME, level: 9 }];
  }
  return zipSync(entries);
}

export interface PackageFile {
  /** The zip's file name. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The cmi5 course package: cmi5.xml at the root of the zip. */
export function cmi5Package(options: ExportOptions): PackageFile {
  return {
    name: `digital-skills-academy-cmi5${options.area ? `-${options.area}` : ''}.zip`,
    bytes: zip({ 'cmi5.xml': cmi5CourseStructure(options) }),
  };
}

/**
 * One SCORM 1.2 package per topic area. Each SCO carries its lesson's launch data signed with
 * `launchKey` (launchKey(DATA_DIR/lms-secret) of the academy that will serve the lessons).
 */
export function scorm12Packages(options: ExportOptions & { readonly launchKey: Buffer }): PackageFile[] {
  const dir = browserDir();
  const shared = { 'sco/scorm12.js': readFileSync(join(dir, 'scorm12.js')), 'sco/sco.css': readFileSync(join(dir, 'sco.css')) };
  return selectCourses(options.catalog, options.area).map((course) => {
    const files: Record<string, string | Uint8Array> = { 'imsmanifest.xml': scorm12Manifest(course, options.ids), ...shared };
    for (const lesson of course.lessons) files[scoHref(lesson.id)] = scoPage(lesson, options.baseUrl, signLaunch(options.launchKey, lesson.id));
    return { name: `digital-skills-academy-scorm12-${course.area.code}.zip`, bytes: zip(files) };
  });
}
