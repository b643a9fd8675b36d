import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { contentSecurityPolicy, registerWebChatPage, webChatBundlePath } from '../../src/web/page.js';
import { listen, type Running } from '../directline/helpers.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET (fetch would decompress and hide Content-Encoding). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web chat page routes', () => {
  let app: Running;

  before(async () => {
    app = await listen();
    registerWebChatPage(app.server, { title: 'Digital Skills Academy' });
  });

  after(async () => {
    await app.close();
  });

  it('serves the page: en-GB, title, welcome, skip link, main, chat region, text size buttons, privacy link', async () => {
    const r = await get(`${app.baseUrl}/`);
    expect(r.status).to.equal(200);
    expect(r.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(r.headers['cache-control']).to.equal('no-store');
    const html = r.body.toString('utf8');
    expect(html).to.match(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).to.contain('<title>Digital Skills Academy</title>');
    expect(html).to.contain(
      'Short lessons on the NHS App, staying safe online and more. Your learning is private: we keep it under a random id, not your name.',
    );
    expect(html).to.contain('<a class="skip-link" href="#webchat">Skip to the chat</a>');
    expect(html).to.match(/<main id="main"/);
    expect(html).to.contain('<section id="webchat" class="webchat" aria-label="Chat with the academy"');
    // Each text size button's visible words are its accessible name ("A-"/"A+" are decoration).
    expect(html).to.contain('<span class="text-size-icon" aria-hidden="true">A-</span> <span class="text-size-words">Smaller text</span></button>');
    expect(html).to.contain('<span class="text-size-icon" aria-hidden="true">A+</span> <span class="text-size-words">Larger text</span></button>');
    expect(html).to.contain('<a href="/privacy">Privacy</a>');
    // No inline script, style or event handler: the CSP forbids them.
    expect(html).not.to.match(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.to.match(/\son[a-z]+=/i);
    expect(html).not.to.match(/<style|\sstyle=/);
  });

  it('sends a strict CSP whose style nonce is the one the page script hands to Web Chat, fresh per response', async () => {
    const a = await get(`${app.baseUrl}/`);
    const b = await get(`${app.baseUrl}/`);
    const csp = String(a.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).to.be.a('string');
    expect(csp).to.equal(contentSecurityPolicy(nonce!));
    expect(csp).to.contain("default-src 'self'").and.contain("script-src 'self';").and.contain("object-src 'none'").and.contain("frame-ancestors 'self'");
    expect(csp).not.to.contain('unsafe-inline').and.not.contain('unsafe-eval');
    expect(a.body.toString()).to.contain(`<script src="/static/academy.js?v=`).and.contain(` nonce="${nonce}" defer></script>`);
    expect(b.headers['content-security-policy']).not.to.equal(csp);
    expect(a.headers['x-content-type-options']).to.equal('nosniff');
    expect(a.headers['referrer-policy']).to.equal('no-referrer');
  });

  it('adds extra connect-src origins (Azure Direct Line) and frame ancestors when given', () => {
    const csp = contentSecurityPolicy('n', { connectSrc: ['https://europe.directline.botframework.com'], frameAncestors: ['https://intranet.example.nhs.uk'] });
    expect(csp).to.contain("connect-src 'self' https://europe.directline.botframework.com;");
    expect(csp).to.contain('frame-ancestors https://intranet.example.nhs.uk');
  });

  it('escapes a configured title', async () => {
    const other = await listen();
    try {
      registerWebChatPage(other.server, { title: 'A & B <Academy>', privacyPage: false });
      const html = (await get(`${other.baseUrl}/`)).body.toString();
      expect(html).to.contain('<title>A &amp; B &lt;Academy&gt;</title>');
      expect((await get(`${other.baseUrl}/privacy`)).status).to.equal(404);
    } finally {
      await other.close();
    }
  });

  it('streams webchat.js from node_modules with cache headers, ETag revalidation and br/gzip', async () => {
    const file = webChatBundlePath();
    expect(file).to.match(/node_modules\/botframework-webchat\/dist\/webchat\.js$/);
    const original = readFileSync(file);

    const plain = await get(`${app.baseUrl}/static/webchat.js`);
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect(plain.headers['content-length']).to.equal(String(statSync(file).size));
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.headers['cache-control']).to.equal('public, max-age=3600, must-revalidate');
    expect(plain.body.equals(original)).to.equal(true);

    const versioned = await get(`${app.baseUrl}/static/webchat.js?v=4.18.1`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(versioned.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(versioned.headers['content-encoding']).to.equal('br');
    expect(versioned.headers.vary).to.equal('Accept-Encoding');
    expect(brotliDecompressSync(versioned.body).equals(original)).to.equal(true);

    const gz = await get(`${app.baseUrl}/static/webchat.js`, { 'Accept-Encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gunzipSync(gz.body).equals(original)).to.equal(true);

    const etag = String(plain.headers.etag);
    const again = await get(`${app.baseUrl}/static/webchat.js`, { 'If-None-Match': etag });
    expect(again.status).to.equal(304);
    expect(again.body.length).to.equal(0);

    const head = await get(`${app.baseUrl}/static/webchat.js`, {}, 'HEAD');
    expect(head.status).to.equal(200);
    expect(head.body.length).to.equal(0);
  });

  it('references webchat.js, academy.css and academy.js from the page, and serves them', async () => {
    const html = (await get(`${app.baseUrl}/`)).body.toString();
    const hrefs = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.map((h) => h.split('?')[0])).to.have.members(['/static/favicon.svg', '/static/academy.css', '/static/webchat.js', '/static/accessibility.js', '/static/academy.js']);
    // Web Chat, then the accessibility helpers, then the page script that uses both.
    expect(hrefs.filter((h) => h.endsWith('.js') || h.includes('.js?')).map((h) => h.split('?')[0])).to.deep.equal(['/static/webchat.js', '/static/accessibility.js', '/static/academy.js']);
    for (const href of hrefs) {
      const r = await get(`${app.baseUrl}${href}`);
      expect(r.status, href).to.equal(200);
      expect(r.headers['cache-control'], href).to.equal('public, max-age=31536000, immutable');
    }
    const js = await get(`${app.baseUrl}/static/academy.js`);
    expect(js.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    const script = js.body.toString();
    expect(script).to.contain("webSocket: false").and.contain('/v3/directline').and.contain("'/api/directline/token'");
    const css = await get(`${app.baseUrl}/static/academy.css`);
    expect(css.headers['content-type']).to.equal('text/css; charset=utf-8');
    expect(css.body.toString()).to.contain('#005eb8');
  });

  it('serves a privacy placeholder, and HEAD /', async () => {
    const r = await get(`${app.baseUrl}/privacy`);
    expect(r.status).to.equal(200);
    expect(r.body.toString()).to.contain('<h1>Privacy</h1>').and.contain('random id, not your name');
    const head = await get(`${app.baseUrl}/`, {}, 'HEAD');
    expect(head.status).to.equal(200);
    expect(head.headers['content-security-policy']).to.be.a('string');
  });

  it('serves /terms in plain words (the Teams manifest links to it), linked from the page', async () => {
    const r = await get(`${app.baseUrl}/terms`);
    expect(r.status).to.equal(200);
    const html = r.body.toString();
    expect(html).to.contain('<h1>Terms of use</h1>').and.contain('does not give medical advice').and.contain('call 999').and.contain('href="/privacy"');
    expect(r.headers['content-security-policy']).to.be.a('string');
    expect((await get(`${app.baseUrl}/`)).body.toString()).to.contain('<a href="/terms">Terms of use</a>');
  });
});
