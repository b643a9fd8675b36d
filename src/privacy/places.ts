/**
 * Every place the academy keeps a learner's words or their random id, and who can see each:
 * one list, shown by "what do you keep about me" in chat and on the /privacy page.
 */
export interface KeptPlace {
  /** What is kept, in plain words. */
  readonly what: string;
  /** Who can see it. */
  readonly who: string;
}

export const KEPT_PLACES: readonly KeptPlace[] = [
  {
    what: 'Bot state: your role, your place in each lesson, your scores and your skills check answers, under your random id.',
    who: 'Only the academy itself, to carry on where you stopped. Admins do not see it.',
  },
  {
    what: 'Your learning record (xAPI statements in the learning record store): each lesson step, your check answers and ratings, under your random id.',
    who: 'Academy admins, mostly as totals; an admin can look up one record by its id, and that look-up is logged.',
  },
  {
    what: 'Questions you type that the academy could not answer, or whose answer you said was not helpful (the curation queue). Your words are kept, not your id.',
    who: 'The team that writes the answers, on the admin Questions page.',
  },
  {
    what: 'Questions you chose to send to a digital champion (help requests): your words, your random id and the answer.',
    who: "The digital champions see your question, never your name or id. Admins see the requests on the Champions page.",
  },
  {
    what: 'The outbox: learning records waiting to be sent to the learning record store, under your random id, for a short time.',
    who: 'Nobody reads it; it only sends them on. The people who run the server could open it.',
  },
  {
    what: "The audit log: each admin page opened and each download, including which learner's id an admin looked up.",
    who: 'Academy admins who review the log. It cannot be changed.',
  },
];
