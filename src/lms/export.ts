/**
 * The LMS packages, as pure builders: cmi5 course structure (cmi5.xml) and SCORM 1.2 manifests
 * and launch pages, from the catalog. `packages.ts` zips them; `command.ts` writes the files.
 */
import type { Catalog, Course } from '../lessons/catalog.js';
import type { Lesson } from '../lessons/types.js';
import { AcademyError } from '../errors.js';
import type { LmsIds } from './ids.js';
import { escapeHtml, escapeXml } from './xml.js';

export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';
export const CMI5_LAUNCH_PATH = '/lms/cmi5/launch';

export type MoveOn = 'NotApplicable' | 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed';

export interface ExportOptions {
  readonly catalog: Catalog;
  readonly ids: LmsIds;
  /** ACADEMY_BASE_URL: where the LMS's learners reach the academy. */
  readonly baseUrl: string;
  /** Only this topic area; default every area. */
  readonly area?: string;
}

/** A lesson with check questions must be completed and passed; one without needs completing only. */
export function moveOnOf(lesson: Lesson): MoveOn {
  return lesson.checks.length > 0 ? 'CompletedAndPassed' : 'Completed';
}

/** The mastery score as cmi5 wants it: a decimal 0..1 with at most 4 places. */
export function masteryDecimal(score: number): string {
  return String(Math.round(Math.min(1, Math.max(0, score)) * 10000) / 10000);
}

/** The courses to export; a wrong --area names the field and the areas there are. */
export function selectCourses(catalog: Catalog, area?: string): readonly Course[] {
  if (area === undefined) return catalog.courses;
  const course = catalog.course(area);
  if (!course) throw new AcademyError(400, `--area must be one of ${catalog.courses.map((c) => c.area.code).join(', ')}; got "${area}"`, 'area');
  return [course];
}

export function cmi5LaunchUrl(baseUrl: string, lessonId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${CMI5_LAUNCH_PATH}?lesson=${encodeURIComponent(lessonId)}`;
}

const text = (tag: string, value: string, indent: string): string =>
  `${indent}<${tag}>\n${indent}  <langstring lang="en-GB">${escapeXml(value)}</langstring>\n${indent}</${tag}>\n`;

/** cmi5.xml: one course, one block per topic area, one AU per lesson. */
export function cmi5CourseStructure(options: ExportOptions): string {
  const { ids } = options;
  const courses = selectCourses(options.catalog, options.area);
  const only = options.area ? courses[0] : undefined;
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<courseStructure xmlns="${CMI5_NAMESPACE}">\n`;
  xml += `  <course id="${escapeXml(ids.course(options.area))}">\n`;
  xml += text('title', only ? `Digital Skills Academy: ${only.area.title}` : 'Digital Skills Academy', '    ');
  xml += text('description', only ? only.area.description : 'Bite-sized digital skills lessons for people who work in health and care.', '    ');
  xml += '  </course>\n';
  for (const course of courses) {
    xml += `  <block id="${escapeXml(ids.block(course.area.code))}">\n`;
    xml += text('title', course.area.title, '    ');
    xml += text('description', course.area.description, '    ');
    for (const lesson of course.lessons) {
      const attrs = [
        `id="${escapeXml(ids.au(lesson.id))}"`,
        `moveOn="${moveOnOf(lesson)}"`,
        ...(lesson.checks.length > 0 ? [`masteryScore="${masteryDecimal(lesson.masteryScore)}"`] : []),
        'launchMethod="AnyWindow"',
      ];
      xml += `    <au ${attrs.join(' ')}>\n`;
      xml += text('title', lesson.title, '      ');
      xml += text('description', `${lesson.summary} (about ${lesson.minutes} minutes)`, '      ');
      xml += `      <url>${escapeXml(cmi5LaunchUrl(options.baseUrl, lesson.id))}</url>\n`;
      xml += '    </au>\n';
    }
    xml += '  </block>\n';
  }
  xml += '</courseStructure>\n';
  return xml;
}

/** Where a lesson's SCO launch page is inside a SCORM package. */
export function scoHref(lessonId: string): string {
  return `sco/${lessonId}.html`;
}

export const SCO_SHARED_FILES = ['sco/scorm12.js', 'sco/sco.css'] as const;

const xmlId = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** imsmanifest.xml of one topic area: one SCO per lesson. */
export function scorm12Manifest(course: Course, ids: LmsIds): string {
  const area = xmlId(course.area.code);
  let xml = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="academy-${area}" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-${area}">
    <organization identifier="org-${area}">
      <title>${escapeXml(`Digital Skills Academy: ${course.area.title}`)}</title>
`;
  for (const lesson of course.lessons) {
    const id = xmlId(lesson.id);
    xml += `      <item identifier="item-${id}" identifierref="res-${id}" isvisible="true">\n`;
    xml += `        <title>${escapeXml(lesson.title)}</title>\n`;
    if (lesson.checks.length > 0) xml += `        <adlcp:masteryscore>${Math.round(lesson.masteryScore * 100)}</adlcp:masteryscore>\n`;
    xml += `        <adlcp:datafromlms>${escapeXml(ids.au(lesson.id))}</adlcp:datafromlms>\n`;
    xml += '      </item>\n';
  }
  xml += '    </organization>\n  </organizations>\n  <resources>\n';
  for (const lesson of course.lessons) {
    const id = xmlId(lesson.id);
    xml += `    <resource identifier="res-${id}" type="webcontent" adlcp:scormtype="sco" href="${escapeXml(scoHref(lesson.id))}">\n`;
    for (const file of [scoHref(lesson.id), ...SCO_SHARED_FILES]) xml += `      <file href="${escapeXml(file)}"/>\n`;
    xml += '    </resource>\n';
  }
  xml += '  </resources>\n</manifest>\n';
  return xml;
}

/**
 * The SCO launch page of one lesson: it finds the LMS's API and runs the lesson from the academy.
 * `launch` is the lesson's signed launch data (launchToken.ts), sent when the SCO starts a session.
 */
export function scoPage(lesson: Lesson, baseUrl: string, launch: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(lesson.title)} – Digital Skills Academy</title>
<link rel="stylesheet" href="sco.css">
<script src="scorm12.js" defer></script>
</head>
<body data-academy="${escapeHtml(baseUrl.replace(/\/+$/, ''))}" data-lesson="${escapeHtml(lesson.id)}" data-launch="${escapeHtml(launch)}" data-mastery="${lesson.checks.length > 0 ? Math.round(lesson.masteryScore * 100) : ''}">
<header class="sco-header">
  <p class="sco-title">${escapeHtml(lesson.title)}</p>
  <p id="sco-status" class="sco-status" role="status">Starting the lesson…</p>
</header>
<main id="sco-main" class="sco-main"></main>
</body>
</html>
`;
}
