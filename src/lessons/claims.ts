import type { Claim, Lesson } from './types.js';

/** A claim is due for rechecking 6 months after it was checked, and expired after 12. */
export const CLAIM_LIMITS = { dueMonths: 6, expiresMonths: 12 } as const;

export type ClaimStatus = 'ok' | 'due' | 'expired' | 'future';

export interface DatedClaim {
  readonly lesson: Lesson;
  readonly claim: Claim;
  /** YYYY-MM-DD: recheck from this day (content:check warns). */
  readonly due: string;
  /** YYYY-MM-DD: from this day content:check fails. */
  readonly expires: string;
  readonly status: ClaimStatus;
}

/** `date` (YYYY-MM-DD) plus whole calendar months; the 31st of a short month becomes its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Today's date in the UK sense used for content: the UTC calendar day of `now`. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function dateClaim(lesson: Lesson, claim: Claim, today: string): DatedClaim {
  const due = addMonths(claim.checked, CLAIM_LIMITS.dueMonths);
  const expires = addMonths(claim.checked, CLAIM_LIMITS.expiresMonths);
  const status: ClaimStatus = claim.checked > today ? 'future' : today >= expires ? 'expired' : today >= due ? 'due' : 'ok';
  return { lesson, claim, due, expires, status };
}

/** Every claim of every lesson, soonest due first (then file, then place in the file). */
export function claimsByDue(lessons: readonly Lesson[], today: string): DatedClaim[] {
  return lessons
    .flatMap((l) => l.claims.map((c) => dateClaim(l, c, today)))
    .sort((a, b) => a.due.localeCompare(b.due) || a.lesson.file.localeCompare(b.lesson.file) || a.lesson.claims.indexOf(a.claim) - b.lesson.claims.indexOf(b.claim));
}

/** One line of `academy content due`. */
export function dueLine(d: DatedClaim): string {
  const label = { ok: 'ok', due: 'DUE', expired: 'EXPIRED', future: 'FUTURE' }[d.status];
  return `${d.due}  ${label.padEnd(7)}  ${d.lesson.topic} ${d.claim.where} (${d.claim.kind}): "${d.claim.says}" — checked ${d.claim.checked}, ${d.claim.source}`;
}
