/** The admin pages' static files: the NHS design system's CSS and icons (from node_modules) and the admin CSS. */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Response } from 'restify';
import { pathParam, type Route } from '../http/index.js';
import { ADMIN_HEADERS } from './replies.js';

export const CSS_HREF = '/admin/static/nhsuk.css';

function nhsukDir(): string {
  const main = createRequire(import.meta.url).resolve('nhsuk-frontend/package.json');
  return join(dirname(main), 'dist', 'nhsuk');
}

/** nhsuk-frontend's CSS without its web fonts (they come from a CDN) and with image URLs under /admin/static. */
function nhsukCss(): Buffer {
  const css = readFileSync(join(nhsukDir(), 'nhsuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\s*\{[^}]*\}/g, '')
    .replace(/url\(\/assets\//g, 'url(/admin/static/assets/');
  return Buffer.from(css);
}

const ADMIN_CSS = `
.admin-service-name{color:#fff;font-weight:600;font-size:1.25rem;text-decoration:none}
.admin-service-name:hover{text-decoration:underline}
.admin-account{display:flex;gap:1rem;align-items:center;justify-content:flex-end;padding-top:.5rem}
.admin-account p{margin:0}
.admin-chart svg{max-width:100%;height:auto;background:#fff}
.admin-chart__bar{fill:#005eb8}
.admin-chart__axis{stroke:#4c6272;stroke-width:1}
.admin-chart__label{font-size:12px;fill:#212b32}
.admin-json{white-space:pre-wrap;word-break:break-all;background:#fff;padding:1rem;border:1px solid #d8dde0;font-size:.875rem}
.nhsuk-table-container{overflow-x:auto}
`;

function sendStatic(res: Response, type: string, body: Buffer | string): void {
  res.writeHead(200, { ...ADMIN_HEADERS, 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
  res.end(body);
}

/** The static routes (read once, at registration; images on request, by name from a fixed list). */
export function staticRoutes(): Route[] {
  const css = nhsukCss();
  const images = new Set(readdirSync(join(nhsukDir(), 'assets', 'images')));
  return [
    { method: 'get', path: CSS_HREF, handler: async (_req, res) => sendStatic(res, 'text/css; charset=utf-8', css) },
    { method: 'get', path: '/admin/static/admin.css', handler: async (_req, res) => sendStatic(res, 'text/css; charset=utf-8', ADMIN_CSS) },
    {
      method: 'get',
      path: '/admin/static/assets/images/:file',
      handler: async (req, res) => {
        const file = pathParam(req, 'file');
        if (!images.has(file)) {
          res.writeHead(404, ADMIN_HEADERS);
          res.end();
          return;
        }
        const type = file.endsWith('.svg') ? 'image/svg+xml' : file.endsWith('.png') ? 'image/png' : 'image/x-icon';
        sendStatic(res, type, readFileSync(join(nhsukDir(), 'assets', 'images', file)));
      },
    },
  ];
}
