/**
 * A test SCORM 1.2 LMS, the real other side of the SCO: it imports a package (imsmanifest.xml
 * and its files), serves a launch page that exposes a SCORM 1.2 `API` object to the SCO's frame,
 * and keeps the CMI data the SCO sets (sent back on LMSCommit and LMSFinish).
 */
import type { AddressInfo } from 'node:net';
import { strFromU8, unzipSync } from 'fflate';
import restify from 'restify';

export interface ScoItem {
  readonly identifier: string;
  readonly title: string;
  readonly href: string;
  readonly masteryScore?: number;
}

export interface CmiRecord {
  cmi: Record<string, string>;
  initialized: boolean;
  finished: boolean;
  commits: number;
}

const LMS_PAGE = (href: string, cmi: Record<string, string>, saveUrl: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test SCORM LMS</title></head>
<body>
<h1>Test SCORM LMS</h1>
<script>
(() => {
  const cmi = ${JSON.stringify(cmi)};
  const readOnly = new Set(['cmi.core.student_id', 'cmi.core.student_name', 'cmi.core.entry', 'cmi.student_data.mastery_score', 'cmi.core.total_time']);
  let initialized = false, finished = false, lastError = '0', commits = 0;
  const save = () => navigator.sendBeacon(${JSON.stringify(saveUrl)}, JSON.stringify({ cmi, initialized, finished, commits }));
  window.API = {
    LMSInitialize: () => { initialized = true; lastError = '0'; return 'true'; },
    LMSGetValue: (k) => { lastError = '0'; return Object.prototype.hasOwnProperty.call(cmi, k) ? String(cmi[k]) : ''; },
    LMSSetValue: (k, v) => {
      if (!initialized || finished) { lastError = '301'; return 'false'; }
      if (readOnly.has(k)) { lastError = '403'; return 'false'; }
      cmi[k] = String(v); lastError = '0'; return 'true';
    },
    LMSCommit: () => { commits += 1; save(); return 'true'; },
    LMSFinish: () => { finished = true; save(); return 'true'; },
    LMSGetLastError: () => lastError,
    LMSGetErrorString: () => '',
    LMSGetDiagnostic: () => '',
  };
})();
</script>
<iframe id="sco" title="Lesson" src="/pkg/${href}" style="width:100%;height:800px;border:0"></iframe>
</body></html>`;

export class TestScormLms {
  readonly files = new Map<string, Uint8Array>();
  readonly items: ScoItem[] = [];
  /** `${student}|${href}` → what the SCO stored. */
  readonly records = new Map<string, CmiRecord>();

  private constructor(
    readonly server: restify.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestScormLms> {
    const server = restify.createServer({ name: 'test-scorm-lms', handleUncaughtExceptions: false });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lms = new TestScormLms(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    lms.routes();
    return lms;
  }

  /** Imports a SCORM 1.2 zip: its items (SCOs) from imsmanifest.xml, its files to serve. */
  importPackage(zip: Uint8Array): void {
    for (const [name, bytes] of Object.entries(unzipSync(zip))) this.files.set(name, bytes);
    const manifest = strFromU8(this.files.get('imsmanifest.xml')!);
    const hrefs = new Map([...manifest.matchAll(/<resource identifier="([^"]+)"[^>]*adlcp:scormtype="sco" href="([^"]+)"/g)].map((m) => [m[1], m[2]]));
    for (const m of manifest.matchAll(/<item identifier="([^"]+)" identifierref="([^"]+)"[^>]*>([\s\S]*?)<\/item>/g)) {
      const mastery = /<adlcp:masteryscore>(\d+)<\/adlcp:masteryscore>/.exec(m[3])?.[1];
      this.items.push({
        identifier: m[1],
        title: /<title>([^<]*)<\/title>/.exec(m[3])?.[1] ?? '',
        href: hrefs.get(m[2]) ?? '',
        ...(mastery !== undefined ? { masteryScore: Number(mastery) } : {}),
      });
    }
  }

  launchUrl(item: ScoItem, student: string): string {
    return `${this.url}/launch?${new URLSearchParams({ item: item.identifier, student })}`;
  }

  record(item: ScoItem, student: string): CmiRecord | undefined {
    return this.records.get(`${student}|${item.href}`);
  }

  private routes(): void {
    this.server.get('/launch', async (req, res) => {
      const q = new URL(req.url ?? '', this.url).searchParams;
      const item = this.items.find((i) => i.identifier === q.get('item'));
      const student = q.get('student') ?? '';
      if (!item) {
        res.send(404);
        return;
      }
      const before = this.records.get(`${student}|${item.href}`)?.cmi;
      const resume = before?.['cmi.core.exit'] === 'suspend';
      const cmi: Record<string, string> = {
        'cmi.core.student_id': student,
        'cmi.core.student_name': 'Doe, Jane',
        'cmi.core.lesson_status': before?.['cmi.core.lesson_status'] ?? 'not attempted',
        'cmi.core.entry': resume ? 'resume' : before ? '' : 'ab-initio',
        'cmi.core.lesson_location': resume ? (before?.['cmi.core.lesson_location'] ?? '') : '',
        'cmi.suspend_data': resume ? (before?.['cmi.suspend_data'] ?? '') : '',
        'cmi.student_data.mastery_score': item.masteryScore === undefined ? '' : String(item.masteryScore),
      };
      const saveUrl = `/cmi?${new URLSearchParams({ student, href: item.href })}`;
      const html = LMS_PAGE(item.href, cmi, saveUrl);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    this.server.post('/cmi', async (req, res) => {
      const q = new URL(req.url ?? '', this.url).searchParams;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      this.records.set(`${q.get('student')}|${q.get('href')}`, JSON.parse(Buffer.concat(chunks).toString('utf8')) as CmiRecord);
      res.send(204);
    });
    this.server.get('/pkg/*', async (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '', this.url).pathname.slice('/pkg/'.length));
      const file = this.files.get(path);
      if (!file) {
        res.send(404);
        return;
      }
      const type = path.endsWith('.html') ? 'text/html; charset=utf-8' : path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type });
      res.end(Buffer.from(file));
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
