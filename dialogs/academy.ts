import type { ConversationState, Storage, TurnContext, UserState } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { Glossary } from '../src/lessons/glossary.js';
import type { SkillStatement } from '../src/lessons/selfCheck.js';
import type { LearnerRecords } from '../src/privacy/learnerRecords.js';
import type { ChampionRoster, ChampionsDirectory } from '../src/qa/champions.js';
import type { AskResult } from '../src/qa/engine.js';
import type { QaStore } from '../src/qa/store.js';
import type { ReplyContext } from './cards/reply.js';
import type { Input } from './input.js';
import type { LearnerProfile, LearnerStore } from './learner.js';
import type { LessonDialog, LessonDialogDeps } from './lessonDialog.js';
import type { GenerativePort, ProactivePort, QaHandler, QaMemory, QaPort } from './qaHandler.js';

/** What the bot is built from (src/main.ts wires the real ones; tests pass in-memory ones). */
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

/** A web learner's resume code: made, revoked, and where it is typed in. */
export interface ResumePort {
  create(learnerId: string): string;
  revoke(learnerId: string): boolean;
  /** The page where a code is redeemed, e.g. https://academy.example/resume. */
  readonly url: string;
}

export interface ConversationFlags extends QaMemory {
  greeted?: boolean;
  /** "delete my data" was asked and awaits its confirmation. */
  confirmErase?: boolean;
}

/** The parts of the bot that the turn's handlers use. */
export interface Academy {
  readonly deps: AcademyBotDeps;
  readonly learners: LearnerStore;
  readonly answers: QaHandler;
  readonly lessons: LessonDialog;
}

/** Everything the handling of one message needs, gathered once at the start of the turn. */
export interface Turn {
  readonly ctx: TurnContext;
  /** What the learner asked for; "This is not an emergency" becomes the held question's text. */
  input: Input;
  readonly profile: LearnerProfile;
  readonly dc: DialogContext;
  readonly reply: ReplyContext;
  readonly flags: ConversationFlags;
  /** "delete my data" was asked in the message before: this one may confirm it. */
  readonly confirming: boolean;
  /** The question held under a possible-emergency card (it lives until this message only). */
  readonly pending: string | undefined;
  /** The learner said the held question is not an emergency: it is answered without the safety net. */
  notEmergency: boolean;
  /** The safety triage and retrieval of free text; none for the typed label of an answer on the check showing now. */
  assessed?: AskResult;
  readonly bot: Academy;
}

/** Set on a turn whose learner was erased: nothing of theirs is saved at its end. */
export const ERASED = Symbol('academy.erased');
