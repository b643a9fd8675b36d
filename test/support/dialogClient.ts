import { AutoSaveStateMiddleware, MemoryStorage, UserState, type Activity, type TurnContext } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { randomIds, systemClock } from '../../src/ports.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { LearningRecorder } from '../../src/xapi/recorder.js';
import { StatementFactory } from '../../src/xapi/statements.js';
import { LearnerStore, type LearnerProfile } from '../../dialogs/learner.js';
import { MemoryLrs, TEST_ID_BASE } from './bot.js';

/** What a dialog under test is built from: the learner store (user state kept between turns), an in-memory LRS. */
export interface DialogParts {
  readonly userState: UserState;
  readonly learners: LearnerStore;
  readonly lrs: MemoryLrs;
  readonly recorder: LearningRecorder;
  readonly statements: StatementFactory;
  /** The learner's profile as the last turn left it (a turn's context is gone once the turn ends). */
  readonly last: { profile?: LearnerProfile };
}

export function dialogParts(): DialogParts {
  const userState = new UserState(new MemoryStorage());
  const lrs = new MemoryLrs();
  const recorder = new LearningRecorder(lrs, systemClock, randomIds, (e) => {
    throw e;
  });
  return { userState, learners: new LearnerStore(userState), lrs, recorder, statements: new StatementFactory(new XapiIds(TEST_ID_BASE)), last: {} };
}

/** A DialogTestClient for `dialog` on `channelId` whose user state is saved after every turn. */
export function clientFor(channelId: string, dialog: Dialog, parts: DialogParts, options?: unknown): DialogTestClient {
  const keepProfile = {
    onTurn: async (ctx: TurnContext, next: () => Promise<void>) => {
      await next();
      parts.last.profile = structuredClone(await parts.learners.profile(ctx));
    },
  };
  return new DialogTestClient(channelId, dialog, options, [new AutoSaveStateMiddleware(parts.userState), keepProfile]);
}

/** Sends text or a card button's data; returns every reply of the turn. */
export async function send(client: DialogTestClient, input: string | Record<string, unknown>): Promise<Partial<Activity>[]> {
  const first = (await client.sendActivity(typeof input === 'string' ? input : { type: 'message', value: input, text: '' })) as Partial<Activity> | undefined;
  const replies: Partial<Activity>[] = first ? [first] : [];
  for (let next = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
  return replies;
}
