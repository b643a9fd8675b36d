import { AcademyError } from '../errors.js';
import type { Clock, IdGenerator } from '../ports.js';

/**
 * The local Direct Line's conversations, in memory: for each, the user it belongs to and the
 * log of activities Web Chat polls. Activity ids are `<conversationId>|0000001`; the watermark
 * is the sequence number of the last activity a client has seen.
 */

export interface ChannelAccount {
  readonly id: string;
  readonly name?: string;
  readonly role?: string;
}

/** An activity as the store keeps it: the Bot Framework fields it relies on, and anything else. */
export interface Activity {
  readonly type: string;
  readonly id?: string;
  readonly timestamp?: string;
  readonly from?: ChannelAccount;
  readonly replyToId?: string;
  readonly [key: string]: unknown;
}

export interface StoredActivity extends Activity {
  readonly id: string;
  readonly timestamp: string;
}

export interface Conversation {
  readonly id: string;
  /** The user id Web Chat sees (in its token and activities): a per-conversation alias. */
  readonly userId: string;
  /** The learner the bot sees (activities forwarded to it come from this id); never shown to the page. */
  readonly learnerId: string;
  /** The LMS session of a chat started from a signed LMS launch; stamped on every activity. */
  readonly lmsSession?: string;
  readonly createdAt: Date;
  /** Last time the conversation's client or bot touched it (for idle expiry). */
  lastSeenAt: Date;
  /** Set once the bot has been told about the conversation (conversationUpdate sent). */
  started: boolean;
  locale?: string;
}

export interface ActivityPage {
  readonly activities: StoredActivity[];
  readonly watermark: string;
}

export interface ConversationStoreOptions {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Most conversations held; the least recently used is evicted beyond it. Default 1000. */
  readonly maxConversations?: number;
  /** Most activities held per conversation; the oldest are dropped beyond it. Default 500. */
  readonly maxActivitiesPerConversation?: number;
  /** A conversation untouched this long is forgotten. Default 2 hours. */
  readonly idleExpiryMs?: number;
}

interface Entry {
  readonly conversation: Conversation;
  /** Ascending by seq. */
  log: { seq: number; activity: StoredActivity }[];
  nextSeq: number;
  lastTimestampMs: number;
}

const SEQ_DIGITS = 7;

export function activityIdFor(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** Parses a client's watermark: empty or absent means "from the start". */
export function parseWatermark(raw: string | null | undefined): number {
  if (raw === null || raw === undefined || raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw)) throw new AcademyError(400, 'watermark must be a whole number', 'watermark');
  return Number(raw);
}

