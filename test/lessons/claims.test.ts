import { expect } from 'chai';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli.js';
import { checkContent } from '../../src/lessons/check.js';
import { addMonths, claimsByDue } from '../../src/lessons/claims.js';
import { projectRoot } from '../../src/paths.js';
import type { Clock } from '../../src/ports.js';
import { tempDir } from '../support/bot.js';

const CONTENT = join(projectRoot(), 'content');

/** The day the shipped claims were checked; tests run "today" from here, whatever the machine's clock says. */
const fixed = (day: string): Clock => ({ now: () => new Date(`${day}T12:00:00Z`) });
const TODAY = fixed('2026-12-04');

/** A copy of the shipped content with some files changed. */
function copyWith(changes: Record<string, (text: string) => string>): string {
  const dir = tempDir('academy-claims-');
  cpSync(CONTENT, dir, { recursive: true });
  for (const [file, change] of Object.entries(changes)) {
    const before = readFileSync(join(dir, file), 'utf8');
    const after = change(before);
    expect(after, `the test's change to ${file} changed nothing`).to.not.equal(before);
    writeFileSync(join(dir, file), after);
  }
  return dir;
}

/** Sets the `checked` date of the claim whose `says` line is given. */
function recheck(says: string, checked: string): (text: string) => string {
  return (text) => text.replace(new RegExp(`(says: ${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n(?:    .*\\n)*?    checked: )\\S+`), `$1${checked}`);
}

async function cli(args: string[], clock: Clock): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, {}, clock);
  return { code, out, err };
}

const PHARMACY_PATH = 'Tap Your nominated pharmacy.';

describe('content claims: checked dates, due and expired', () => {
  it('the shipped content passes on the day its claims were checked, with no warnings, and marks the fixed claims', async () => {
    const report = checkContent(CONTENT, TODAY);
    expect(report.problems.map((p) => p.message)).to.deep.equal([]);
    expect(report.warnings.map((p) => p.message)).to.deep.equal([]);
    const claims = report.lessons.flatMap((l) => l.claims.map((c) => ({ topic: l.topic, ...c })));
    expect(claims.length).to.be.greaterThan(80);
    // Every kind the issue names is marked somewhere, and each claim points at a real place.
    for (const kind of ['menu path', 'phone number', 'age limit', 'deadline', 'law'])
      expect(claims.some((c) => c.kind === kind), kind).to.equal(true);
    expect(claims.find((c) => c.topic === 'nhs-app.prescriptions' && c.says === PHARMACY_PATH)).to.include({ card: 3, step: 2, kind: 'menu path' });
    const result = await cli(['content', 'check', '--dir', CONTENT], TODAY);
    expect(result.code).to.equal(0);
    expect(result.err).to.deep.equal([]);
  });

  it('warns, and still passes, on a claim checked more than 6 months ago', async () => {
    const dir = copyWith({ 'nhs-app.prescriptions.md': recheck(PHARMACY_PATH, '2026-05-20') });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(0);
    expect(result.err).to.have.length(1);
    expect(result.err[0]).to.match(/^warning: nhs-app\.prescriptions\.md: claims\[\d+\]\.checked: menu path "Tap Your nominated pharmacy\." \(card 3 step 2\) was checked on 2026-05-20, more than 6 months ago: recheck it by 2027-05-20/);
    expect(result.out.join('\n')).to.contain('0 problems, 1 warnings');
  });

  it('fails on a claim checked more than 12 months ago, naming the file, the claim and its source', async () => {
    const dir = copyWith({ 'nhs-app.prescriptions.md': recheck(PHARMACY_PATH, '2025-12-03') });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.err.join('\n')).to.match(
      /nhs-app\.prescriptions\.md: claims\[\d+\]\.checked: menu path "Tap Your nominated pharmacy\." \(card 3 step 2\) was checked on 2025-12-03, more than 12 months ago: recheck it against https:\/\/www\.nhs\.uk\//,
    );
  });

  it('counts calendar months: due on the day 6 months after the check, expired on the day 12 months after', () => {
    const dir = copyWith({ 'nhs-app.prescriptions.md': recheck(PHARMACY_PATH, '2026-06-04') });
    expect(checkContent(dir, fixed('2026-12-03')).warnings).to.have.length(0);
    expect(checkContent(dir, fixed('2026-12-04')).warnings).to.have.length(1);
    expect(checkContent(dir, fixed('2027-06-03')).problems).to.have.length(0);
    expect(checkContent(dir, fixed('2027-06-04')).problems.map((p) => p.field)).to.have.length(1);
    expect(addMonths('2026-08-31', 6)).to.equal('2027-02-28');
    expect(addMonths('2027-08-31', 6)).to.equal('2028-02-29');
  });

  it('fails on a checked date in the future', async () => {
    const dir = copyWith({ 'nhs-app.prescriptions.md': recheck(PHARMACY_PATH, '2027-01-01') });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.err.join('\n')).to.contain('2027-01-01 is in the future');
  });

  it('fails when the card no longer says what the claim says, so a rewritten step cannot keep an old checked date', async () => {
    const dir = copyWith({ 'nhs-app.prescriptions.md': (t) => t.replace('2. Tap Your nominated pharmacy.', '2. Tap Pharmacy settings.') });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.err.join('\n')).to.match(/nhs-app\.prescriptions\.md: claims\[\d+\]\.says: "Tap Your nominated pharmacy\." is not in card 3 step 2/);
  });

  it('fails on a claim that points at no card, or has an unknown kind', async () => {
    const noCard = copyWith({ 'nhs-app.prescriptions.md': (t) => t.replace('where: card 3 step 2', 'where: card 9 step 2') });
    expect((await cli(['content', 'check', '--dir', noCard], TODAY)).err.join('\n')).to.match(/claims\[\d+\]\.where: "card 9 step 2": the file has 4 cards/);
    const kind = copyWith({ 'nhs-app.prescriptions.md': (t) => t.replace('kind: menu path', 'kind: rumour') });
    expect((await cli(['content', 'check', '--dir', kind], TODAY)).err.join('\n')).to.match(/claims\[\d+\]\.kind: "rumour" must be one of menu path, phone number/);
  });
});

