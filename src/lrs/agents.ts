/**
 * Agent and Group identity (xAPI-Data.md §2.4.2.3): the Inverse Functional Identifier of an Agent
 * or Identified Group as one comparable string, as used by the `agent` filter and the indexes.
 */
import type { Actor, Agent, InverseFunctionalIdentifiers } from './types.js';

/** `mailto:Name@Example.COM` → `mailto:Name@example.com` (the domain part is case-insensitive). */
export function normalizeMbox(mbox: string): string {
  const at = mbox.lastIndexOf('@');
  const scheme = mbox.slice(0, 'mailto:'.length).toLowerCase();
  if (at < 0) return scheme + mbox.slice(scheme.length);
  return scheme + mbox.slice(scheme.length, at) + mbox.slice(at).toLowerCase();
}

/**
 * The IFI as a string key (`mbox:…`, `mbox_sha1sum:…`, `openid:…`, `account:[homePage,name]`),
 * or undefined for an Anonymous Group.
 */
export function ifiKey(who: InverseFunctionalIdentifiers): string | undefined {
  if (who.mbox !== undefined) return `mbox:${normalizeMbox(who.mbox)}`;
  if (who.mbox_sha1sum !== undefined) return `mbox_sha1sum:${who.mbox_sha1sum.toLowerCase()}`;
  if (who.openid !== undefined) return `openid:${who.openid}`;
  if (who.account !== undefined) return `account:${JSON.stringify([who.account.homePage, who.account.name])}`;
  return undefined;
}

/** The IFI properties only (the "ids" format of an Agent or Identified Group). */
export function ifiOnly(who: InverseFunctionalIdentifiers): InverseFunctionalIdentifiers {
  if (who.mbox !== undefined) return { mbox: who.mbox };
  if (who.mbox_sha1sum !== undefined) return { mbox_sha1sum: who.mbox_sha1sum };
  if (who.openid !== undefined) return { openid: who.openid };
  if (who.account !== undefined) return { account: { homePage: who.account.homePage, name: who.account.name } };
  return {};
}

/**
 * The IFI keys an actor matches as, for the `agent` filter: its own (if identified) and, for a
 * Group, each member's (Communication §2.1.3: Groups whose members match the Agent are a match).
 */
export function actorKeys(actor: Actor): string[] {
  const keys: string[] = [];
  const own = ifiKey(actor);
  if (own !== undefined) keys.push(own);
  if (actor.objectType === 'Group') {
    for (const member of actor.member ?? []) {
      const key = ifiKey(member);
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}

/** An Agent (for the in-process bot and for authorities) identified by an account. */
export function accountAgent(homePage: string, name: string): Agent {
  return { objectType: 'Agent', account: { homePage, name } };
}
