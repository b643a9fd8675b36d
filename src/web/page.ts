import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Response, Server } from 'restify';
import { AcademyError } from '../errors.js';
import { registerRoutes, SECURITY_HEADERS, type RouteHandler } from '../http/index.js';
import { projectRoot } from '../paths.js';
import { AssetServer, fileAsset, type Asset } from './assets.js';

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

/** A page of the site besides the chat (privacy, terms): its heading and its main content, indented. */
interface InfoPage {
  readonly heading: string;
  /** The content after the h1: HTML lines. */
  readonly content: (title: string) => string;
}

const PRIVACY_PAGE: InfoPage = {
  heading: 'Privacy',
  content: () => `  <p>${escapeHtml(PRIVACY_TEXT)}</p>
  <p>This page is a placeholder: the full privacy notice will be published here.</p>`,
};

const TERMS_PAGE: InfoPage = {
  heading: 'Terms of use',
  content: (t) => `  <p>By using the ${t} you agree to these terms.</p>
  <ul>
${TERMS_POINTS.map((p) => `    <li>${escapeHtml(p)}</li>`).join('\n')}
  </ul>
  <p>What we keep about you, and who can see it, is on the <a href="/privacy">privacy page</a>.</p>`,
};

function renderInfoPage(page: InfoPage, title: string, cssHref: string, iconHref: string): string {
  const t = escapeHtml(title);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.heading} – ${t}</title>
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
  <h1>${page.heading}</h1>
${page.content(t)}
  <p><a href="/">Back to the chat</a></p>
</main>
</body>
</html>
`;
}

function sendHtml(res: Response, html: string, csp: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': csp,
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  });
  res.end(html);
}

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
  const files = new AssetServer();
  const file = (asset: Asset): RouteHandler => async (req, res) => files.send(req, res, asset);
  /** A page besides the chat, under a fresh nonce's CSP (it has no inline style). */
  const infoPage = (page: InfoPage): RouteHandler => async (_req, res) =>
    sendHtml(res, renderInfoPage(page, title, cssHref, iconHref), contentSecurityPolicy(randomBytes(16).toString('base64'), deps));
  const chatPage: RouteHandler = async (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    const lessonMode = new URL(req.url ?? '/', 'http://localhost').searchParams.has('lesson') && deps.lessonFrameAncestors !== undefined;
    const framing = lessonMode ? { ...deps, frameAncestors: deps.lessonFrameAncestors } : deps;
    sendHtml(res, renderPage({ title, nonce, cssHref, scriptHref, webChatHref, iconHref, accessibilityHref }), contentSecurityPolicy(nonce, framing));
  };

  // GET and HEAD (Node's http sends no body for HEAD).
  const both = ['get', 'head'] as const;
  registerRoutes(server, [
    { method: both, path: '/', handler: chatPage },
    { method: both, path: '/static/academy.css', handler: file(css) },
    { method: both, path: '/static/academy.js', handler: file(script) },
    { method: both, path: '/static/accessibility.js', handler: file(accessibility) },
    { method: both, path: '/static/favicon.svg', handler: file(favicon) },
    { method: both, path: '/static/webchat.js', handler: file(bundle) },
    { method: both, path: '/terms', handler: infoPage(TERMS_PAGE) },
    ...(deps.privacyPage !== false ? [{ method: both, path: '/privacy', handler: infoPage(PRIVACY_PAGE) }] : []),
  ]);
}
