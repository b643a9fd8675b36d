/**
 * Builds the Microsoft Teams app package (a zip with manifest.json, color.png and outline.png at
 * its root) from the template in `manifest/`.
 *
 * Everything happens offline: the manifest is checked against the JSON schema that
 * `@microsoft/app-manifest` bundles for the template's `manifestVersion`, never one fetched
 * from developer.microsoft.com.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { strToU8, zipSync } from 'fflate';
import { AcademyError } from '../errors.js';
import { projectRoot } from '../paths.js';

/** Stands in for the bot's Microsoft App ID until one is configured. Teams will not accept it. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';

/** The zip written by `npm run package:teams`, relative to the project root. */
export const DEFAULT_TEAMS_PACKAGE = join('dist', 'teams', 'academy-teams.zip');

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Icon sizes Teams requires (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package). */
const ICON_SIZES = { color: 192, outline: 32 } as const;
/** A fixed time stamp for the zip entries, so the same inputs give the same bytes. */
const ZIP_MTIME = new Date('2025-01-01T00:00:00Z');

export interface TeamsPackageOptions {
  /** Folder holding manifest.json (the template) and the icons it names. */
  manifestDir: string;
  /** The bot's Microsoft App ID (MicrosoftAppId), a GUID. Empty: a placeholder GUID is used, with a warning. */
  botId: string;
  /** Where the academy is served (ACADEMY_BASE_URL). Must be https; http://localhost is allowed with a warning. */
  baseUrl: string;
  /** The zip to write; its folder is created if needed. */
  outFile: string;
  /** Allow the placeholder id and an http://localhost address, for local trials (`--dev`); otherwise both fail. */
  dev?: boolean;
  /** The app's version in the manifest; default: package.json's version. */
  appVersion?: string;
}

/** package.json's version, which the manifest's `version` follows. */
export function packageVersion(root: string = projectRoot()): string {
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) throw new AcademyError(500, 'package.json has no version like 1.2.3.', 'version');
  return version;
}

/** Without `--dev`, a package with the placeholder id or a non-https address is an error, not a warning. */
function refuseUnlessDev(opts: TeamsPackageOptions, placeholderBotId: boolean, insecure: boolean): void {
  if (opts.dev) return;
  if (placeholderBotId) {
    throw new AcademyError(400, `MicrosoftAppId is not set (the package would have the placeholder id ${PLACEHOLDER_BOT_ID}). Set MicrosoftAppId, or add --dev to build a package for local trials.`, 'MicrosoftAppId');
  }
  if (insecure) throw new AcademyError(400, 'ACADEMY_BASE_URL must be an https address for Teams. Set it, or add --dev to build a package for local trials.', 'ACADEMY_BASE_URL');
}

export type TeamsPackageWarningCode = 'placeholder-bot-id' | 'insecure-base-url';

export interface TeamsPackageWarning {
  code: TeamsPackageWarningCode;
  /** A sentence the CLI can print as it is. */
  message: string;
}

/**
 * The parts of a Teams app manifest this module relies on. The bundled JSON schema checks far
 * more than this; anything else is kept as it is in the template.
 */
export interface TeamsManifestJson {
  $schema?: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full?: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots?: Array<{
    botId: string;
    scopes: string[];
    supportsFiles?: boolean;
    commandLists?: Array<{ scopes: string[]; commands: Array<{ title: string; description?: string }> }>;
  }>;
  permissions?: string[];
  validDomains?: string[];
  [property: string]: unknown;
}

export interface TeamsPackageResult {
  outFile: string;
  manifest: TeamsManifestJson;
  /** True when no MicrosoftAppId was given and PLACEHOLDER_BOT_ID was used: the CLI should say "set MicrosoftAppId before uploading". */
  placeholderBotId: boolean;
  /** True when the base URL is http://localhost: fine locally, but Teams needs https to accept the package. */
  insecureBaseUrl: boolean;
  warnings: TeamsPackageWarning[];
}

