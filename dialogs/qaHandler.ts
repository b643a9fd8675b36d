import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { isAcademyError } from '../src/errors.js';
import type { Catalog } from '../src/lessons/catalog.js';
import type { Clock } from '../src/ports.js';
import type { AskResult } from '../src/qa/engine.js';
import type { ChampionRoster, ChampionsDirectory } from '../src/qa/champions.js';
import type { QaStore } from '../src/qa/store.js';
import type { LearningRecorder } from '../src/xapi/recorder.js';
import { isoDuration, type LearnerRef, type StatementFactory } from '../src/xapi/statements.js';
import { answerCard, didYouMeanCard, noAnswerCard, notHelpfulCard, offTopicCard, SAVED_FOR_TEAM, type AnswerView } from './cards/answers.js';
import { askChampionConsentCard, championRequestCard } from './cards/champions.js';
import { ReplyContext } from './cards/reply.js';
import { clinicalCard, possibleEmergencyCard } from './cards/safety.js';

/** Question answering as the bot needs it: the engine's one call. `skipNet`: the learner said it is not an emergency. */
export interface QaPort {
  ask(question: string, options?: { readonly skipNet?: boolean }): AskResult;
}

/** Sends a message into another conversation (Teams champions, a learner's chat). */
export interface ProactivePort {
  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<void>;
}

/** Optional: a language model that rewrites the retrieved answer, grounded in it. */
export interface GenerativePort {
  rewrite(question: string, result: AskResult): Promise<AnswerView | undefined>;
}

export interface QaHandlerDeps {
  readonly qa: QaPort;
  readonly store: QaStore;
  readonly proactive: ProactivePort;
  readonly catalog: Catalog;
  readonly recorder: LearningRecorder;
  readonly statements: StatementFactory;
  readonly clock: Clock;
  readonly generative?: GenerativePort;
  /** Where the champions are (config or the admin's pick). */
  readonly champions: ChampionsDirectory;
  /** Who is a member of the champions' conversation. */
  readonly roster: ChampionRoster;
  readonly log?: (message: string, error?: unknown) => void;
}

