import { ActivityHandler, type ConversationState, type TurnContext, type UserState } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { Catalog } from '../src/lessons/catalog.js';
import { glossaryQuestion, type Glossary } from '../src/lessons/glossary.js';
import type { SkillStatement } from '../src/lessons/selfCheck.js';
import type { LearnerRecords } from '../src/privacy/learnerRecords.js';
import type { QaStore } from '../src/qa/store.js';
import { cardsFor } from '../src/lessons/types.js';
import {
  channelShowsCards,
  courseCard,
  eraseConfirmCard,
  glossaryCard,
  helpCard,
  menuCard,
  notUnderstoodCard,
  privacyCard,
  progressCard,
  selfCheckOfferCard,
  welcomeCard,
} from './cards.js';
import type { AskResult } from '../src/qa/engine.js';
import { readInput, type Input } from './input.js';
import { allProgress, audienceOf, courseProgress, isDone, learnerId, lessonInProgress, nextLesson, LearnerStore, type LearnerProfile } from './learner.js';
import { QaHandler, type GenerativePort, type ProactivePort, type QaMemory, type QaPort } from './qaHandler.js';
import { SELF_CHECK_DIALOG, SelfCheckDialog } from './selfCheckDialog.js';
import { LESSON_DIALOG, LessonDialog, type LessonDialogDeps } from './lessonDialog.js';

export interface AcademyBotDeps extends Omit<LessonDialogDeps, 'learners'> {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly glossary: Glossary;
  readonly skills: readonly SkillStatement[];
  readonly records: LearnerRecords;
  /** The public page that says what is recorded and who can see it. */
  readonly privacyUrl: string;
  readonly qa: QaPort;
  readonly qaStore: QaStore;
  readonly proactive: ProactivePort;
  readonly generative?: GenerativePort;
  readonly log: (message: string, error?: unknown) => void;
}

interface ConversationFlags extends QaMemory {
  greeted?: boolean;
  /** "delete my data" was asked and awaits its confirmation. */
  confirmErase?: boolean;
}

/** Set on a turn whose learner was erased: nothing of theirs is saved at its end. */
const ERASED = Symbol('academy.erased');

/**
 * The academy's bot: routes each message to the menu, progress, help or the lesson runner,
 * and saves bot state at the end of every turn. Unknown input gets a short helpful reply.
 */
