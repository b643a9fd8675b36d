import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { strFromU8, unzipSync } from 'fflate';
import { runCli } from '../../src/cli.js';
import { cmi5Package, scorm12Packages } from '../../src/lms/packages.js';
import { LmsIds } from '../../src/lms/ids.js';
import { projectRoot } from '../../src/paths.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { shippedCatalog, tempDir } from '../support/bot.js';

const XSD = join(projectRoot(), '..', 'shared', 'specs', 'cmi5', 'CourseStructure.xsd');

function xmllint(file: string, schema?: string): string {
  try {
    execFileSync('xmllint', ['--noout', ...(schema ? ['--schema', schema] : []), file], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

function unzipCli(dir: string, name: string): Record<string, string> {
  const files = unzipSync(new Uint8Array(readFileSync(join(dir, name))));
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)]));
}

const auIds = (xml: string) => [...xml.matchAll(/<au id="([^"]+)"/g)].map((m) => m[1]);

describe('LMS packages: academy export cmi5 | scorm12', () => {
  const env = { ACADEMY_BASE_URL: 'https://academy.example.org', XAPI_ID_BASE: 'https://academy.test/xapi' };
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
  };

  it('exports a cmi5 package whose cmi5.xml validates against CourseStructure.xsd, one block per area and one AU per lesson', async () => {
    const dir = tempDir('lms-export-');
    const { io: out } = io();
    expect(await runCli(['export', 'cmi5', '--out', dir], out, env)).to.equal(0);
    const files = unzipCli(dir, 'digital-skills-academy-cmi5.zip');
    expect(Object.keys(files)).to.deep.equal(['cmi5.xml']);
    const xml = files['cmi5.xml'];
    writeFileSync(join(dir, 'cmi5.xml'), xml);
    expect(xmllint(join(dir, 'cmi5.xml'), XSD)).to.equal('');
    const catalog = shippedCatalog();
    expect([...xml.matchAll(/<block /g)]).to.have.length(catalog.courses.length);
    expect(auIds(xml)).to.have.length(catalog.lessons.length);
    const lesson = catalog.course('nhs-app')!.lessons[0];
    expect(xml).to.include(`<au id="https://academy.test/xapi/activities/lesson/${lesson.id}" moveOn="CompletedAndPassed" masteryScore="${lesson.masteryScore}"`);
    expect(xml).to.include(`<url>https://academy.example.org/lms/cmi5/launch?lesson=${lesson.id}</url>`);
    expect(xml).to.include(`<langstring lang="en-GB">${lesson.title}</langstring>`);
  });

  it('gives the same AU ids (and the same bytes) in two exports, and validates an area-only export', async () => {
    const options = { catalog: shippedCatalog(), ids: new LmsIds(new XapiIds('https://academy.test/xapi')), baseUrl: 'https://academy.example.org' };
    const a = cmi5Package(options);
    const b = cmi5Package(options);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).to.equal(true);
    const xmlA = strFromU8(unzipSync(a.bytes)['cmi5.xml']);
    expect(auIds(xmlA)).to.deep.equal(auIds(strFromU8(unzipSync(b.bytes)['cmi5.xml'])));
    const dir = tempDir('lms-export-');
    const area = cmi5Package({ ...options, area: 'safety' });
    const file = join(dir, 'safety.xml');
    writeFileSync(file, strFromU8(unzipSync(area.bytes)['cmi5.xml']));
    expect(xmllint(file, XSD)).to.equal('');
    expect(auIds(readFileSync(file, 'utf8'))).to.have.length(shippedCatalog().course('safety')!.lessons.length);
  });

  it('names the field when --area is wrong or --out is missing', async () => {
    const { lines, io: out } = io();
    expect(await runCli(['export', 'cmi5', '--out', tempDir(), '--area', 'nope'], out, env)).to.equal(1);
    expect(lines.join('\n')).to.match(/--area must be one of nhs-app/);
    expect(await runCli(['export', 'scorm12'], out, env)).to.equal(1);
    expect(lines.join('\n')).to.match(/--out <dir> is required/);
  });

  it('exports one SCORM 1.2 package per area: a well-formed imsmanifest.xml, one SCO per lesson, launch pages pointing at the academy', async () => {
    const dir = tempDir('lms-scorm-');
    const { io: out } = io();
    expect(await runCli(['export', 'scorm12', '--out', dir], out, env)).to.equal(0);
    const packages = scorm12Packages({ catalog: shippedCatalog(), ids: new LmsIds(new XapiIds('https://academy.test/xapi')), baseUrl: 'https://academy.example.org', launchKey: Buffer.alloc(32, 1) });
    expect(packages).to.have.length(shippedCatalog().courses.length);
    const files = unzipCli(dir, 'digital-skills-academy-scorm12-nhs-app.zip');
    const manifest = files['imsmanifest.xml'];
    mkdirSync(join(dir, 'x'), { recursive: true });
    writeFileSync(join(dir, 'x', 'imsmanifest.xml'), manifest);
    expect(xmllint(join(dir, 'x', 'imsmanifest.xml'))).to.equal('');
    expect(manifest).to.include('<schemaversion>1.2</schemaversion>');
    const lessons = shippedCatalog().course('nhs-app')!.lessons;
    expect([...manifest.matchAll(/adlcp:scormtype="sco"/g)]).to.have.length(lessons.length);
    for (const lesson of lessons) {
      const href = `sco/${lesson.id}.html`;
      expect(manifest).to.include(`href="${href}"`);
      expect(files[href]).to.include('data-academy="https://academy.example.org"');
      expect(files[href]).to.include(`data-lesson="${lesson.id}"`);
      expect(files[href]).to.match(/data-launch="1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}"/);
    }
    expect(files['sco/scorm12.js']).to.include('LMSInitialize');
  });
});