/** A first name fit to show a learner: letters, apostrophes and hyphens, nothing Markdown could use. */
const FIRST_NAME = /^[\p{L}\p{M}'’-]{1,40}$/u;

/** What a conversation remembers between the question and the buttons under its answer. */
export interface QaMemory {
  lastQuestion?: string;
  lastTopic?: string;
  /**
   * A question the safety net flagged as a possible emergency, kept until the next message so
   * "This is not an emergency – show me the answer" can answer it. Never recorded anywhere else.
   */
  pendingQuestion?: string;
}

/** How a reply may use the question's words. */
export interface ReplyOptions {
  /**
   * The question was triaged emergency or possible emergency (and the learner then asked for
   * the answer): its words go to no curation queue, champion request, record or log.
   */
  readonly sensitive?: boolean;
}

/**
 * Champions' questions: triage first, then an answer with its source and review date, "did you
 * mean", or an honest "I don't know yet" that goes to the curation queue and offers a champion.
 */
export class QaHandler {
  constructor(private readonly deps: QaHandlerDeps) {}

  /** Safety triage and retrieval for a free-text message; cheap, no I/O. */
  assess(text: string, skipNet = false): AskResult {
    return skipNet ? this.deps.qa.ask(text, { skipNet }) : this.deps.qa.ask(text);
  }

  /**
   * Replies to an assessed question. Emergencies get the 999 / 111 / Samaritans message and
   * nothing else; a possible emergency gets the emergency card with a way on to the answer.
   */
  async reply(ctx: TurnContext, result: AskResult, memory: QaMemory, options: ReplyOptions = {}): Promise<void> {
    const reply = ReplyContext.of(ctx);
    const sensitive = options.sensitive === true || result.triage === 'emergency' || result.triage === 'possible-emergency';
    memory.lastQuestion = sensitive ? undefined : result.q;
    memory.lastTopic = undefined;
    switch (result.triage) {
      case 'emergency': {
        const text = result.answer ?? 'Call 999 now. For a mental health crisis call NHS 111 and choose option 2, or Samaritans on 116 123.';
        await ctx.sendActivity({ type: 'message', text, speak: text });
        return;
      }
      case 'possible-emergency':
        memory.pendingQuestion = result.q;
        await reply.send(possibleEmergencyCard(result.answer ?? 'If this is an emergency, call 999 now.'));
        return;
      case 'clinical': {
        const related = result.alternatives.flatMap((code) => {
          const l = this.deps.catalog.lessonForTopic(code);
          return l ? [{ lessonId: l.id, title: l.title }] : [];
        });
        await reply.send(clinicalCard(related.slice(0, 2)));
        return;
      }
      case 'off-topic':
        await reply.send(offTopicCard());
        return;
      case 'answer': {
        // a question that looked like an emergency never goes to a language model
        const view = (sensitive ? undefined : await this.deps.generative?.rewrite(result.q, result)) ?? this.viewOf(result.topic!, result);
        memory.lastTopic = view.topic;
        await reply.send(answerCard(view));
        return;
      }
      case 'no-answer': {
        const topics = result.alternatives.slice(0, 3).flatMap((code) => {
          const l = this.deps.catalog.lessonForTopic(code);
          return l ? [{ topic: code, title: l.title }] : [];
        });
        if (!sensitive) this.deps.store.addToCuration(result.q, topics.length ? 'did-you-mean' : 'no-answer', topics[0]?.topic ?? null);
        await reply.send(topics.length ? didYouMeanCard(topics) : noAnswerCard(this.hasChampions()));
        return;
      }
    }
  }

  /** The reviewed answer of one topic (a "did you mean" button). */
  async showTopic(ctx: TurnContext, topic: string, memory: QaMemory): Promise<boolean> {
    if (!this.deps.catalog.lessonForTopic(topic)) return false;
    memory.lastTopic = topic;
    await ReplyContext.of(ctx).send(answerCard(this.viewOf(topic)));
    return true;
  }

  private viewOf(topic: string, result?: AskResult): AnswerView {
    const lesson = this.deps.catalog.lessonForTopic(topic)!;
    return {
      topic,
      topicTitle: lesson.title,
      answer: result?.answer ?? lesson.answer,
      reviewed: lesson.lastReviewed,
      sources: result?.sources.length ? result.sources : lesson.sources,
      lessonId: lesson.id,
    };
  }

  /** "Was this helpful?": recorded in xAPI; a "no" sends the question to the curation queue. */
  async rate(ctx: TurnContext, learner: LearnerRef, topic: string, helpful: boolean, memory: QaMemory): Promise<void> {
    // Only a topic the academy has: a crafted button cannot write anything else into xAPI or the curation queue.
    if (!this.deps.catalog.lessonForTopic(topic)) {
      await ctx.sendActivity('Sorry, that button is out of date. Type your question again.');
      return;
    }
    await this.deps.recorder.record(this.deps.statements.answerRated(learner, topic, helpful));
    if (helpful) {
      await ctx.sendActivity('Thanks for letting me know.');
      return;
    }
    if (memory.lastQuestion) this.deps.store.addToCuration(memory.lastQuestion, 'low-rating', topic);
    await ReplyContext.of(ctx).send(notHelpfulCard(this.otherTopics(memory.lastQuestion, topic), this.hasChampions()));
  }

  /** Whether "Ask a champion" can be offered: only when a champions' conversation exists. */
  hasChampions(): boolean {
    return this.deps.champions.reference() !== undefined;
  }

  /** Up to three other topics for a question, for "did you mean" after an unhelpful answer. */
  private otherTopics(question: string | undefined, shown: string): { topic: string; title: string }[] {
    if (!question) return [];
    const result = this.deps.qa.ask(question);
    const codes = [result.topic, ...result.alternatives].filter((c): c is string => typeof c === 'string' && c !== shown);
    return [...new Set(codes)].slice(0, 3).flatMap((code) => {
      const l = this.deps.catalog.lessonForTopic(code);
      return l ? [{ topic: code, title: l.title }] : [];
    });
  }

  async offerChampion(ctx: TurnContext, memory: QaMemory): Promise<void> {
    if (!memory.lastQuestion) {
      await ctx.sendActivity(this.hasChampions() ? 'Type your question first, then I can send it to a digital champion.' : 'Type your question first.');
      return;
    }
    if (!this.hasChampions()) {
      // No champions' conversation: the question is already in the curation queue; say so, promise nothing more.
      await ctx.sendActivity(`${SAVED_FOR_TEAM} Type "menu" to carry on learning.`);
      return;
    }
    await ReplyContext.of(ctx).send(askChampionConsentCard(memory.lastQuestion));
  }

  /** With the learner's consent: the question goes to the champions; the learner is told. */
  async sendToChampions(ctx: TurnContext, learner: LearnerRef, memory: QaMemory): Promise<void> {
    if (!memory.lastQuestion || !this.hasChampions()) return this.offerChampion(ctx, memory);
    const request = this.deps.store.createHelpRequest(learner.id, memory.lastQuestion, TurnContext.getConversationReference(ctx.activity));
    await this.deps.recorder.record(this.deps.statements.helpAsked(learner, request.id));
    const champions = this.deps.champions.reference();
    memory.lastQuestion = undefined;
    try {
      if (champions) await this.deps.proactive.send(champions, championRequestCard(request.id, request.question));
    } catch (e) {
      // Kept as an open help request (admins see it on the Champions page); say so, not "sent".
      this.deps.log?.('Could not post a help request to the champions', e);
      await ctx.sendActivity("Thanks. I've saved your question for the digital champions, but I couldn't reach them just now. They will see it, and when one answers, I'll pass it on here.");
      return;
    }
    await ctx.sendActivity("Thanks. I've sent your question to the digital champions. When one answers, I'll pass it on here.");
  }

  /**
   * A champion answered in the champions' conversation: the answer goes back to the learner's own
   * chat. Anything not from a member of the champions' Teams conversation is ignored: no reply, nothing delivered.
   */
  async championReplied(ctx: TurnContext, champion: LearnerRef, requestId: string, reply: string): Promise<void> {
    const member = await this.championMember(ctx);
    if (!member) return;
    try {
      const request = this.deps.store.answerHelpRequest(requestId, reply, champion.id);
      const took = this.deps.clock.now().getTime() - Date.parse(request.askedAt);
      await this.deps.recorder.record(this.deps.statements.helpAnswered(champion, request.id, isoDuration(took)));
      const name = this.sharedFirstName(ctx, member.givenName);
      await this.deps.proactive.send(request.learner, {
        type: 'message',
        text: `${name ? `${name}, a digital champion, answered` : 'A digital champion answered'} your question "${request.question}":\n\n${request.reply}`,
      });
      await ctx.sendActivity('Thanks. Your answer has been sent to the learner.');
    } catch (e) {
      if (!isAcademyError(e)) throw e;
      await ctx.sendActivity(e.status === 409 ? 'Another champion has already answered this question.' : `That answer could not be sent: ${e.message}.`);
    }
  }

  /** The sender, when this turn comes from a member of the champions' Teams conversation. */
  private async championMember(ctx: TurnContext): Promise<{ readonly givenName?: string } | undefined> {
    if (!this.deps.champions.isChampionsActivity(ctx.activity)) return undefined;
    return this.deps.roster.member(ctx);
  }

  /** The champion's first name, only if they chose to share it. */
  private sharedFirstName(ctx: TurnContext, givenName: string | undefined): string | undefined {
    const aad = ctx.activity.from?.aadObjectId;
    if (!aad || !givenName || !FIRST_NAME.test(givenName)) return undefined;
    return this.deps.store.championSharesName(aad) ? givenName : undefined;
  }

  /** "share my first name" / "hide my name": a champion's own setting, kept by their Entra object id. */
  async championNameSetting(ctx: TurnContext, share: boolean): Promise<void> {
    const member = await this.championMember(ctx);
    const aad = ctx.activity.from?.aadObjectId;
    if (!member || !aad) {
      await ctx.sendActivity("That setting is for digital champions: type it in the champions' chat in Teams.");
      return;
    }
    this.deps.store.setChampionSharesName(aad, share);
    await ctx.sendActivity(
      share
        ? 'Done. Learners will see your first name with your answers. Type "hide my name" to stop.'
        : 'Done. Learners will see "A digital champion answered", not your name. Type "share my first name" to change it.',
    );
  }

  /**
   * "champions here": only the champions' conversation named in config or picked by an admin
   * answers to it (and is remembered as where questions go). Elsewhere it changes nothing.
   */
  async championsHere(ctx: TurnContext): Promise<void> {
    if (this.deps.champions.isChampionsActivity(ctx.activity)) {
      this.deps.champions.remember(ctx);
      await ctx.sendActivity("This chat gets learners' questions for the digital champions.");
      return;
    }
    this.deps.champions.noteCandidate(ctx);
    await ctx.sendActivity("Only an academy admin can choose the champions' chat, in the admin site. Nothing has changed.");
  }

  /** The bot was added to a team or group chat: remembered if it is the champions' one, else listed for an admin. */
  async botAddedToGroup(ctx: TurnContext): Promise<void> {
    if (!this.deps.champions.isChampionsActivity(ctx.activity)) {
      this.deps.champions.noteCandidate(ctx);
      return;
    }
    this.deps.champions.remember(ctx);
    await ctx.sendActivity("This chat gets learners' questions for the digital champions.");
  }
}
