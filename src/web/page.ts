import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { AcademyError } from '../errors.js';
import { projectRoot } from '../paths.js';

/**
 * The academy's web chat page: `GET /` (HTML), the page's own `/static/academy.css` and
 * `/static/academy.js` and `/static/accessibility.js` (files beside this module in src/web/), Bot Framework Web Chat's bundle at
 * `/static/webchat.js` (straight from node_modules, no CDN) and a `/privacy` placeholder.
 *
 * The page runs under a strict Content Security Policy: scripts from 'self' only, no inline
 * script or event handlers, no eval; Web Chat's CSS-in-JS (emotion) style elements are allowed by a
 * per-response nonce which the page passes to Web Chat's `nonce` prop.
 */

export const DEFAULT_TITLE = 'Digital Skills Academy';
export const PRIVACY_TEXT = 'Your learning is private: we keep it under a random id, not your name.';
export const WELCOME_TEXT = `Short lessons on the NHS App, staying safe online and more. ${PRIVACY_TEXT}`;

export interface WebChatPageDeps {
  /** The page title and header text; default "Digital Skills Academy". */
  readonly title?: string;
  /** Extra origins the page may call (the Azure Direct Line endpoint in Azure mode). */
  readonly connectSrc?: readonly string[];
  /** Who may frame the page (CSP frame-ancestors); default 'self'. */
  readonly frameAncestors?: readonly string[];
  /** Serve the `/privacy` placeholder; default true. Turn off when a real privacy page is routed. */
  readonly privacyPage?: boolean;
  /**
   * Who may frame the page in lesson mode (`/?lesson=…`, a lesson launched from an LMS, which
   * frames it from its own origin); default: `frameAncestors`.
   */
  readonly lessonFrameAncestors?: readonly string[];
}

interface Asset {
  readonly path: string;
  readonly type: string;
  readonly etag: string;
  readonly size: number;
  /** Set for small files read into memory. */
  readonly body?: Buffer;
}

/** Where botframework-webchat's browser bundle is: its package exports hide `dist/webchat.js` from require.resolve. */
export function webChatBundlePath(): string {
  const candidates: string[] = [];
  try {
    // The package's `.` export (lib/index.js for require): its package folder is one level up.
    const main = createRequire(import.meta.url).resolve('botframework-webchat');
    candidates.push(join(dirname(main), '..', 'dist', 'webchat.js'));
  } catch {
    // fall through to the project's node_modules
  }
  candidates.push(join(projectRoot(), 'node_modules', 'botframework-webchat', 'dist', 'webchat.js'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new AcademyError(500, 'botframework-webchat/dist/webchat.js not found; is botframework-webchat installed?');
  return found;
}

function webChatVersion(bundle: string): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(dirname(bundle), '..', 'package.json'), 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // unknown version
  }
  return 'unknown';
}

/** The folder holding academy.css and academy.js (src/web/, also when running from dist/). */
function assetDir(): string {
  const dir = join(projectRoot(), 'src', 'web');
  if (!existsSync(join(dir, 'academy.js'))) throw new AcademyError(500, `Web chat assets not found in ${dir}`);
  return dir;
}

