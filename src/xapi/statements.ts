import type { Activity, Agent, Context, InteractionActivity, Result, Statement, StatementObject } from '@xapi/xapi';
import { areaByCode } from '../lessons/syllabus.js';
import type { Rating, SkillStatement } from '../lessons/selfCheck.js';
import type { Audience, Lesson } from '../lessons/types.js';
import { ACTIVITY_TYPES, VERBS, XapiIds, choiceId, type Channel, type VerbName } from './profile.js';

/** Who the statement is about: pseudonymous, never a name or an email. */
export interface LearnerRef {
  /** The account name: Teams AAD object id, the web page's random id, or an LMS-given id. */
  readonly id: string;
  readonly channel: Channel;
  readonly audience: Audience;
}

/** One attempt at one lesson. */
export interface AttemptRef {
  readonly lesson: Lesson;
  /** xAPI registration: one per attempt. */
  readonly registration: string;
}

const en = (text: string) => ({ 'en-GB': text });

/**
 * Pure builders: statement content from the learner, the attempt and the event. Ids and
 * timestamps are given by the caller (the recorder), so the same input gives the same statement.
 */
export class StatementFactory {
  constructor(readonly ids: XapiIds) {}

  actor(learner: LearnerRef): Agent {
    return { objectType: 'Agent', account: { homePage: this.ids.accountHomePage, name: learner.id } };
  }

  lessonActivity(lesson: Lesson): Activity {
    return {
      objectType: 'Activity',
      id: this.ids.lesson(lesson.id),
      definition: { type: ACTIVITY_TYPES.lesson, name: en(lesson.title), description: en(lesson.summary) },
    };
  }

  courseActivity(area: string): Activity {
    return {
      objectType: 'Activity',
      id: this.ids.course(area),
      definition: { type: ACTIVITY_TYPES.course, name: en(areaByCode(area)?.title ?? area) },
    };
  }

  private academyActivity(): Activity {
    return { objectType: 'Activity', id: this.ids.academy, definition: { type: ACTIVITY_TYPES.academy, name: en('Digital Skills Academy') } };
  }

  private categoryActivity(): Activity {
    return { objectType: 'Activity', id: this.ids.profile, definition: { type: ACTIVITY_TYPES.profile } };
  }

  /** Context of statements that are not about one lesson (self-check, course completion). */
  private academyContext(learner: LearnerRef, parent: Activity | undefined, registration: string | undefined, extra: Record<string, unknown> = {}): Context {
    return {
      ...(registration ? { registration } : {}),
      contextActivities: { ...(parent ? { parent: [parent] } : {}), grouping: [this.academyActivity()], category: [this.categoryActivity()] },
      platform: 'Digital Skills Academy',
      language: 'en-GB',
      extensions: { [this.ids.extension('channel')]: learner.channel, [this.ids.extension('audience')]: learner.audience, ...extra },
    };
  }

  private selfCheckActivity(): Activity {
    return { objectType: 'Activity', id: this.ids.selfCheck, definition: { type: ACTIVITY_TYPES.selfCheck, name: en('Skills self-check') } };
  }

  selfCheckAnswered(learner: LearnerRef, registration: string, item: SkillStatement, rating: Rating): Statement {
    const object: InteractionActivity = {
      objectType: 'Activity',
      id: this.ids.selfCheckItem(item.id),
      definition: {
        type: ACTIVITY_TYPES.question,
        name: en(item.statement),
        interactionType: 'likert',
        scale: [
          { id: 'yes', description: en('Yes') },
          { id: 'not-sure', description: en('Not sure') },
          { id: 'no', description: en('No') },
        ],
      },
    };
    return this.statement('answered', learner, object, this.academyContext(learner, this.selfCheckActivity(), registration, {
      [this.ids.extension('framework')]: { hee: item.hee, eds: item.eds },
    }), { response: rating });
  }

  selfCheckCompleted(learner: LearnerRef, registration: string, strengths: readonly string[], plan: readonly string[], durationIso: string): Statement {
    return this.statement('completed', learner, this.selfCheckActivity(), this.academyContext(learner, undefined, registration), {
      completion: true,
      duration: durationIso,
      extensions: { [this.ids.extension('strengths')]: [...strengths], [this.ids.extension('plan')]: [...plan] },
    });
  }

  /** "Was this helpful?" on a champion answer. */
  answerRated(learner: LearnerRef, topic: string, helpful: boolean): Statement {
    const object: Activity = {
      objectType: 'Activity',
      id: this.ids.answer(topic),
      definition: { type: ACTIVITY_TYPES.answer, name: en(`Answer: ${topic}`) },
    };
    return this.statement('rated', learner, object, this.academyContext(learner, undefined, undefined, { [this.ids.extension('topic')]: topic }), {
      response: helpful ? 'helpful' : 'not-helpful',
      score: { scaled: helpful ? 1 : 0, raw: helpful ? 1 : 0, min: 0, max: 1 },
    });
  }

  private helpActivity(requestId: string): Activity {
    return { objectType: 'Activity', id: this.ids.helpRequest(requestId), definition: { type: ACTIVITY_TYPES.helpRequest, name: en('Question to a digital champion') } };
  }

