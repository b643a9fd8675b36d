import { TeamsInfo, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ChampionsConfig } from '../config.js';
import { AcademyError } from '../errors.js';
import type { ChampionCandidate, ChampionsPlace, QaStore } from './store.js';

/**
 * Where digital champions are: one Teams team (any of its channels) or one Teams conversation,
 * named in config (CHAMPIONS_TEAM_ID / CHAMPIONS_CONVERSATION_ID) or picked by an admin on
 * /admin/champions. Nothing a chat says about itself can make it the champions' conversation.
 */

/** Who is in the champions' conversation; Teams' member lookup in production, a list in tests. */
export interface ChampionRoster {
  /** The sender of this turn if they are a member of its conversation, with their given name; else undefined. */
  member(ctx: TurnContext): Promise<{ readonly givenName?: string } | undefined>;
}

/** Asks Teams (TeamsInfo.getMember) whether the sender is in this team or chat. Any failure means "no". */
export const teamsRoster: ChampionRoster = {
  member: async (ctx) => {
    const from = ctx.activity.from;
    if (!from?.id) return undefined;
    try {
      const m = await TeamsInfo.getMember(ctx, from.id);
      if (from.aadObjectId && m.aadObjectId !== from.aadObjectId) return undefined;
      const givenName = m.givenName || firstWord(m.name);
      return givenName ? { givenName } : {};
    } catch {
      return undefined;
    }
  },
};

function firstWord(name: string | undefined): string | undefined {
  const word = name?.trim().split(/\s+/)[0];
  return word || undefined;
}

/** The conversation id without Teams' ";messageid=…" thread suffix. */
export function baseConversationId(id: string | undefined): string {
  return (id ?? '').split(';')[0] ?? '';
}

function teamIdOf(activity: Partial<Activity>): string | undefined {
  const data: unknown = activity.channelData;
  if (typeof data !== 'object' || data === null || !('team' in data)) return undefined;
  const team: unknown = data.team;
  return typeof team === 'object' && team !== null && 'id' in team && typeof team.id === 'string' ? team.id : undefined;
}

function isGroup(activity: Partial<Activity>): boolean {
  const c = activity.conversation;
  return c?.isGroup === true || c?.conversationType === 'channel' || c?.conversationType === 'groupChat';
}

export interface PlaceView {
  readonly source: 'config' | 'admin' | 'none';
  readonly place?: ChampionsPlace;
}

export class ChampionsDirectory {
  constructor(
    private readonly store: QaStore,
    private readonly config: ChampionsConfig,
  ) {}

  /** The champions' place: config first, then the admin's pick. */
  view(): PlaceView {
    if (this.config.teamId) return { source: 'config', place: { kind: 'team', id: this.config.teamId } };
    if (this.config.conversationId) return { source: 'config', place: { kind: 'conversation', id: this.config.conversationId } };
    const picked = this.store.pickedChampions();
    return picked ? { source: 'admin', place: picked } : { source: 'none' };
  }

  /** True only for a Teams activity in the champions' team or conversation. */
  isChampionsActivity(activity: Partial<Activity>): boolean {
    const place = this.view().place;
    if (!place || activity.channelId !== 'msteams') return false;
    if (place.kind === 'team') return teamIdOf(activity) === place.id;
    return baseConversationId(activity.conversation?.id) === place.id;
  }

  /** Keeps where to post questions, from an activity in the champions' place. */
  remember(ctx: TurnContext): void {
    const place = this.view().place;
    if (place && this.isChampionsActivity(ctx.activity)) this.store.setChampionsReference(place.id, TurnContext.getConversationReference(ctx.activity));
  }

  /** Where questions go, once the bot has seen the champions' place (or the admin picked a known chat). */
  reference(): Partial<ConversationReference> | undefined {
    const place = this.view().place;
    return place ? this.store.championsReference(place.id) : undefined;
  }

  /** A Teams team channel or group chat the bot is in: listed for an admin to pick. */
  noteCandidate(ctx: TurnContext): void {
    const a = ctx.activity;
    if (a.channelId !== 'msteams' || !isGroup(a) || !a.conversation?.id) return;
    const teamId = teamIdOf(a);
    this.store.noteChampionCandidate({
      conversationId: baseConversationId(a.conversation.id),
      ...(teamId ? { teamId } : {}),
      kind: a.conversation.conversationType || 'groupChat',
      ref: TurnContext.getConversationReference(a),
    });
  }

  candidates(): ChampionCandidate[] {
    return this.store.championCandidates();
  }

  /** An admin makes a listed conversation the champions' one. Refused while config names it. */
  pick(conversationId: string): ChampionsPlace {
    if (this.view().source === 'config') throw new AcademyError(409, "The champions' conversation is set in config (CHAMPIONS_TEAM_ID or CHAMPIONS_CONVERSATION_ID)", 'conversation');
    const candidate = this.candidates().find((c) => c.conversationId === conversationId);
    if (!candidate) throw new AcademyError(404, 'Pick one of the Teams conversations listed on this page', 'conversation');
    const place: ChampionsPlace = { kind: 'conversation', id: candidate.conversationId };
    this.store.pickChampions(place);
    this.store.setChampionsReference(place.id, candidate.ref);
    return place;
  }
}