function fileAsset(path: string, type: string, inMemory: boolean): Asset {
  const st = statSync(path);
  const body = inMemory ? readFileSync(path) : undefined;
  const hash = body ? createHash('sha256').update(body).digest('base64url').slice(0, 16) : `${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}`;
  return { path, type, etag: `"${hash}"`, size: st.size, ...(body ? { body } : {}) };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * sha256 of the empty string. CSS-in-JS libraries (emotion) create an empty <style> element and
 * then add rules through the CSSOM (insertRule), which CSP does not govern. Web Chat passes its
 * `nonce` to its own emotion cache, but 4.18 renders react-scroll-to-bottom's composer without it,
 * so that library's empty <style> needs this hash (it allows only empty inline style elements).
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/** The Content-Security-Policy of the page, with this response's style nonce. */
export function contentSecurityPolicy(nonce: string, deps: Pick<WebChatPageDeps, 'connectSrc' | 'frameAncestors'> = {}): string {
  const connect = ["'self'", ...(deps.connectSrc ?? [])].join(' ');
  const ancestors = (deps.frameAncestors?.length ? deps.frameAncestors : ["'self'"]).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' ${EMPTY_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

export function renderPage(options: {
  title: string;
  nonce: string;
  cssHref: string;
  scriptHref: string;
  webChatHref: string;
  iconHref: string;
  /** The page's accessibility helpers (read aloud, card text size, focus), loaded before the page script. */
  accessibilityHref?: string;
}): string {
  const title = escapeHtml(options.title);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${escapeHtml(WELCOME_TEXT)}">
<meta name="theme-color" content="#005EB8">
<link rel="icon" href="${options.iconHref}" type="image/svg+xml">
<link rel="stylesheet" href="${options.cssHref}">
<script src="${options.webChatHref}" defer></script>
${options.accessibilityHref ? `<script src="${options.accessibilityHref}" defer></script>\n` : ''}<script src="${options.scriptHref}" nonce="${options.nonce}" defer></script>
</head>
<body>
<a class="skip-link" href="#webchat">Skip to the chat</a>
<header class="site-header">
  <div class="container">
    <p class="site-name"><a href="/">${title}</a></p>
    <p class="site-tagline">For NHS and social care staff</p>
  </div>
</header>
<main id="main" class="container">
  <h1 class="visually-hidden">${title}</h1>
  <p class="welcome">${escapeHtml(WELCOME_TEXT)}</p>
  <div class="toolbar" role="group" aria-labelledby="text-size-label">
    <span id="text-size-label" class="toolbar-label">Text size</span>
    <button type="button" class="button-text-size" id="text-smaller" aria-describedby="text-size-value"><span class="text-size-icon" aria-hidden="true">A-</span> <span class="text-size-words">Smaller text</span></button>
    <button type="button" class="button-text-size" id="text-larger" aria-describedby="text-size-value"><span class="text-size-icon" aria-hidden="true">A+</span> <span class="text-size-words">Larger text</span></button>
    <span id="text-size-value" class="toolbar-value" aria-live="polite">100%</span>
  </div>
  <p id="chat-status" class="chat-status" role="status">Loading the chat…</p>
  <div id="chat-error" class="chat-error" role="alert" hidden>
    <p id="chat-error-text"></p>
    <button type="button" id="chat-retry" class="button">Start a new chat</button>
  </div>
  <section id="webchat" class="webchat" aria-label="Chat with the academy" tabindex="-1">
    <noscript><p class="noscript">The chat needs JavaScript. Please turn it on, or use the academy in Microsoft Teams.</p></noscript>
  </section>
</main>
<footer class="site-footer">
  <div class="container">
    <a href="/privacy">Privacy</a>
    <a href="/terms">Terms of use</a>
  </div>
</footer>
</body>
</html>
`;
}

function renderPrivacyPage(title: string, cssHref: string, iconHref: string): string {
  const t = escapeHtml(title);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy – ${t}</title>
<link rel="icon" href="${iconHref}" type="image/svg+xml">
<link rel="stylesheet" href="${cssHref}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="container">
    <p class="site-name"><a href="/">${t}</a></p>
  </div>
</header>
<main id="main" class="container prose" tabindex="-1">
  <h1>Privacy</h1>
  <p>${escapeHtml(PRIVACY_TEXT)}</p>
  <p>This page is a placeholder: the full privacy notice will be published here.</p>
  <p><a href="/">Back to the chat</a></p>
</main>
</body>
</html>
`;
}

/** The terms of use in plain words, `/terms` (the Teams manifest's termsOfUseUrl). */
export const TERMS_POINTS: readonly string[] = [
  'The academy is free. It teaches digital skills for work in health and care: short lessons, a skills check and answers to questions about using digital services.',
  'It does not give medical advice. For a health question use NHS 111 online or the NHS website, or ask a pharmacist. In an emergency call 999.',
  'Answers come from lessons that people have reviewed, but they can be wrong or out of date. Check with your manager or your organisation’s policy before you act on them at work.',
  'Please do not type anyone’s personal or health details into the chat, including your own. The questions you type are kept so the team can improve the answers.',
  'Be kind when you ask a digital champion for help. Champions are colleagues who volunteer.',
  'We may change or stop the academy. We will update this page when these terms change.',
  'The academy is open-source software, shared under the MIT licence, and comes without warranty.',
];

function renderTermsPage(title: string, cssHref: string, iconHref: string): string {
  const t = escapeHtml(title);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Terms of use – ${t}</title>
<link rel="icon" href="${iconHref}" type="image/svg+xml">
<link rel="stylesheet" href="${cssHref}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="container">
    <p class="site-name"><a href="/">${t}</a></p>
  </div>
</header>
<main id="main" class="container prose" tabindex="-1">
  <h1>Terms of use</h1>
  <p>By using the ${t} you agree to these terms.</p>
  <ul>
${TERMS_POINTS.map((p) => `    <li>${escapeHtml(p)}</li>`).join('\n')}
  </ul>
  <p>What we keep about you, and who can see it, is on the <a href="/privacy">privacy page</a>.</p>
  <p><a href="/">Back to the chat</a></p>
</main>
</body>
</html>
`;
}

function acceptsEncoding(req: IncomingMessage, encoding: 'br' | 'gzip'): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name?.trim().toLowerCase() !== encoding) return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  return typeof header === 'string' && header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export function registerWebChatPage(server: Server, deps: WebChatPageDeps = {}): void {
  const title = deps.title?.trim() || DEFAULT_TITLE;
  const dir = assetDir();
  const css = fileAsset(join(dir, 'academy.css'), 'text/css; charset=utf-8', true);
  const script = fileAsset(join(dir, 'academy.js'), 'text/javascript; charset=utf-8', true);
  const accessibility = fileAsset(join(dir, 'accessibility.js'), 'text/javascript; charset=utf-8', true);
  const favicon = fileAsset(join(dir, 'favicon.svg'), 'image/svg+xml', true);
  const bundlePath = webChatBundlePath();
  const bundle = fileAsset(bundlePath, 'text/javascript; charset=utf-8', false);
  const version = webChatVersion(bundlePath);
  // Versioned URLs: each can be cached for a year, a new release changes the URL.
  const href = (name: string, asset: Asset): string => `/static/${name}?v=${asset.etag.slice(1, 9)}`;
  const cssHref = href('academy.css', css);
  const scriptHref = href('academy.js', script);
  const accessibilityHref = href('accessibility.js', accessibility);
  const iconHref = href('favicon.svg', favicon);
  const webChatHref = `/static/webchat.js?v=${encodeURIComponent(version)}`;

  // The bundle (3.9 MB) is kept in memory once asked for, raw and compressed: every response is one
  // `res.end(buffer)`, so an aborted or slow download can never fail after the headers are sent.
  const bundleBodies = new Map<'br' | 'gzip' | 'identity', Promise<Buffer>>();
  const bundleBody = (encoding: 'br' | 'gzip' | 'identity'): Promise<Buffer> => {
    let p = bundleBodies.get(encoding);
    if (!p) {
      const raw = readFileSync(bundle.path);
      p =
        encoding === 'identity'
          ? Promise.resolve(raw)
          : encoding === 'br'
            ? // Quality 5: within 7% of quality 9's size at a tenth of the time (about 0.4 s, not 3.5 s, for 3.9 MB).
              promisify(brotliCompress)(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
            : promisify(gzip)(raw, { level: 6 });
      p.catch(() => bundleBodies.delete(encoding));
      bundleBodies.set(encoding, p);
    }
    return p;
  };

  const sendAsset = async (req: Request, res: Response, asset: Asset): Promise<void> => {
    const versioned = new URL(req.url ?? '/', 'http://localhost').searchParams.has('v');
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Content-Type': asset.type,
      ETag: asset.etag,
      'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600, must-revalidate',
      Vary: 'Accept-Encoding',
    };
    if (notModified(req, asset.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (asset.body) {
      res.writeHead(200, { ...headers, 'Content-Length': String(asset.body.length) });
      res.end(asset.body);
      return;
    }
    const encoding = acceptsEncoding(req, 'br') ? 'br' : acceptsEncoding(req, 'gzip') ? 'gzip' : undefined;
    const body = await bundleBody(encoding ?? 'identity');
    res.writeHead(200, { ...headers, ...(encoding ? { 'Content-Encoding': encoding } : {}), 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const sendHtml = (res: Response, html: string, csp: string): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(html)),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': csp,
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    });
    res.end(html);
  };

  type Handler = (req: Request, res: Response) => Promise<void>;
  /** GET and HEAD (Node's http sends no body for HEAD). */
  const serve = (path: string, handler: Handler): void => {
    server.get(path, handler);
    server.head(path, handler);
  };

  serve('/', async (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    const lessonMode = new URL(req.url ?? '/', 'http://localhost').searchParams.has('lesson') && deps.lessonFrameAncestors !== undefined;
    const framing = lessonMode ? { ...deps, frameAncestors: deps.lessonFrameAncestors } : deps;
    sendHtml(res, renderPage({ title, nonce, cssHref, scriptHref, webChatHref, iconHref, accessibilityHref }), contentSecurityPolicy(nonce, framing));
  });
  serve('/static/academy.css', async (req, res) => sendAsset(req, res, css));
  serve('/static/academy.js', async (req, res) => sendAsset(req, res, script));
  serve('/static/accessibility.js', async (req, res) => sendAsset(req, res, accessibility));
  serve('/static/favicon.svg', async (req, res) => sendAsset(req, res, favicon));
  serve('/static/webchat.js', async (req, res) => sendAsset(req, res, bundle));
  serve('/terms', async (_req, res) => {
    sendHtml(res, renderTermsPage(title, cssHref, iconHref), contentSecurityPolicy(randomBytes(16).toString('base64'), deps));
  });
  if (deps.privacyPage !== false) {
    serve('/privacy', async (_req, res) => {
      sendHtml(res, renderPrivacyPage(title, cssHref, iconHref), contentSecurityPolicy(randomBytes(16).toString('base64'), deps));
    });
  }
}
