import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from '@xapi/xapi';
import { ConversationState, TestAdapter, UserState, type Activity, type Storage } from 'botbuilder';
import { AcademyBot } from '../../dialogs/academyBot.js';
import { Catalog, ContentLoader } from '../../src/lessons/catalog.js';
import { loadGlossary } from '../../src/lessons/glossary.js';
import { loadSelfCheck } from '../../src/lessons/selfCheck.js';
import { TOPICS } from '../../src/lessons/syllabus.js';
import { projectRoot } from '../../src/paths.js';
import { systemClock, randomIds, type Clock } from '../../src/ports.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { LearningRecorder, type LrsPort } from '../../src/xapi/recorder.js';
import type { LearnerRecords, RecordSummary } from '../../src/privacy/learnerRecords.js';
import { loadQaEngine, type QaEngine } from '../../src/qa/engine.js';
import { QaStore } from '../../src/qa/store.js';
import type { GenerativePort, ProactivePort } from '../../dialogs/qaHandler.js';
import { ChampionsDirectory, type ChampionRoster } from '../../src/qa/champions.js';
import type { ChampionsConfig } from '../../src/config.js';
import { StatementFactory } from '../../src/xapi/statements.js';

/** An LRS port that keeps what it is sent, in memory: a real, in-process implementation (also of LearnerRecords). */
export class MemoryLrs implements LrsPort, LearnerRecords {
  readonly statements: Statement[] = [];
  readonly voided = new Set<string>();
  async send(statements: readonly Statement[]): Promise<void> {
    this.statements.push(...statements);
  }
  private of(learnerId: string): Statement[] {
    return this.statements.filter((s) => !this.voided.has(String(s.id)) && 'account' in s.actor && s.actor.account?.name === learnerId);
  }
  async summary(learnerId: string): Promise<RecordSummary> {
    const mine = this.of(learnerId);
    return { statements: mine.length, first: mine[0]?.timestamp, last: mine.at(-1)?.timestamp };
  }
  async erase(learnerId: string): Promise<number> {
    const mine = this.of(learnerId);
    for (const s of mine) this.voided.add(String(s.id));
    return mine.length;
  }
}

let cached: Catalog | undefined;
export function shippedCatalog(): Catalog {
  cached ??= new Catalog(new ContentLoader(join(projectRoot(), 'content')).load(), TOPICS.map((t) => t.code));
  return cached;
}

export function tempDir(prefix = 'academy-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const TEST_ID_BASE = 'https://academy.test/xapi';

let engine: QaEngine | undefined;
/** The real question-answering engine over the shipped content (built once per test run). */
export function shippedQa(): QaEngine {
  engine ??= loadQaEngine({ contentDir: join(projectRoot(), 'content') });
  return engine;
}

export interface BotExtras {
  readonly qaStore?: QaStore;
  readonly proactive?: ProactivePort;
  readonly generative?: GenerativePort;
  /** Where the champions are (default: none configured). */
  readonly champions?: Partial<ChampionsConfig>;
  /** Who is in the champions' conversation (default: nobody). */
  readonly roster?: ChampionRoster;
}

/** A roster of the champions' conversation for tests: these Teams user ids, with their given names. */
export function rosterOf(members: Record<string, string>): ChampionRoster {
  return { member: async (ctx) => (ctx.activity.from && ctx.activity.from.id in members ? { givenName: members[ctx.activity.from.id] } : undefined) };
}

export function makeBot(storage: Storage, lrs: LrsPort & LearnerRecords, clock: Clock = systemClock, extras: BotExtras = {}): AcademyBot {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const recorder = new LearningRecorder(lrs, clock, randomIds, (e) => {
    throw e;
  });
  const qaStore = extras.qaStore ?? new QaStore(':memory:', clock, randomIds);
  return new AcademyBot({
    conversationState,
    userState,
    greetingStorage: storage,
    catalog: shippedCatalog(),
    glossary: loadGlossary(join(projectRoot(), 'content')),
    skills: loadSelfCheck(join(projectRoot(), 'content')),
    records: lrs,
    privacyUrl: 'http://localhost:3978/privacy',
    qa: shippedQa(),
    qaStore,
    champions: new ChampionsDirectory(qaStore, { teamId: '', conversationId: '', ...extras.champions }),
    roster: extras.roster ?? rosterOf({}),
    proactive: extras.proactive ?? { send: async () => undefined },
    ...(extras.generative ? { generative: extras.generative } : {}),
    recorder,
    statements: new StatementFactory(new XapiIds(TEST_ID_BASE)),
    clock,
    ids: randomIds,
    log: (m, e) => console.error(m, e),
  });
}

/** Talks to the bot through botbuilder's TestAdapter and returns each turn's replies. */
export class Chat {
  readonly adapter: TestAdapter;

  constructor(
    bot: AcademyBot,
    channelId: string,
    user = { id: 'dl_testlearner0001', name: 'Learner', aadObjectId: undefined as string | undefined },
    conversation?: { id: string; isGroup: boolean; conversationType: string; name: string },
  ) {
    this.adapter = new TestAdapter(async (ctx) => bot.run(ctx), {
      channelId,
      from: { id: user.id, name: user.name, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) },
      recipient: { id: 'academy-bot', name: 'Academy' },
      conversation: conversation ?? { id: `conv-${channelId}-${user.id}`, isGroup: false, conversationType: 'personal', name: '' },
    });
  }

  /** Sends text, or a card button's data, and returns what the bot said. */
  async say(input: string | Record<string, unknown>): Promise<Partial<Activity>[]> {
    await this.adapter.receiveActivity(typeof input === 'string' ? { type: 'message', text: input } : { type: 'message', value: input, text: '' });
    return this.adapter.activeQueue.splice(0);
  }
}

/** Everything a reply shows a person: text, card text blocks, facts and buttons. */
export function visibleText(replies: Partial<Activity>[]): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') out.push(o[key] as string);
      for (const [k, v] of Object.entries(o)) if (k !== 'data' && typeof v === 'object') walk(v);
    }
  };
  for (const r of replies) {
    if (r.text) out.push(r.text);
    walk(r.attachments?.map((a) => a.content));
    walk(r.suggestedActions?.actions);
  }
  return out.join('\n');
}

/** The button data of every Adaptive Card action in the replies. */
export function buttons(replies: Partial<Activity>[]): { title: string; data: Record<string, unknown> }[] {
  return replies.flatMap((r) =>
    (r.attachments ?? []).flatMap((a) => ((a.content as { actions?: { title: string; data: Record<string, unknown> }[] }).actions ?? []).map((x) => ({ title: x.title, data: x.data }))),
  );
}
