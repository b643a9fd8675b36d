/**
 * The academy's xAPI profile: verbs, activity types and the id scheme. docs/xapi.md describes
 * the same, with an example statement per event.
 */

export const VERBS = {
  attempted: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-GB': 'attempted' } },
  experienced: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-GB': 'experienced' } },
  answered: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-GB': 'answered' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-GB': 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-GB': 'failed' } },
  voided: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-GB': 'voided' } },
  rated: { id: 'http://id.tincanapi.com/verb/rated', display: { 'en-GB': 'rated' } },
  asked: { id: 'http://adlnet.gov/expapi/verbs/asked', display: { 'en-GB': 'asked' } },
  responded: { id: 'http://adlnet.gov/expapi/verbs/responded', display: { 'en-GB': 'responded' } },
} as const;

export type VerbName = keyof typeof VERBS;

export const ACTIVITY_TYPES = {
  academy: 'http://adlnet.gov/expapi/activities/course',
  course: 'http://adlnet.gov/expapi/activities/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  card: 'http://id.tincanapi.com/activitytype/slide',
  question: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  profile: 'http://adlnet.gov/expapi/activities/profile',
  selfCheck: 'http://adlnet.gov/expapi/activities/assessment',
  answer: 'http://id.tincanapi.com/activitytype/resource',
  helpRequest: 'http://adlnet.gov/expapi/activities/interaction',
} as const;

/** Where a learner met the academy. */
export type Channel = 'msteams' | 'webchat' | 'lms' | 'other';

/**
 * Builds the stable IRIs of the academy from one base (XAPI_ID_BASE). Ids depend only on
 * content ids (lesson id, card and question position), never on where the academy runs.
 */
export class XapiIds {
  constructor(readonly base: string) {}

  get academy(): string {
    return `${this.base}/activities/academy`;
  }
  get profile(): string {
    return `${this.base}/profile`;
  }
  /** The home page of learners' pseudonymous accounts. */
  get accountHomePage(): string {
    return this.base;
  }
  course(area: string): string {
    return `${this.base}/activities/course/${encodeURIComponent(area)}`;
  }
  lesson(lessonId: string): string {
    return `${this.base}/activities/lesson/${encodeURIComponent(lessonId)}`;
  }
  card(lessonId: string, index: number): string {
    return `${this.lesson(lessonId)}/card/${index + 1}`;
  }
  question(lessonId: string, index: number): string {
    return `${this.lesson(lessonId)}/question/${index + 1}`;
  }
  get selfCheck(): string {
    return `${this.base}/activities/self-check`;
  }
  answer(topic: string): string {
    return `${this.base}/activities/answer/${encodeURIComponent(topic)}`;
  }
  helpRequest(id: string): string {
    return `${this.base}/activities/help-request/${encodeURIComponent(id)}`;
  }
  selfCheckItem(id: string): string {
    return `${this.selfCheck}/${encodeURIComponent(id)}`;
  }
  extension(name: 'topic' | 'channel' | 'audience' | 'framework' | 'plan' | 'strengths'): string {
    return `${this.base}/extensions/${name}`;
  }
}

/** Choice ids in question activities and responses: option-1, option-2, ... */
export function choiceId(index: number): string {
  return `option-${index + 1}`;
}
