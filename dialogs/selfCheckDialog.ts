import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Catalog } from '../src/lessons/catalog.js';
import { selfCheckResult, type Rating, type SkillStatement } from '../src/lessons/selfCheck.js';
import type { Lesson } from '../src/lessons/types.js';
import type { Clock, IdGenerator } from '../src/ports.js';
import type { LearningRecorder } from '../src/xapi/recorder.js';
import { isoDuration, type StatementFactory } from '../src/xapi/statements.js';
import { ReplyContext } from './cards/reply.js';
import { selfCheckItemCard, selfCheckResultCard } from './cards/selfCheck.js';
import { readInput } from './input.js';
import { isDone, type LearnerStore } from './learner.js';

export const SELF_CHECK_DIALOG = 'self-check';

export interface SelfCheckDeps {
  readonly statements: readonly SkillStatement[];
  readonly catalog: Catalog;
  readonly learners: LearnerStore;
  readonly recorder: LearningRecorder;
  readonly xapi: StatementFactory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

interface SelfCheckState {
  index: number;
  answers: Record<string, Rating | 'skipped'>;
  registration: string;
  startedAt: string;
}

/**
 * The skills self-check: "I can..." statements one card at a time (yes / not sure / no, or
 * skip); the result names strengths and the lessons to learn first, and offers the first one.
 */
export class SelfCheckDialog extends Dialog {
  constructor(private readonly deps: SelfCheckDeps) {
    super(SELF_CHECK_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state: SelfCheckState = { index: 0, answers: {}, registration: this.deps.ids.uuid(), startedAt: this.deps.clock.now().toISOString() };
    dc.activeDialog!.state = state;
    await dc.context.sendActivity(`A quick skills check: ${this.deps.statements.length} short statements. There are no wrong answers.`);
    await this.ask(dc, state);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as SelfCheckState;
    const input = readInput(dc.context.activity);
    const item = this.deps.statements[state.index];
    if (input.kind === 'stop') return this.finish(dc, state);
    if ((input.kind === 'rate' || input.kind === 'skip') && input.at !== undefined && input.at !== `self-check:${state.index}`) {
      await dc.context.sendActivity('That button is on an earlier question. Here is the current one:');
      await this.ask(dc, state);
      return Dialog.EndOfTurn;
    }
    if (input.kind === 'rate' || input.kind === 'skip') {
      if (input.kind === 'rate') {
        state.answers[item.id] = input.rating;
        const learner = await this.deps.learners.ref(dc.context);
        await this.deps.recorder.record(this.deps.xapi.selfCheckAnswered(learner, state.registration, item, input.rating));
      } else {
        state.answers[item.id] = 'skipped';
      }
      state.index += 1;
      if (state.index >= this.deps.statements.length) return this.finish(dc, state);
    } else {
      await dc.context.sendActivity('Please answer yes, not sure or no, or skip this one. Type "stop" to leave the skills check.');
    }
    await this.ask(dc, state);
    return Dialog.EndOfTurn;
  }

  private async ask(dc: DialogContext, state: SelfCheckState): Promise<void> {
    const item = this.deps.statements[state.index];
    await ReplyContext.of(dc.context).send(selfCheckItemCard(item, state.index, this.deps.statements.length));
  }

  private async finish(dc: DialogContext, state: SelfCheckState): Promise<DialogTurnResult> {
    const result = selfCheckResult(this.deps.statements, state.answers);
    const profile = await this.deps.learners.profile(dc.context);
    profile.plan = [...result.plan];
    profile.strengths = result.strengths.map((s) => s.id);
    profile.selfCheckDone = true;
    const learner = await this.deps.learners.ref(dc.context);
    const duration = isoDuration(this.deps.clock.now().getTime() - Date.parse(state.startedAt));
    await this.deps.recorder.record(this.deps.xapi.selfCheckCompleted(learner, state.registration, profile.strengths, profile.plan, duration));
    const first = result.plan
      .map((code) => this.deps.catalog.lessonForTopic(code))
      .filter((l): l is Lesson => l !== undefined && !isDone(profile, l.id));
    await ReplyContext.of(dc.context).send(selfCheckResultCard(result.strengths, first));
    return dc.endDialog();
  }
}