/** Fills the template in `manifestDir`, validates it and its icons offline, and writes the zip. */
export async function buildTeamsPackage(opts: TeamsPackageOptions): Promise<TeamsPackageResult> {
  const warnings: TeamsPackageWarning[] = [];

  const botId = opts.botId.trim();
  const placeholderBotId = botId === '' || botId === PLACEHOLDER_BOT_ID;
  if (placeholderBotId) {
    warnings.push({
      code: 'placeholder-bot-id',
      message: `MicrosoftAppId is not set, so the package uses the placeholder id ${PLACEHOLDER_BOT_ID}. Set MicrosoftAppId before uploading it to Teams.`,
    });
  } else if (!GUID.test(botId)) {
    throw new AcademyError(400, `MicrosoftAppId must be a GUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427, not "${botId}".`, 'MicrosoftAppId');
  }

  const base = parseBaseUrl(opts.baseUrl);
  if (base.insecure) {
    warnings.push({
      code: 'insecure-base-url',
      message: `ACADEMY_BASE_URL is ${base.url}. That is fine for trying the package locally, but Teams needs an https address before you upload it.`,
    });
  }

  refuseUnlessDev(opts, placeholderBotId, base.insecure);

  const template = await readJson(join(opts.manifestDir, 'manifest.json'));
  const filled = fillPlaceholders(template, {
    BOT_ID: placeholderBotId ? PLACEHOLDER_BOT_ID : botId,
    BASE_URL: base.url,
    DOMAIN: base.domain,
  });
  if (typeof filled === 'object' && filled !== null && !Array.isArray(filled)) Object.assign(filled, { version: opts.appVersion ?? packageVersion() });
  validateTeamsManifest(filled);

  const colorPng = await readIcon(opts.manifestDir, filled.icons.color, 'icons.color', ICON_SIZES.color, false);
  const outlinePng = await readIcon(opts.manifestDir, filled.icons.outline, 'icons.outline', ICON_SIZES.outline, true);

  const zip = zipSync(
    {
      'manifest.json': strToU8(JSON.stringify(filled, null, 2) + '\n'),
      [filled.icons.color]: colorPng,
      [filled.icons.outline]: outlinePng,
    },
    { level: 9, mtime: ZIP_MTIME },
  );
  const outFile = resolve(opts.outFile);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, zip);

  return { outFile, manifest: filled, placeholderBotId, insecureBaseUrl: base.insecure, warnings };
}

/**
 * Checks a filled manifest against the JSON schema `@microsoft/app-manifest` bundles for its
 * `manifestVersion`, offline. Throws AcademyError(400) naming the JSON path at fault.
 */
export function validateTeamsManifest(manifest: unknown): asserts manifest is TeamsManifestJson {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new AcademyError(400, 'manifest.json must hold a JSON object.', 'manifest.json');
  }
  const version = 'manifestVersion' in manifest ? manifest.manifestVersion : undefined;
  if (typeof version !== 'string' || !/^1\.\d+$/.test(version)) {
    throw new AcademyError(400, 'manifest.json: manifestVersion must be a released schema version such as "1.30".', 'manifestVersion');
  }
  const declared = '$schema' in manifest ? manifest.$schema : undefined;
  if (declared !== undefined && (typeof declared !== 'string' || !declared.endsWith(`/teams/v${version}/MicrosoftTeams.schema.json`))) {
    throw new AcademyError(400, `manifest.json: $schema must be the v${version} Teams schema, to match manifestVersion "${version}".`, '$schema');
  }
  const validate = compiledSchema(version);
  if (!validate(manifest)) {
    const problems = describeErrors(validate.errors ?? []);
    const first = problems[0] ?? { path: '', text: 'does not match the schema' };
    throw new AcademyError(
      400,
      `manifest.json is not a valid Teams v${version} manifest: ${problems.slice(0, 5).map((p) => p.text).join('; ')}`,
      first.path || 'manifest.json',
    );
  }
}