describe('check questions: plausible distractors', () => {
  it('fails on a joke distractor, naming the file, the question and the pattern', async () => {
    const dir = copyWith({ 'safety.mfa.md': (t) => t.replace('- [ ] Tap Approve to make it go away', '- [ ] It cleans the screen') });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.err.join('\n')).to.match(
      /safety\.mfa\.md: checks\[1\]: "Your phone asks you to approve a sign in.*" has 1 plausible wrong options \(at least 2\): "It cleans the screen" is a joke option \(nothing to do with the question/,
    );
  });

  it('reads the joke patterns from content/qa/joke-distractors.yaml, so a new pattern is data, not code', async () => {
    const dir = copyWith({
      'qa/joke-distractors.yaml': (t) => `${t}  - pattern: \\bmake it go away\\b\n    why: test pattern\n`,
    });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.err.join('\n')).to.contain('"Tap Approve to make it go away" is a joke option (test pattern)');
  });

  it('fails on a question with only one wrong option', async () => {
    const dir = copyWith({ 'safety.mfa.md': (t) => t.replace(/- \[ \] Ignore it and do nothing else\n {2}Feedback:.*\n/, '') });
    const result = await cli(['content', 'check', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.err.join('\n')).to.match(/safety\.mfa\.md: checks\[1\]: .* has 1 plausible wrong options \(at least 2\)\. Write mistakes/);
  });
});

describe('academy content due', () => {
  it('prints every claim by due date, soonest first, with its status, lesson, place, source and check date', async () => {
    const dir = copyWith({
      'nhs-app.prescriptions.md': recheck(PHARMACY_PATH, '2026-03-01'),
      'safety.mfa.md': recheck('Approve requests need mobile data or Wi-Fi.', '2026-05-01'),
    });
    const result = await cli(['content', 'due', '--dir', dir], TODAY);
    expect(result.code).to.equal(0);
    const lines = result.out.filter((l) => /^\d{4}-\d{2}-\d{2} {2}/.test(l));
    const total = checkContent(dir, TODAY).lessons.reduce((n, l) => n + l.claims.length, 0);
    expect(lines).to.have.length(total);
    const dues = lines.map((l) => l.slice(0, 10));
    expect(dues).to.deep.equal([...dues].sort());
    expect(lines[0]).to.equal(
      '2026-09-01  DUE      nhs-app.prescriptions card 3 step 2 (menu path): "Tap Your nominated pharmacy." — checked 2026-03-01, https://www.nhs.uk/nhs-app/nhs-app-help-and-support/',
    );
    expect(lines[1]).to.match(/^2026-11-01 {2}DUE {6}safety\.mfa card 2 \(fact\): "Approve requests need mobile data or Wi-Fi\." — checked 2026-05-01, https:\/\//);
    expect(lines[2]).to.match(/^2027-05-23 {2}ok /);
    expect(result.out.at(-1)).to.equal(`${total} claims in ${checkContent(dir, TODAY).lessons.filter((l) => l.claims.length > 0).length} lessons: 0 expired, 2 due, ${total - 2} ok.`);
  });

  it('exits 1 when a claim has expired', async () => {
    const dir = copyWith({ 'nhs-app.prescriptions.md': recheck(PHARMACY_PATH, '2025-06-01') });
    const result = await cli(['content', 'due', '--dir', dir], TODAY);
    expect(result.code).to.equal(1);
    expect(result.out.find((l) => l.includes('Tap Your nominated pharmacy'))).to.match(/^2025-12-01 {2}EXPIRED {2}nhs-app\.prescriptions card 3 step 2/);
  });

  it('lists the shipped claims, none due on the day they were checked', async () => {
    const result = await cli(['content', 'due', '--dir', CONTENT], TODAY);
    expect(result.code).to.equal(0);
    expect(result.out.at(-1)).to.match(/^\d+ claims in \d+ lessons: 0 expired, 0 due, \d+ ok\.$/);
    const report = checkContent(CONTENT, TODAY);
    expect(claimsByDue(report.lessons, '2026-12-04').every((d) => d.status === 'ok')).to.equal(true);
  });
});
