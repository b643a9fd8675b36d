import { ActivityHandler, type ConversationState, type Storage, type TurnContext, type UserState } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { Catalog } from '../src/lessons/catalog.js';
import { glossaryQuestion, type Glossary } from '../src/lessons/glossary.js';
import type { SkillStatement } from '../src/lessons/selfCheck.js';
import type { LearnerRecords } from '../src/privacy/learnerRecords.js';
import type { QaStore } from '../src/qa/store.js';
import { teamsRoster, type ChampionRoster, type ChampionsDirectory } from '../src/qa/champions.js';
import { cardsFor } from '../src/lessons/types.js';
import {
  cardReportedCard,
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
import { GreetingLedger } from './greetings.js';
import { allProgress, audienceOf, channelOf, courseProgress, isDone, learnerId, lessonInProgress, nextLesson, LearnerStore, type LearnerProfile } from './learner.js';
import { lmsSessionOf } from '../src/lms/marker.js';
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
  /** Where the champions are: config (CHAMPIONS_TEAM_ID / CHAMPIONS_CONVERSATION_ID) or the admin's pick. */
  readonly champions: ChampionsDirectory;
  /** Who is in the champions' conversation; default Teams' member lookup. */
  readonly roster?: ChampionRoster;
  /** Resume codes of web learners (moving to another browser); absent = not offered. */
  readonly resume?: ResumePort;
  readonly log: (message: string, error?: unknown) => void;
  /** Where "this conversation was greeted" is written once (default: in memory). */
  readonly greetingStorage?: Storage;
}

/** Said in a group chat or a channel: nothing personal is ever posted there. */
export const GROUP_REPLY = 'I help people one to one — message me privately to start learning.';

/** A Teams group chat or channel (or any group conversation): a place for no one's own learning. */
export function isGroupConversation(ctx: TurnContext): boolean {
  const c = ctx.activity.conversation;
  return c?.isGroup === true || ['channel', 'groupChat'].includes(String(c?.conversationType));
}

/** What the bot still does in a group conversation: the champions' functions (hook for the champions' conversation). */
const GROUP_INPUTS: ReadonlySet<Input['kind']> = new Set(['champion-reply', 'champions-here', 'champion-name']);

/** A web learner's resume code: made, revoked, and where it is typed in. */
export interface ResumePort {
  create(learnerId: string): string;
  revoke(learnerId: string): boolean;
  /** The page where a code is redeemed, e.g. https://academy.example/resume. */
  readonly url: string;
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
  private readonly greetings: GreetingLedger;

