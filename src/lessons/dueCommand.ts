import type { CliIo } from '../cliIo.js';
import type { Clock } from '../ports.js';
import { checkContent } from './check.js';
import { claimsByDue, dueLine, isoDay } from './claims.js';

/** `academy content due`: every marked claim, soonest recheck first. Exit 1 when one has expired. */
export function contentDueCommand(dir: string, clock: Clock, io: CliIo): number {
  const today = isoDay(clock.now());
  const report = checkContent(dir, clock);
  const claims = claimsByDue(report.lessons, today);
  io.out(`Claims to recheck, by due date (today ${today}; due 6 months after the check, expired after 12):`);
  io.out(`due         status   claim`);
  for (const d of claims) io.out(dueLine(d));
  const count = (s: string) => claims.filter((d) => d.status === s).length;
  io.out(`${claims.length} claims in ${report.lessons.filter((l) => l.claims.length > 0).length} lessons: ${count('expired')} expired, ${count('due')} due, ${count('ok')} ok.`);
  const unreadable = report.problems.filter((p) => !report.lessons.some((l) => l.file === p.file));
  for (const p of unreadable) io.err(p.message);
  return count('expired') > 0 || count('future') > 0 ? 1 : 0;
}
