import { expect } from 'chai';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli.js';
import { checkContent } from '../../src/lessons/check.js';
import { parseLesson } from '../../src/lessons/parser.js';
import { readability } from '../../src/lessons/readability.js';
import { projectRoot } from '../../src/paths.js';
import { systemClock } from '../../src/ports.js';
import { tempDir } from '../support/bot.js';

const CONTENT = join(projectRoot(), 'content');

/** A copy of the shipped content with one file changed. */
function brokenCopy(file: string, change: (text: string) => string): string {
  const dir = tempDir('academy-content-');
  cpSync(CONTENT, dir, { recursive: true });
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

async function check(dir: string): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const code = await runCli(['content', 'check', '--dir', dir], { out: (l) => out.push(l), err: (l) => err.push(l) }, {});
  return { code, err: err.join('\n'), out: out.join('\n') };
}

describe('content check', () => {
  it('passes on the shipped content: every syllabus topic, within the readability, length and review limits', async () => {
    const report = checkContent(CONTENT, systemClock);
    expect(report.problems.map((p) => p.message)).to.deep.equal([]);
    expect(report.missingTopics).to.deep.equal([]);
    const result = await check(CONTENT);
    expect(result.code).to.equal(0);
    expect(result.out).to.contain('40 of 40 topics');
  });

  const broken: [string, string, (t: string) => string, RegExp][] = [
    ['a missing title', 'nhs-app.register.md', (t) => t.replace(/^title:.*$/m, ''), /nhs-app\.register\.md: title: is required/],
    ['an unknown audience', 'nhs-app.register.md', (t) => t.replace(/^audience:.*$/m, 'audience: everyone'), /nhs-app\.register\.md: audience: must be one of/],
    ['a source that is not https', 'safety.passwords.md', (t) => t.replace(/url: https:/, 'url: http:'), /safety\.passwords\.md: sources\[0\]\.url: must be https/],
    ['a review date over 12 months old', 'safety.phishing.md', (t) => t.replace(/^lastReviewed:.*$/m, 'lastReviewed: 2024-01-01'), /safety\.phishing\.md: lastReviewed: .*more than 12 months/],
    ['a check question with no correct option', 'nhs-app.prescriptions.md', (t) => t.replace('- [x]', '- [ ]'), /nhs-app\.prescriptions\.md: checks\[0\]: needs exactly one correct option/],
    [
      'a card over 80 words',
      'nhs-app.messages.md',
      (t) => t.replace(/(## Card[^\n]*\n)/, `$1\n${'This sentence adds more words to the card. '.repeat(12)}\n`),
      /nhs-app\.messages\.md: cards\[0\]: card .* has \d+ words \(at most 80\)/,
    ],
    [
      'a card above reading age 11',
      'nhs-app.account.md',
      (t) => t.replace(/(## Card[^\n]*\n)/, '$1\nOrganisational interoperability considerations necessitate comprehensive authentication infrastructure configuration.\n'),
      /nhs-app\.account\.md: cards\[0\]: .*reading age/,
    ],
    ['a topic code that is not in the syllabus', 'safety.mfa.md', (t) => t.replace(/^topic:.*$/m, 'topic: safety.twofactor'), /safety\.mfa\.md: topic: "safety\.twofactor" is not a syllabus topic code/],
  ];
  for (const [what, file, change, message] of broken) {
    it(`fails on ${what}, naming the file and the field`, async () => {
      const result = await check(brokenCopy(file, change));
      expect(result.code).to.equal(1);
      expect(result.err).to.match(message);
    });
  }

  it('fails when a topic has no file', async () => {
    const dir = brokenCopy('FORMAT.md', (t) => t);
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'data.dspt.md'));
    const result = await check(dir);
    expect(result.code).to.equal(1);
    expect(result.err).to.contain('data.dspt.md: topic: no content file for syllabus topic data.dspt');
  });

  it('parses cards for each audience and check feedback per option', () => {
    const lesson = parseLesson(readFileSync(join(CONTENT, 'nhs-app.register.md'), 'utf8'), 'nhs-app.register.md');
    expect(lesson.cards.length).to.be.within(3, 6);
    for (const q of lesson.checks) for (const o of q.options) expect(o.feedback).to.have.length.greaterThan(3);
  });

  it('measures reading age with short plain sentences low and long words high', () => {
    expect(readability('Open the app. Tap the button. Type your code.').readingAge).to.be.below(9);
    expect(readability('Organisational interoperability necessitates comprehensive infrastructure.').readingAge).to.be.above(15);
  });
});