  /** A learner asked the champions (the question's words stay out of the record). */
  helpAsked(learner: LearnerRef, requestId: string): Statement {
    return this.statement('asked', learner, this.helpActivity(requestId), this.academyContext(learner, undefined, undefined));
  }

  /** A champion answered a learner's question; duration is the time it took. */
  helpAnswered(champion: LearnerRef, requestId: string, durationIso: string): Statement {
    return this.statement('responded', champion, this.helpActivity(requestId), this.academyContext(champion, undefined, undefined), {
      completion: true,
      duration: durationIso,
    });
  }

  courseCompleted(learner: LearnerRef, area: string, lessons: number): Statement {
    return this.statement('completed', learner, this.courseActivity(area), this.academyContext(learner, undefined, undefined), {
      completion: true,
      score: { scaled: 1, raw: lessons, min: 0, max: lessons },
    });
  }

  private context(learner: LearnerRef, attempt: AttemptRef, parent: Activity): Context {
    const { lesson } = attempt;
    return {
      registration: attempt.registration,
      contextActivities: {
        parent: [parent],
        // The course is the parent of lesson statements and a grouping of card and question ones.
        grouping: [
          ...(parent.id === this.ids.course(lesson.area) ? [] : [this.courseActivity(lesson.area)]),
          this.academyActivity(),
        ],
        category: [this.categoryActivity()],
      },
      platform: 'Digital Skills Academy',
      language: 'en-GB',
      extensions: {
        [this.ids.extension('topic')]: lesson.topic,
        [this.ids.extension('channel')]: learner.channel,
        [this.ids.extension('audience')]: learner.audience,
        [this.ids.extension('framework')]: { hee: lesson.frameworks.hee, eds: lesson.frameworks.eds },
      },
    };
  }

  private statement(verb: VerbName, learner: LearnerRef, object: StatementObject, context: Context, result?: Result): Statement {
    return { actor: this.actor(learner), verb: VERBS[verb], object, ...(result ? { result } : {}), context };
  }

  lessonStarted(learner: LearnerRef, attempt: AttemptRef): Statement {
    const course = this.courseActivity(attempt.lesson.area);
    return this.statement('attempted', learner, this.lessonActivity(attempt.lesson), this.context(learner, attempt, course));
  }

  cardViewed(learner: LearnerRef, attempt: AttemptRef, cardIndex: number): Statement {
    const { lesson } = attempt;
    const card = lesson.cards[cardIndex];
    const object: Activity = {
      objectType: 'Activity',
      id: this.ids.card(lesson.id, cardIndex),
      definition: { type: ACTIVITY_TYPES.card, name: en(card.title) },
    };
    return this.statement('experienced', learner, object, this.context(learner, attempt, this.lessonActivity(lesson)));
  }

  questionAnswered(learner: LearnerRef, attempt: AttemptRef, questionIndex: number, optionIndex: number): Statement {
    const { lesson } = attempt;
    const q = lesson.checks[questionIndex];
    const correct = q.options.findIndex((o) => o.correct);
    const object: InteractionActivity = {
      objectType: 'Activity',
      id: this.ids.question(lesson.id, questionIndex),
      definition: {
        type: ACTIVITY_TYPES.question,
        name: en(q.question),
        interactionType: 'choice',
        correctResponsesPattern: [choiceId(correct)],
        choices: q.options.map((o, i) => ({ id: choiceId(i), description: en(o.text) })),
      },
    };
    const result: Result = { success: optionIndex === correct, response: choiceId(optionIndex) };
    return this.statement('answered', learner, object, this.context(learner, attempt, this.lessonActivity(lesson)), result);
  }

  lessonCompleted(learner: LearnerRef, attempt: AttemptRef, durationIso: string): Statement {
    const course = this.courseActivity(attempt.lesson.area);
    return this.statement('completed', learner, this.lessonActivity(attempt.lesson), this.context(learner, attempt, course), {
      completion: true,
      duration: durationIso,
    });
  }

  /** passed or failed against the lesson's mastery score. */
  lessonScored(learner: LearnerRef, attempt: AttemptRef, correct: number, durationIso: string): Statement {
    const { lesson } = attempt;
    const max = lesson.checks.length;
    const scaled = max === 0 ? 1 : correct / max;
    const success = scaled >= lesson.masteryScore;
    const course = this.courseActivity(lesson.area);
    return this.statement(success ? 'passed' : 'failed', learner, this.lessonActivity(lesson), this.context(learner, attempt, course), {
      success,
      completion: true,
      duration: durationIso,
      score: { scaled: Math.round(scaled * 100) / 100, raw: correct, min: 0, max },
    });
  }
}

/** ISO 8601 duration of milliseconds, to the hundredth of a second as xAPI keeps it. */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 10) / 100);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round((total % 60) * 100) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s}S`;
}

/**
 * A statement voiding `targetId`, made by `authority` (xAPI §2.3.2): the one way the academy
 * voids, for a learner's erasure. Stamped by the recorder like every other statement.
 */
export function voidingStatement(authority: Agent, targetId: string): Statement {
  return { actor: authority, verb: VERBS.voided, object: { objectType: 'StatementRef', id: targetId } };
}
