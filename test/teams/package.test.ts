import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import ajvDraft04 from 'ajv-draft-04';
import type { SchemaObject } from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { strFromU8, unzipSync } from 'fflate';
import { AcademyError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { packageTeamsCommand } from '../../src/teams/command.js';
import { spawnSync } from 'node:child_process';
import { buildTeamsPackage, PLACEHOLDER_BOT_ID, readPngInfo, validateTeamsManifest } from '../../src/teams/package.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MANIFEST_DIR = join(ROOT, 'manifest');
const BOT_ID = '6b1a3f0e-2c4d-4e5f-8a9b-0c1d2e3f4a5b';
const BASE_URL = 'https://academy.example.org';

/** The template as committed, parsed. */
function template(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

/** A filled-in manifest (no placeholders) to break in the validation tests. */
function filledManifest(): Record<string, unknown> {
  const text = readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')
    .replaceAll('{{BOT_ID}}', BOT_ID)
    .replaceAll('{{BASE_URL}}', BASE_URL)
    .replaceAll('{{DOMAIN}}', 'academy.example.org');
  return JSON.parse(text) as Record<string, unknown>;
}

/** The bundled Teams schema, compiled here independently of src/teams/package.ts. */
function independentValidator(manifestVersion: string) {
  const pkg = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
  const file = join(dirname(pkg), 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  expect(existsSync(file), `bundled schema ${file}`).to.equal(true);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as SchemaObject;
  expect(schema.$schema).to.equal('http://json-schema.org/draft-04/schema#');
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  return ajv.compile(schema);
}

async function rejection(p: Promise<unknown>): Promise<AcademyError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(AcademyError);
    if (e instanceof AcademyError) return e;
  }
  throw new Error('expected the promise to reject with an AcademyError');
}

function thrown(fn: () => void): AcademyError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(AcademyError);
    if (e instanceof AcademyError) return e;
  }
  throw new Error('expected an AcademyError');
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (enough for our icons) into its pixels, independently of the code under test. */
function decodeRgba(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  expect(png[24], 'bit depth').to.equal(8);
  expect(png[25], 'colour type RGBA').to.equal(6);
  expect(png[28], 'interlace').to.equal(0);
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= 4 ? (pixels[y * stride + x - 4] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] ?? 0) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('Teams app package', () => {
  let tmp: string;

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'academy-teams-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe('the template', () => {
    it('uses a Teams schema version bundled with @microsoft/app-manifest, with a matching $schema', () => {
      const t = template();
      expect(t.manifestVersion).to.be.a('string').and.match(/^1\.\d+$/);
      expect(Number(String(t.manifestVersion).split('.')[1])).to.be.at.least(19);
      expect(t.$schema).to.equal(`https://developer.microsoft.com/en-us/json-schemas/teams/v${String(t.manifestVersion)}/MicrosoftTeams.schema.json`);
      independentValidator(String(t.manifestVersion));
    });

    it('has exactly the BOT_ID, BASE_URL and DOMAIN placeholders', () => {
      const text = readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8');
      expect([...new Set(text.match(/\{\{[A-Z_]+\}\}/g))].sort()).to.deep.equal(['{{BASE_URL}}', '{{BOT_ID}}', '{{DOMAIN}}']);
    });
  });

  describe('buildTeamsPackage', () => {
    it('writes a zip with manifest.json, color.png and outline.png at the root, filled in and valid', async () => {
      const outFile = join(tmp, 'nested', 'academy-teams.zip');
      const result = await buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: BOT_ID, baseUrl: BASE_URL, outFile });

      expect(result.outFile).to.equal(outFile);
      expect(result.placeholderBotId).to.equal(false);
      expect(result.insecureBaseUrl).to.equal(false);
      expect(result.warnings).to.deep.equal([]);

      const entries = unzipSync(new Uint8Array(await readFile(outFile)));
      expect(Object.keys(entries).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
      const manifestEntry = entries['manifest.json'];
      if (!manifestEntry) throw new Error('manifest.json missing from the zip');
      const text = strFromU8(manifestEntry);
      expect(text).not.to.contain('{{');
      const manifest = JSON.parse(text) as Record<string, unknown>;
      expect(manifest).to.deep.equal(result.manifest);

      const validate = independentValidator(String(manifest.manifestVersion));
      expect(validate(manifest), JSON.stringify(validate.errors)).to.equal(true);

      expect(manifest.id).to.equal(BOT_ID);
      expect(manifest.developer).to.deep.include({
        name: 'Digital Skills Academy (OSS)',
        websiteUrl: BASE_URL,
        privacyUrl: `${BASE_URL}/privacy`,
        termsOfUseUrl: `${BASE_URL}/terms`,
      });
      expect(manifest.validDomains).to.deep.equal(['academy.example.org']);
      expect(manifest.name).to.deep.equal({ short: 'Digital Skills', full: 'Digital Skills Academy' });
      expect(manifest.accentColor).to.equal('#005EB8');
      expect(manifest.permissions).to.deep.equal(['identity', 'messageTeamMembers']);
      expect(manifest.icons).to.deep.equal({ color: 'color.png', outline: 'outline.png' });

      const bot = result.manifest.bots?.[0];
      expect(result.manifest.bots).to.have.length(1);
      expect(bot?.botId).to.equal(BOT_ID);
      expect(bot?.scopes).to.have.members(['personal', 'team', 'groupChat']);
      expect(bot?.supportsFiles).to.equal(false);
      const personal = bot?.commandLists?.find((l) => l.scopes.includes('personal'));
      expect(personal?.commands.map((c) => c.title)).to.have.members(['menu', 'progress', 'help', 'check my skills']);
      expect(personal?.commands.find((c) => c.title === 'menu')?.description).to.equal('See courses and lessons');
      expect(personal?.commands.find((c) => c.title === 'progress')?.description).to.equal('See your progress');
      expect(personal?.commands.find((c) => c.title === 'help')?.description).to.equal('What I can do');
    });

    it('packs icons of the sizes Teams requires: a 192×192 NHS blue colour icon and a 32×32 white-on-transparent outline', async () => {
      const outFile = join(tmp, 'academy-teams.zip');
      await buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: BOT_ID, baseUrl: BASE_URL, outFile });
      const entries = unzipSync(new Uint8Array(await readFile(outFile)));
      const colorPng = entries['color.png'];
      const outlinePng = entries['outline.png'];
      if (!colorPng || !outlinePng) throw new Error('icons missing from the zip');

      expect(readPngInfo(colorPng)).to.deep.include({ width: 192, height: 192 });
      expect(readPngInfo(outlinePng)).to.deep.include({ width: 32, height: 32, hasAlpha: true });

      const color = decodeRgba(colorPng);
      expect([color.width, color.height]).to.deep.equal([192, 192]);
      expect([...color.pixels.subarray(0, 4)], 'top-left pixel is NHS blue').to.deep.equal([0x00, 0x5e, 0xb8, 255]);
      let white = 0;
      for (let i = 0; i < color.pixels.length; i += 4) {
        expect(color.pixels[i + 3], 'colour icon is opaque').to.equal(255);
        if (color.pixels[i] === 255 && color.pixels[i + 1] === 255 && color.pixels[i + 2] === 255) white++;
      }
      expect(white, 'a white glyph').to.be.greaterThan(1000);

      const outline = decodeRgba(outlinePng);
      expect([outline.width, outline.height]).to.deep.equal([32, 32]);
      let transparent = 0;
      for (let i = 0; i < outline.pixels.length; i += 4) {
        const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
        if (a === 0) transparent++;
        else expect([r, g, b], `outline pixel ${i / 4} is white`).to.deep.equal([255, 255, 255]);
      }
      expect(transparent, 'transparent background').to.be.greaterThan(300);
      expect(transparent, 'and a shape').to.be.lessThan(32 * 32 - 100);
    });

    it('without MicrosoftAppId uses the all-zero placeholder GUID and says so; allows http://localhost with a warning', async () => {
      const result = await buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: '  ', baseUrl: 'http://localhost:3978/', outFile: join(tmp, 'p.zip'), dev: true });
      expect(result.placeholderBotId).to.equal(true);
      expect(result.insecureBaseUrl).to.equal(true);
      expect(result.manifest.id).to.equal(PLACEHOLDER_BOT_ID);
      expect(result.manifest.bots?.[0]?.botId).to.equal(PLACEHOLDER_BOT_ID);
      expect(result.manifest.developer.privacyUrl).to.equal('http://localhost:3978/privacy');
      expect(result.manifest.validDomains).to.deep.equal(['localhost:3978']);
      expect(result.warnings.map((w) => w.code)).to.deep.equal(['placeholder-bot-id', 'insecure-base-url']);
      expect(result.warnings[0]?.message).to.contain('Set MicrosoftAppId before uploading');
      expect(existsSync(join(tmp, 'p.zip'))).to.equal(true);
    });

    it('without --dev refuses the placeholder id and an http://localhost address, naming the setting, and writes nothing', async () => {
      const noId = await rejection(buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: '', baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') }));
      expect(noId.field).to.equal('MicrosoftAppId');
      expect(noId.message).to.contain('--dev');
      const local = await rejection(buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: BOT_ID, baseUrl: 'http://localhost:3978', outFile: join(tmp, 'p.zip') }));
      expect(local.field).to.equal('ACADEMY_BASE_URL');
      expect(local.message).to.contain('https');
      expect(existsSync(join(tmp, 'p.zip'))).to.equal(false);
    });

    it("gives the manifest package.json's version", async () => {
      const result = await buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: BOT_ID, baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') });
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(result.manifest.version).to.equal(pkg.version);
    });

    it('keeps a path in the base URL and drops its trailing slash', async () => {
      const result = await buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: BOT_ID, baseUrl: 'https://care.example.org:8443/academy/', outFile: join(tmp, 'p.zip') });
      expect(result.manifest.developer.websiteUrl).to.equal('https://care.example.org:8443/academy');
      expect(result.manifest.developer.privacyUrl).to.equal('https://care.example.org:8443/academy/privacy');
      expect(result.manifest.validDomains).to.deep.equal(['care.example.org:8443']);
    });

    it('rejects a bot id that is not a GUID, naming MicrosoftAppId', async () => {
      const e = await rejection(buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: 'my-bot', baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') }));
      expect(e.status).to.equal(400);
      expect(e.field).to.equal('MicrosoftAppId');
      expect(e.message).to.contain('GUID');
      expect(existsSync(join(tmp, 'p.zip'))).to.equal(false);
    });

    for (const baseUrl of ['http://academy.example.org', 'ftp://academy.example.org', 'academy.example.org', '', 'https://academy.example.org/?x=1']) {
      it(`rejects the base URL ${JSON.stringify(baseUrl)}, naming ACADEMY_BASE_URL`, async () => {
        const e = await rejection(buildTeamsPackage({ manifestDir: MANIFEST_DIR, botId: BOT_ID, baseUrl, outFile: join(tmp, 'p.zip') }));
        expect(e.status).to.equal(400);
        expect(e.field).to.equal('ACADEMY_BASE_URL');
      });
    }

    it('refuses a broken template (no name.short), naming the field, and writes nothing', async () => {
      const dir = join(tmp, 'manifest');
      await cp(MANIFEST_DIR, dir, { recursive: true });
      const broken = template();
      broken.name = { full: 'Digital Skills Academy' };
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(broken));
      const e = await rejection(buildTeamsPackage({ manifestDir: dir, botId: BOT_ID, baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') }));
      expect(e.status).to.equal(400);
      expect(e.field).to.equal('name.short');
      expect(e.message).to.contain('name.short');
      expect(existsSync(join(tmp, 'p.zip'))).to.equal(false);
    });

    it('refuses an icon of the wrong size, naming it', async () => {
      const dir = join(tmp, 'manifest');
      await cp(MANIFEST_DIR, dir, { recursive: true });
      await cp(join(MANIFEST_DIR, 'color.png'), join(dir, 'outline.png'));
      const e = await rejection(buildTeamsPackage({ manifestDir: dir, botId: BOT_ID, baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') }));
      expect(e.field).to.equal('icons.outline');
      expect(e.message).to.contain('32×32').and.contain('192×192');
    });

    it('refuses a missing icon and a placeholder it does not know', async () => {
      const dir = join(tmp, 'manifest');
      await cp(MANIFEST_DIR, dir, { recursive: true });
      await rm(join(dir, 'color.png'));
      const missing = await rejection(buildTeamsPackage({ manifestDir: dir, botId: BOT_ID, baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') }));
      expect(missing.field).to.equal('icons.color');

      const t = template();
      t.developer = { ...(t.developer as object), websiteUrl: '{{WEBSITE}}' };
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(t));
      const unknown = await rejection(buildTeamsPackage({ manifestDir: dir, botId: BOT_ID, baseUrl: BASE_URL, outFile: join(tmp, 'p.zip') }));
      expect(unknown.field).to.equal('developer.websiteUrl');
      expect(unknown.message).to.contain('{{WEBSITE}}');
    });
  });

  describe('validateTeamsManifest', () => {
    it('accepts the filled template', () => {
      expect(() => validateTeamsManifest(filledManifest())).not.to.throw();
    });

    it('names name.short when it is missing', () => {
      const m = filledManifest();
      m.name = { full: 'Digital Skills Academy' };
      const e = thrown(() => validateTeamsManifest(m));
      expect(e.status).to.equal(400);
      expect(e.field).to.equal('name.short');
      expect(e.message).to.contain('name.short is required');
    });

    for (const accentColor of ['#05EB8', 'NHS blue', '005EB8']) {
      it(`names accentColor when it is ${JSON.stringify(accentColor)}`, () => {
        const m = filledManifest();
        m.accentColor = accentColor;
        const e = thrown(() => validateTeamsManifest(m));
        expect(e.field).to.equal('accentColor');
        expect(e.message).to.contain('accentColor must match pattern');
      });
    }

    it('names the path inside an array (bots[0].botId) and an unknown property', () => {
      const m = filledManifest();
      const bots = m.bots as Array<Record<string, unknown>>;
      bots[0] = { ...bots[0], botId: 'not-a-guid' };
      expect(thrown(() => validateTeamsManifest(m)).field).to.equal('bots[0].botId');

      const extra = filledManifest();
      extra.colour = 'blue';
      const e = thrown(() => validateTeamsManifest(extra));
      expect(e.field).to.equal('colour');
      expect(e.message).to.contain('colour is not allowed');
    });

    it('names developer.name when it is longer than Teams allows (32 characters)', () => {
      const m = filledManifest();
      m.developer = { ...(m.developer as object), name: 'Digital Skills Academy (open source)' };
      expect(thrown(() => validateTeamsManifest(m)).field).to.equal('developer.name');
    });

    it('refuses a manifestVersion with no bundled schema, or a $schema for another version', () => {
      const m = filledManifest();
      m.manifestVersion = '1.99';
      m.$schema = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.99/MicrosoftTeams.schema.json';
      expect(thrown(() => validateTeamsManifest(m)).field).to.equal('manifestVersion');

      const mismatch = filledManifest();
      mismatch.$schema = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json';
      expect(thrown(() => validateTeamsManifest(mismatch)).field).to.equal('$schema');

      expect(thrown(() => validateTeamsManifest([])).field).to.equal('manifest.json');
    });
  });

  describe('packageTeamsCommand (npm run package:teams)', () => {
    it('builds the package from the configuration and prints the warnings', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const outFile = join(tmp, 'cli', 'academy-teams.zip');
      const code = await packageTeamsCommand(loadConfig({}, tmp), outFile, { out: (l) => out.push(l), err: (l) => err.push(l) }, ROOT, true);
      expect(code).to.equal(0);
      expect(existsSync(outFile)).to.equal(true);
      expect(err.join('\n')).to.contain('MicrosoftAppId').and.contain('https');
      expect(out.join('\n')).to.contain(outFile).and.contain('Set MicrosoftAppId before uploading');
    });

    it('fails with a non-zero exit and a clear message without an app id, unless --dev (the built CLI, as npm run package:teams runs it)', () => {
      const cli = join(ROOT, 'dist', 'src', 'cli.js');
      const env = { PATH: process.env.PATH ?? '', DATA_DIR: tmp, MicrosoftAppId: '', ACADEMY_BASE_URL: '' };
      const failed = spawnSync(process.execPath, [cli, 'package', 'teams', '--out', join(tmp, 'x.zip')], { cwd: tmp, env, encoding: 'utf8' });
      expect(failed.status).to.not.equal(0);
      expect(failed.stderr).to.contain('MicrosoftAppId').and.contain('--dev');
      expect(existsSync(join(tmp, 'x.zip'))).to.equal(false);
      const dev = spawnSync(process.execPath, [cli, 'package', 'teams', '--dev', '--out', join(tmp, 'x.zip')], { cwd: tmp, env, encoding: 'utf8' });
      expect(dev.status, dev.stderr).to.equal(0);
      expect(existsSync(join(tmp, 'x.zip'))).to.equal(true);
    });

    it('uses MicrosoftAppId and ACADEMY_BASE_URL without warnings when both are set', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const outFile = join(tmp, 'academy-teams.zip');
      const config = loadConfig({ MicrosoftAppId: BOT_ID, MicrosoftAppPassword: 'secret-value', ACADEMY_BASE_URL: BASE_URL }, tmp);
      const code = await packageTeamsCommand(config, outFile, { out: (l) => out.push(l), err: (l) => err.push(l) }, ROOT);
      expect(code).to.equal(0);
      expect(err).to.deep.equal([]);
      const manifestEntry = unzipSync(new Uint8Array(await readFile(outFile)))['manifest.json'];
      if (!manifestEntry) throw new Error('manifest.json missing');
      expect((JSON.parse(strFromU8(manifestEntry)) as { id: string }).id).to.equal(BOT_ID);
    });
  });
});