  constructor(private readonly deps: AcademyBotDeps) {
    super();
    this.learners = new LearnerStore(deps.userState);
    this.greetings = new GreetingLedger(deps.greetingStorage);
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
      champions: deps.champions,
      roster: deps.roster ?? teamsRoster,
      log: deps.log,
      ...(deps.generative ? { generative: deps.generative } : {}),
    });
    this.dialogs.add(
      new SelfCheckDialog({ statements: deps.skills, catalog: deps.catalog, learners: this.learners, recorder: deps.recorder, xapi: deps.statements, clock: deps.clock, ids: deps.ids }),
    );
    this.flags = deps.conversationState.createProperty<ConversationFlags>('flags');

    this.onMessage(async (ctx, next) => {
      if (isGroupConversation(ctx) && !GROUP_INPUTS.has(readInput(ctx.activity).kind)) await this.replyInGroup(ctx);
      else await this.route(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const added = ctx.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === ctx.activity.recipient.id);
      const group = ctx.activity.conversation.isGroup === true || ['channel', 'groupChat'].includes(String(ctx.activity.conversation.conversationType));
      if (group) {
        // Added to a team or group chat: only the configured or admin-picked one becomes the champions' conversation.
        if (botAdded) {
          await this.greetGroup(ctx);
          await this.answers.botAddedToGroup(ctx);
        }
      } else if (added.some((m) => m.id !== ctx.activity.recipient.id)) {
        await this.greet(ctx);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      if (isGroupConversation(ctx)) await this.greetGroup(ctx);
      else await this.greet(ctx);
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

  /** Added to a group chat or a channel: one short line, once, and nothing about anyone. */
  private async greetGroup(ctx: TurnContext): Promise<void> {
    if (await this.greetings.claim(ctx.activity.conversation.id)) await ctx.sendActivity(GROUP_REPLY);
  }

  /** Any message in a group chat or channel that is not for the champions' functions. */
  private async replyInGroup(ctx: TurnContext): Promise<void> {
    const input = readInput(ctx.activity);
    const assessed = input.kind === 'text' ? this.answers.assess(input.text) : undefined;
    // An emergency still gets the 999 message: it is about no one's learning.
    if (assessed?.triage === 'emergency') return this.answers.reply(ctx, assessed, {});
    await ctx.sendActivity(GROUP_REPLY);
  }

  private async greet(ctx: TurnContext): Promise<void> {
    const flags = await this.flags.get(ctx, {});
    if (flags.greeted) return;
    flags.greeted = true;
    if (!(await this.greetings.claim(ctx.activity.conversation.id))) return;
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

    // Safety first: every free-text message is triaged before anything else, in lessons too,
    // except the typed label of an answer button on the check question showing now.
    const typedAnswer = input.kind === 'text' && (await this.lessons.isTypedAnswer(dc, input.text));
    const assessed = input.kind === 'text' && !typedAnswer ? this.answers.assess(input.text, notEmergency) : undefined;
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
            : 'Thanks. Each lesson takes a few minutes.',
        );
        await dc.cancelAllDialogs();
        if (!profile.selfCheckDone) {
          await ctx.sendActivity(selfCheckOfferCard(cards, this.deps.skills.length));
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
      case 'resume-code':
      case 'revoke-resume-code':
        return this.resumeCode(ctx, input.kind === 'resume-code');
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
        await dc.beginDialog(LESSON_DIALOG, { lessonId: input.lessonId, ...(input.check ? { atCheck: true } : {}) });
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
        await this.answers.championsHere(ctx);
        return;
      case 'champion-name':
        await this.answers.championNameSetting(ctx, input.share);
        return;
      case 'report-card':
        return this.reportCard(ctx, profile, input);
      case 'report-card-note':
        return this.noteCardReport(ctx, input, flags);
      default:
        break;
    }

    // Typed text in a dialog is the dialog's only when it answers what is on screen; else it is a question.
    if (assessed && dc.activeDialog && (notEmergency || !(await this.lessons.acceptsText(dc, assessed.q)))) {
      await this.idle(ctx, dc, profile, input, assessed, notEmergency);
      await ctx.sendActivity('Type "next" to carry on where you were.');
      return;
    }
    if (!dc.activeDialog && (await this.resumeFromButton(dc, profile, input))) return;
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;
    await this.idle(ctx, dc, profile, input, assessed, notEmergency);
  }

  /**
   * A lesson button pressed in a conversation that has no lesson open (the page started a new chat
   * after a restart): the press is applied if it is on the learner's current card, otherwise the
   * lesson carries on from where they are. The place is in the learner's profile, not the conversation.
   */
  private async resumeFromButton(dc: DialogContext, profile: LearnerProfile, input: Input): Promise<boolean> {
    const at = 'at' in input ? input.at : undefined;
    const split = at ? at.lastIndexOf(':') : -1;
    if (!at || split <= 0) return false;
    const lessonId = at.slice(0, split);
    const progress = profile.lessons[lessonId];
    if (progress?.status !== 'in-progress' || !this.deps.catalog.lesson(lessonId)) return false;
    await dc.beginDialog(LESSON_DIALOG, { lessonId, ...(String(progress.step) === at.slice(split + 1) ? { replay: true } : {}) });
    return true;
  }

  /**
   * "Something wrong with this card?": the report goes to the curation queue with the card's id
   * (`<lesson id>/card/<n>`, as in xAPI). Typed rather than tapped, it is the card on screen.
   * The lesson stays where it was.
   */
  private async reportCard(ctx: TurnContext, profile: LearnerProfile, input: Extract<Input, { kind: 'report-card' }>): Promise<void> {
    let lesson = input.lessonId !== undefined ? this.deps.catalog.lesson(input.lessonId) : undefined;
    let index = input.card;
    if (input.lessonId === undefined) {
      lesson = profile.lastLessonId ? this.deps.catalog.lesson(profile.lastLessonId) : undefined;
      const progress = lesson ? profile.lessons[lesson.id] : undefined;
      const onScreen = lesson && progress?.status === 'in-progress' ? cardsFor(lesson, audienceOf(profile.role))[progress.step] : undefined;
      index = lesson && onScreen ? lesson.cards.indexOf(onScreen) : undefined;
    }
    const card = lesson && index !== undefined ? lesson.cards[index] : undefined;
    if (!lesson || !card || index === undefined) {
      await ctx.sendActivity('Open a lesson card first. Then tap "Report a problem" under it.');
      return;
    }
    const report = this.deps.qaStore.reportCard(`${lesson.id}/card/${index + 1}`, lesson.topic, card.title);
    await ctx.sendActivity(cardReportedCard(String(report.id), card.title, channelShowsCards(ctx.activity.channelId)));
  }

  /** The optional note on a card report: screened by the safety triage like any free text. */
  private async noteCardReport(ctx: TurnContext, input: Extract<Input, { kind: 'report-card-note' }>, flags: ConversationFlags): Promise<void> {
    const note = input.note.trim();
    if (note) {
      const assessed = this.answers.assess(note);
      // An emergency or a health question gets its safety reply; such a note is not kept.
      if (assessed.triage === 'emergency' || assessed.triage === 'possible-emergency' || assessed.triage === 'clinical') {
        await this.answers.reply(ctx, assessed, flags);
        return;
      }
      const report = this.deps.qaStore.cardReport(Number(input.report));
      if (report && report.note === null) this.deps.qaStore.noteCardReport(report.id, note);
    }
    await ctx.sendActivity('Thank you. Your report is with the content team. Tap Next on the card to carry on.');
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

  /** "resume code" shows a new code (the old one stops working); "revoke resume code" stops it. Web learners only. */
  private async resumeCode(ctx: TurnContext, create: boolean): Promise<void> {
    const id = learnerId(ctx);
    const resume = this.deps.resume;
    if (!resume || channelOf(ctx.activity.channelId) !== 'webchat' || !id.startsWith('dl_') || lmsSessionOf(ctx.activity)) {
      await ctx.sendActivity('Resume codes are for the web chat. Here, your place is kept with your account.');
      return;
    }
    if (!create) {
      await ctx.sendActivity(resume.revoke(id) ? 'Done. Your resume code no longer works.' : 'You have no resume code. Type "resume code" to get one.');
      return;
    }
    const code = resume.create(id);
    await ctx.sendActivity(
      `Your resume code is ${code}\n\nTo carry on in another browser, open ${resume.url} there and type this code. Keep it private: anyone with it can see and delete your progress. Type "revoke resume code" to stop it working. Asking again gives a new code.`,
    );
  }

  /** Voids the learner's statements and deletes their bot state, user and conversation. */
  private async erase(ctx: TurnContext): Promise<void> {
    this.deps.resume?.revoke(learnerId(ctx));
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