export class ConversationStore {
  readonly maxConversations: number;
  readonly maxActivitiesPerConversation: number;
  readonly idleExpiryMs: number;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  /** Map order is recency order: a touched conversation is moved to the end. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: ConversationStoreOptions) {
    this.clock = options.clock;
    this.ids = options.ids;
    this.maxConversations = positive(options.maxConversations ?? 1000, 'maxConversations');
    this.maxActivitiesPerConversation = positive(options.maxActivitiesPerConversation ?? 500, 'maxActivitiesPerConversation');
    this.idleExpiryMs = positive(options.idleExpiryMs ?? 2 * 60 * 60 * 1000, 'idleExpiryMs');
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * A new conversation for `userId` (what the page sees), owned by `owner.learnerId` (what the bot
   * sees; default `userId`). `id` is for re-creating a known conversation; else one is made.
   */
  create(userId: string, id?: string, owner?: { readonly learnerId: string; readonly lmsSession?: string }): Conversation {
    this.sweep();
    const conversationId = id ?? this.ids.uuid();
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(conversationId)) {
      throw new AcademyError(500, 'Conversation ids must be URL-safe', 'conversationId');
    }
    if (this.entries.has(conversationId)) throw new AcademyError(409, 'Conversation already exists');
    while (this.entries.size >= this.maxConversations) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const now = this.clock.now();
    const conversation: Conversation = {
      id: conversationId,
      userId,
      learnerId: owner?.learnerId ?? userId,
      ...(owner?.lmsSession ? { lmsSession: owner.lmsSession } : {}),
      createdAt: now,
      lastSeenAt: now,
      started: false,
    };
    this.entries.set(conversationId, { conversation, log: [], nextSeq: 1, lastTimestampMs: 0 });
    return conversation;
  }

  /** The conversation, if it exists and has not expired; touching it keeps it alive. */
  get(conversationId: string): Conversation | undefined {
    return this.entry(conversationId)?.conversation;
  }

  /** Like `get`, but a missing conversation is AcademyError 404. */
  require(conversationId: string): Conversation {
    const c = this.get(conversationId);
    if (!c) throw new AcademyError(404, 'Conversation not found', 'conversationId');
    return c;
  }

  delete(conversationId: string): boolean {
    return this.entries.delete(conversationId);
  }

  /** Appends an activity, assigning its id and a timestamp (strictly increasing within the conversation). */
  append(conversationId: string, activity: Activity): StoredActivity {
    const entry = this.requireEntry(conversationId);
    const seq = entry.nextSeq++;
    const stored: StoredActivity = { ...activity, id: activityIdFor(conversationId, seq), timestamp: this.stamp(entry) };
    this.push(entry, seq, stored);
    return stored;
  }

  /**
   * Replaces an activity (the bot's updateActivity). The updated copy keeps its id and moves to the
   * end of the log under a new watermark, so polling clients receive it again and upsert it by id.
   * It keeps its timestamp (its place in the transcript) and, unless given a new one, its replyToId.
   */
  update(conversationId: string, activityId: string, activity: Activity): StoredActivity {
    const entry = this.requireEntry(conversationId);
    const index = entry.log.findIndex((e) => e.activity.id === activityId);
    if (index < 0) throw new AcademyError(404, 'Activity not found', 'activityId');
    const previous = entry.log[index]!.activity;
    entry.log.splice(index, 1);
    const seq = entry.nextSeq++;
    const replyTo = activity.replyToId ?? previous.replyToId;
    const stored: StoredActivity = { ...activity, id: activityId, timestamp: previous.timestamp, ...(replyTo ? { replyToId: replyTo } : {}) };
    this.push(entry, seq, stored);
    return stored;
  }

  /** Removes an activity from the log; false if it was not there. */
  deleteActivity(conversationId: string, activityId: string): boolean {
    const entry = this.requireEntry(conversationId);
    const index = entry.log.findIndex((e) => e.activity.id === activityId);
    if (index < 0) return false;
    entry.log.splice(index, 1);
    return true;
  }

  /** True when the conversation's log still holds an activity with this id. */
  hasActivity(conversationId: string, activityId: string): boolean {
    const entry = this.entry(conversationId);
    return !!entry && entry.log.some((e) => e.activity.id === activityId);
  }

  /** Activities after `watermark` (see parseWatermark), and the watermark to send next time. */
  list(conversationId: string, watermark = 0): ActivityPage {
    const entry = this.requireEntry(conversationId);
    const activities = entry.log.filter((e) => e.seq > watermark).map((e) => e.activity);
    const last = entry.log.at(-1)?.seq ?? 0;
    return { activities, watermark: String(Math.max(last, Math.min(watermark, entry.nextSeq - 1))) };
  }

  private push(entry: Entry, seq: number, activity: StoredActivity): void {
    entry.log.push({ seq, activity });
    const excess = entry.log.length - this.maxActivitiesPerConversation;
    if (excess > 0) entry.log.splice(0, excess);
  }

  private stamp(entry: Entry): string {
    const ms = Math.max(this.clock.now().getTime(), entry.lastTimestampMs + 1);
    entry.lastTimestampMs = ms;
    return new Date(ms).toISOString();
  }

  private requireEntry(conversationId: string): Entry {
    const entry = this.entry(conversationId);
    if (!entry) throw new AcademyError(404, 'Conversation not found', 'conversationId');
    return entry;
  }

  private entry(conversationId: string): Entry | undefined {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    const now = this.clock.now();
    if (now.getTime() - entry.conversation.lastSeenAt.getTime() > this.idleExpiryMs) {
      this.entries.delete(conversationId);
      return undefined;
    }
    entry.conversation.lastSeenAt = now;
    this.entries.delete(conversationId);
    this.entries.set(conversationId, entry);
    return entry;
  }

  /** Drops idle conversations; they sit at the front of the map. */
  private sweep(): void {
    const cutoff = this.clock.now().getTime() - this.idleExpiryMs;
    for (const [id, entry] of this.entries) {
      if (entry.conversation.lastSeenAt.getTime() >= cutoff) break;
      this.entries.delete(id);
    }
  }
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new AcademyError(500, `${name} must be a positive whole number`, name);
  return n;
}