export class AcademyBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly learners: LearnerStore;
  private readonly flags;
  private readonly answers: QaHandler;
  private readonly lessons: LessonDialog;

  constructor(private readonly deps: AcademyBotDeps) {
    super();
    this.learners = new LearnerStore(deps.userState);
    this.dialogs = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
    this.lessons = new LessonDialog({ ...deps, learners: this.learners });
    this.dialogs.add(this.lessons);
    this.answers = new QaHandler({
      qa: deps.qa,
      store: deps.qaStore,
      proactive: deps.proactive,
      catalog: deps.catalog,
      recorder: deps.recorder,
      statements: deps.statements,
      clock: deps.clock,
      ...(deps.generative ? { generative: deps.generative } : {}),
    });
    this.dialogs.add(
      new SelfCheckDialog({ statements: deps.skills, catalog: deps.catalog, learners: this.learners, recorder: deps.recorder, xapi: deps.statements, clock: deps.clock, ids: deps.ids }),
    );
    this.flags = deps.conversationState.createProperty<ConversationFlags>('flags');

    this.onMessage(async (ctx, next) => {
      await this.route(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const added = ctx.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === ctx.activity.recipient.id);
      const group = ctx.activity.conversation.isGroup === true || ['channel', 'groupChat'].includes(String(ctx.activity.conversation.conversationType));
      if (group) {
        // Added to a team or group chat: the first such conversation becomes the champions' one.
        if (botAdded && !deps.qaStore.championsConversation()) await this.answers.registerChampions(ctx, true);
      } else if (added.some((m) => m.id !== ctx.activity.recipient.id)) {
        await this.greet(ctx);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.greet(ctx);
      await next();
    });
  }

  /** Runs the turn and saves state even when the turn failed half way. */
  override async run(ctx: TurnContext): Promise<void> {
    try {
      await super.run(ctx);
    } catch (e) {
      this.deps.log('Turn failed', e);
      await ctx.sendActivity('Sorry, something went wrong on my side. Type "menu" to carry on.');
    } finally {
      if (!ctx.turnState.get(ERASED)) {
        await this.deps.conversationState.saveChanges(ctx, false);
        await this.deps.userState.saveChanges(ctx, false);
      }
    }
  }

  private async greet(ctx: TurnContext): Promise<void> {
    const flags = await this.flags.get(ctx, {});
    if (flags.greeted) return;
    flags.greeted = true;
    const profile = await this.learners.profile(ctx);
    const cards = channelShowsCards(ctx.activity.channelId);
    if (profile.role) {
      await ctx.sendActivity('Welcome back to the Digital Skills Academy.');
      await this.showMenu(ctx, profile);
    } else {
      await ctx.sendActivity(welcomeCard(cards));
    }
  }

  private async route(ctx: TurnContext): Promise<void> {
    let input = readInput(ctx.activity);
    const profile = await this.learners.profile(ctx);
    const dc = await this.dialogs.createContext(ctx);
    const cards = channelShowsCards(ctx.activity.channelId);
    const flags = await this.flags.get(ctx, {});
    flags.greeted = true;
    const confirming = flags.confirmErase === true;
    flags.confirmErase = false;
    // A question held under a possible-emergency card lives until the next message only.
    const pending = flags.pendingQuestion;
    flags.pendingQuestion = undefined;

    // "This is not an emergency": the held question goes the normal way, without the safety net.
    const notEmergency = input.kind === 'not-emergency';
    if (notEmergency) {
      if (pending === undefined) {
        await ctx.sendActivity('Please type your question again.');
        return;
      }
      input = { kind: 'text', text: pending };
    }

    // Safety first: every free-text message is triaged before anything else, in lessons too.
    const assessed = input.kind === 'text' ? this.answers.assess(input.text, notEmergency) : undefined;
    if (assessed?.triage === 'emergency' || assessed?.triage === 'possible-emergency') {
      await this.answers.reply(ctx, assessed, flags);
      return;
    }

    switch (input.kind) {
      case 'role':
        profile.role = input.role;
        await ctx.sendActivity(
          input.role === 'champion'
            ? 'Thanks. As a digital champion you will find a course on helping others, as well as the lessons your colleagues take.'
            : 'Thanks. Here are the courses. Each lesson takes a few minutes.',
        );
        await dc.cancelAllDialogs();
        if (!profile.selfCheckDone) {
          await ctx.sendActivity(selfCheckOfferCard(cards));
          return;
        }
        return this.showMenu(ctx, profile);
      case 'selfcheck':
        await dc.cancelAllDialogs();
        await dc.beginDialog(SELF_CHECK_DIALOG);
        return;
      case 'menu':
        await dc.cancelAllDialogs();
        return this.showMenu(ctx, profile);
      case 'help':
        await ctx.sendActivity(helpCard(cards));
        return;
      case 'progress':
        await ctx.sendActivity(
          progressCard(
            allProgress(profile, this.deps.catalog),
            Object.values(profile.lessons).filter((l) => l.passed).length,
            nextLesson(profile, this.deps.catalog),
            profile.badges ?? [],
            cards,
          ),
        );
        return;
      case 'course':
        return this.showCourse(ctx, dc, profile, input.area);
      case 'privacy': {
        const summary = await this.deps.records.summary(learnerId(ctx));
        await ctx.sendActivity(
          privacyCard(
            {
              learnerId: learnerId(ctx),
              role: profile.role === 'nhs' ? 'NHS staff' : profile.role === 'social-care' ? 'social care' : profile.role === 'champion' ? 'digital champion' : undefined,
              lessonsStarted: Object.keys(profile.lessons).length,
              selfCheckDone: profile.selfCheckDone === true,
              ...summary,
              privacyUrl: this.deps.privacyUrl,
            },
            cards,
          ),
        );
        return;
      }
      case 'erase':
        flags.confirmErase = true;
        await ctx.sendActivity(eraseConfirmCard(cards));
        return;
      case 'erase-confirm':
        if (!confirming) {
          flags.confirmErase = true;
          await ctx.sendActivity(eraseConfirmCard(cards));
          return;
        }
        return this.erase(ctx);
      case 'start':
        await dc.cancelAllDialogs();
        await dc.beginDialog(LESSON_DIALOG, { lessonId: input.lessonId });
        return;
      case 'hello':
        if (!dc.activeDialog) {
          if (!profile.role) await ctx.sendActivity(welcomeCard(cards));
          else await this.showMenu(ctx, profile);
          return;
        }
        break;
      case 'topic':
        if (await this.answers.showTopic(ctx, input.topic, flags)) return;
        break;
      case 'rate-answer':
        await this.answers.rate(ctx, await this.learners.ref(ctx), input.topic, input.helpful, flags);
        return;
      case 'ask-champion':
        await this.answers.offerChampion(ctx, flags);
        return;
      case 'ask-champion-confirm':
        await this.answers.sendToChampions(ctx, await this.learners.ref(ctx), flags);
        return;
      case 'champion-reply':
        await this.answers.championReplied(ctx, await this.learners.ref(ctx), input.request, input.reply);
        return;
      case 'champions-here':
        await this.answers.registerChampions(ctx, true);
        return;
      default:
        break;
    }

    // Typed text in a dialog is the dialog's only when it answers what is on screen; else it is a question.
    if (assessed && dc.activeDialog && (notEmergency || !(await this.lessons.acceptsText(dc, assessed.q)))) {
      await this.idle(ctx, dc, profile, input, assessed, notEmergency);
      await ctx.sendActivity('Type "next" to carry on where you were.');
      return;
    }
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;
    await this.idle(ctx, dc, profile, input, assessed, notEmergency);
  }

  /** A message that no dialog is waiting for. `sensitive`: it was flagged as a possible emergency. */
  private async idle(ctx: TurnContext, dc: DialogContext, profile: LearnerProfile, input: Input, assessed?: AskResult, sensitive = false): Promise<void> {
    const cards = channelShowsCards(ctx.activity.channelId);
    if (input.kind === 'text') {
      const asked = glossaryQuestion(input.text);
      const entry = asked ? this.deps.glossary.lookup(asked) : undefined;
      if (entry) {
        await ctx.sendActivity(glossaryCard(entry, cards));
        return;
      }
      const wanted = input.text.toLowerCase().replace(/^(?:carry on|next):\s*/, '').replace(/^✓\s*/, '');
      const lesson = this.deps.catalog.lessons.find((l) => l.title.toLowerCase() === wanted);
      if (lesson) {
        await dc.beginDialog(LESSON_DIALOG, { lessonId: lesson.id });
        return;
      }
      const course = this.deps.catalog.courses.find((c) => c.area.title.toLowerCase() === wanted);
      if (course) return this.showCourse(ctx, dc, profile, course.area.code);
      if (assessed) {
        await this.answers.reply(ctx, assessed, await this.flags.get(ctx, {}), { sensitive });
        return;
      }
    }
    if (!profile.role) {
      await ctx.sendActivity(welcomeCard(cards));
      return;
    }
    if (input.kind === 'next' || input.kind === 'back' || input.kind === 'stop') {
      await this.showMenu(ctx, profile);
      return;
    }
    await ctx.sendActivity(notUnderstoodCard(cards));
  }

  /** Voids the learner's statements and deletes their bot state, user and conversation. */
  private async erase(ctx: TurnContext): Promise<void> {
    const voided = await this.deps.records.erase(learnerId(ctx));
    this.deps.qaStore.eraseLearner(learnerId(ctx));
    await this.deps.userState.delete(ctx);
    await this.deps.conversationState.delete(ctx);
    ctx.turnState.set(ERASED, true);
    await ctx.sendActivity(
      `Done. Your progress is erased and your ${voided} learning step${voided === 1 ? ' is' : 's are'} removed from the learning record. If you come back, you start afresh.`,
    );
  }

  private async showMenu(ctx: TurnContext, profile: LearnerProfile): Promise<void> {
    const carry = lessonInProgress(profile, this.deps.catalog);
    const carryOn = carry
      ? { lesson: carry.lesson, step: carry.progress.step, steps: cardsFor(carry.lesson, audienceOf(profile.role)).length + carry.lesson.checks.length }
      : undefined;
    await ctx.sendActivity(menuCard(allProgress(profile, this.deps.catalog), carryOn, nextLesson(profile, this.deps.catalog), channelShowsCards(ctx.activity.channelId)));
  }

  private async showCourse(ctx: TurnContext, dc: DialogContext, profile: LearnerProfile, area: string): Promise<void> {
    const course = this.deps.catalog.course(area);
    if (!course) {
      await ctx.sendActivity(notUnderstoodCard(channelShowsCards(ctx.activity.channelId)));
      return;
    }
    await dc.cancelAllDialogs();
    await ctx.sendActivity(courseCard(courseProgress(profile, course), (id) => isDone(profile, id), channelShowsCards(ctx.activity.channelId)));
  }
}
