import { ActivityHandler, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { teamsRoster } from '../src/qa/champions.js';
import { ERASED, type Academy, type AcademyBotDeps, type ConversationFlags, type Turn } from './academy.js';
import { welcomeCard } from './cards/menu.js';
import { ReplyContext } from './cards/reply.js';
import { handleFreeText, toDialog } from './freeText.js';
import { GreetingLedger } from './greetings.js';
import { readInput } from './input.js';
import { interrupt } from './interrupt.js';
import { LearnerStore } from './learner.js';
import { LessonDialog } from './lessonDialog.js';
import { QaHandler } from './qaHandler.js';
import { GROUP_COMMANDS, runCommand } from './routes.js';
import { showMenu } from './screens.js';
import { SelfCheckDialog } from './selfCheckDialog.js';

export type { AcademyBotDeps, ResumePort } from './academy.js';

/** Said in a group chat or a channel: nothing personal is ever posted there. */
export const GROUP_REPLY = 'I help people one to one — message me privately to start learning.';

/** A Teams group chat or channel (or any group conversation): a place for no one's own learning. */
export function isGroupConversation(ctx: TurnContext): boolean {
  const c = ctx.activity.conversation;
  return c?.isGroup === true || ['channel', 'groupChat'].includes(String(c?.conversationType));
}

/**
 * The academy's bot. Each message goes through three steps: the interrupt step (safety
 * triage, help, menu, stop: interrupt.ts), the command table (routes.ts), then the open
 * dialog or the free-text resolvers (freeText.ts). Bot state is saved at the end of every turn.
 */
export class AcademyBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly flags;
  private readonly greetings: GreetingLedger;
  private readonly academy: Academy;

  constructor(private readonly deps: AcademyBotDeps) {
    super();
    const learners = new LearnerStore(deps.userState);
    this.greetings = new GreetingLedger(deps.greetingStorage);
    this.dialogs = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
    const lessons = new LessonDialog({ ...deps, learners });
    this.dialogs.add(lessons);
    const answers = new QaHandler({
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
    this.dialogs.add(new SelfCheckDialog({ statements: deps.skills, catalog: deps.catalog, learners, recorder: deps.recorder, xapi: deps.statements, clock: deps.clock, ids: deps.ids }));
    this.flags = deps.conversationState.createProperty<ConversationFlags>('flags');
    this.academy = { deps, learners, answers, lessons };

    this.onMessage(async (ctx, next) => {
      if (isGroupConversation(ctx) && !GROUP_COMMANDS.has(readInput(ctx.activity).kind)) await this.replyInGroup(ctx);
      else await this.route(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const added = ctx.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === ctx.activity.recipient.id);
      if (isGroupConversation(ctx)) {
        // Added to a team or group chat: only the configured or admin-picked one becomes the champions' conversation.
        if (botAdded) {
          await this.greetGroup(ctx);
          await answers.botAddedToGroup(ctx);
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
    const assessed = input.kind === 'text' ? this.academy.answers.assess(input.text) : undefined;
    // An emergency still gets the 999 message: it is about no one's learning.
    if (assessed?.triage === 'emergency') return this.academy.answers.reply(ctx, assessed, {});
    await ctx.sendActivity(GROUP_REPLY);
  }

  private async greet(ctx: TurnContext): Promise<void> {
    const flags = await this.flags.get(ctx, {});
    if (flags.greeted) return;
    flags.greeted = true;
    if (!(await this.greetings.claim(ctx.activity.conversation.id))) return;
    const profile = await this.academy.learners.profile(ctx);
    const reply = ReplyContext.of(ctx);
    if (profile.role) {
      await ctx.sendActivity('Welcome back to the Digital Skills Academy.');
      await showMenu(reply, this.deps.catalog, profile);
    } else {
      await reply.send(welcomeCard());
    }
  }

  /** One message: the interrupt step, then the command table, then the open dialog or the free-text resolvers. */
  private async route(ctx: TurnContext): Promise<void> {
    const t = await this.beginTurn(ctx);
    if (await interrupt(t)) return;
    if (await runCommand(t)) return;
    if (t.input.kind === 'text') await handleFreeText(t, t.input.text);
    else await toDialog(t);
  }

  /** Gathers the turn: the input, the learner, the dialogs and the conversation's one-message flags. */
  private async beginTurn(ctx: TurnContext): Promise<Turn> {
    const input = readInput(ctx.activity);
    const profile = await this.academy.learners.profile(ctx);
    const dc = await this.dialogs.createContext(ctx);
    const reply = ReplyContext.of(ctx);
    const flags = await this.flags.get(ctx, {});
    flags.greeted = true;
    const confirming = flags.confirmErase === true;
    flags.confirmErase = false;
    // A question held under a possible-emergency card lives until the next message only.
    const pending = flags.pendingQuestion;
    flags.pendingQuestion = undefined;
    return { ctx, input, profile, dc, reply, flags, confirming, pending, notEmergency: false, bot: this.academy };
  }
}