/** Where `@microsoft/app-manifest` keeps the Teams schema for a manifest version, e.g. "1.30". */
export function bundledTeamsSchemaPath(version: string): string {
  const pkg = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
  return join(dirname(pkg), 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
}

export interface PngInfo {
  width: number;
  height: number;
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colorType: number;
  /** Whether the image can be transparent (an alpha channel or a tRNS chunk). */
  hasAlpha: boolean;
}

/** Reads a PNG's size and colour type from its IHDR chunk, without decoding the pixels. */
export function readPngInfo(png: Uint8Array): PngInfo | undefined {
  if (png.length < 33 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (chunkType(png, 12) !== 'IHDR' || view.getUint32(8) !== 13) return undefined;
  const colorType = png[25] ?? -1;
  let hasAlpha = colorType === 4 || colorType === 6;
  for (let at = 8; at + 8 <= png.length && !hasAlpha; ) {
    const type = chunkType(png, at + 4);
    if (type === 'tRNS') hasAlpha = true;
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + view.getUint32(at);
  }
  return { width: view.getUint32(16), height: view.getUint32(20), colorType, hasAlpha };
}

// ---------------------------------------------------------------------------------------------

const compiled = new Map<string, ValidateFunction<TeamsManifestJson>>();

function compiledSchema(version: string): ValidateFunction<TeamsManifestJson> {
  const cached = compiled.get(version);
  if (cached) return cached;
  let schema: SchemaObject;
  try {
    schema = JSON.parse(readFileSync(bundledTeamsSchemaPath(version), 'utf8')) as SchemaObject;
  } catch {
    throw new AcademyError(
      400,
      `manifest.json: manifestVersion "${version}" has no schema bundled with @microsoft/app-manifest, so it cannot be checked offline.`,
      'manifestVersion',
    );
  }
  // The Teams schemas are draft-04. strict: false because they are Microsoft's, not ours to lint.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile<TeamsManifestJson>(schema);
  compiled.set(version, validate);
  return validate;
}

interface Problem {
  /** Dotted JSON path of the property at fault, e.g. "name.short" or "bots[0].botId". */
  path: string;
  text: string;
}

function describeErrors(errors: ErrorObject[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of errors) {
    const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let text: string;
    if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
      segments.push(e.params.missingProperty);
      text = `${dotted(segments)} is required`;
    } else if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
      segments.push(e.params.additionalProperty);
      text = `${dotted(segments)} is not allowed here`;
    } else {
      text = `${dotted(segments) || '(root)'} ${e.message ?? 'is not valid'}`;
    }
    if (seen.has(text)) continue;
    seen.add(text);
    problems.push({ path: dotted(segments), text });
  }
  return problems;
}

function dotted(segments: string[]): string {
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function parseBaseUrl(raw: string): { url: string; domain: string; insecure: boolean } {
  const text = raw.trim();
  if (!text) throw new AcademyError(400, 'ACADEMY_BASE_URL must be set to where the academy is served, e.g. https://academy.example.org.', 'ACADEMY_BASE_URL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AcademyError(400, `ACADEMY_BASE_URL is not a URL: "${text}".`, 'ACADEMY_BASE_URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AcademyError(400, 'ACADEMY_BASE_URL must be a plain address, without a user name, query or #fragment.', 'ACADEMY_BASE_URL');
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new AcademyError(400, `ACADEMY_BASE_URL must use https (Teams requires it), not "${text}". Only http://localhost is allowed, for local trials.`, 'ACADEMY_BASE_URL');
  }
  return { url: url.origin + url.pathname.replace(/\/+$/, ''), domain: url.host, insecure: url.protocol === 'http:' };
}

/** Replaces {{NAME}} in every string of the template; a placeholder left unfilled is an error. */
function fillPlaceholders(template: unknown, values: Record<string, string>): unknown {
  const walk = (node: unknown, path: string[]): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) {
          throw new AcademyError(400, `manifest.json: unknown placeholder ${whole} at ${dotted(path)}.`, dotted(path));
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, String(i)]));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  return walk(template, []);
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AcademyError(404, `The Teams manifest template ${file} was not found.`, 'manifestDir');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AcademyError(400, `${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, 'manifest.json');
  }
}

async function readIcon(dir: string, name: string, field: string, size: number, transparent: boolean): Promise<Uint8Array> {
  if (!/^[\w.-]+\.png$/i.test(name) || name.startsWith('.')) {
    throw new AcademyError(400, `manifest.json: ${field} must be a .png file name at the root of the package, not "${name}".`, field);
  }
  let png: Uint8Array;
  try {
    png = await readFile(join(dir, name));
  } catch {
    throw new AcademyError(404, `manifest.json: ${field} names ${name}, which is not in ${dir}.`, field);
  }
  const info = readPngInfo(png);
  if (!info) throw new AcademyError(400, `${name} (${field}) is not a PNG file.`, field);
  if (info.width !== size || info.height !== size) {
    throw new AcademyError(400, `${name} (${field}) must be ${size}×${size} pixels, not ${info.width}×${info.height}.`, field);
  }
  if (transparent && !info.hasAlpha) {
    throw new AcademyError(400, `${name} (${field}) must have a transparent background (a PNG with an alpha channel).`, field);
  }
  return png;
}

function chunkType(png: Uint8Array, at: number): string {
  return String.fromCharCode(png[at] ?? 0, png[at + 1] ?? 0, png[at + 2] ?? 0, png[at + 3] ?? 0);
}
