import { expect } from 'chai';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { cardsFor } from '../../src/lessons/types.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { VERBS } from '../../src/xapi/profile.js';
import { LessonDialog } from '../../dialogs/lessonDialog.js';
import { buttons, shippedCatalog, visibleText } from '../support/bot.js';
import { clientFor, dialogParts, send, type DialogParts } from '../support/dialogClient.js';

const LESSON = 'nhs-app-register';

describe('lesson dialog (DialogTestClient)', () => {
  const lesson = () => shippedCatalog().lesson(LESSON)!;
  const dialog = (parts: DialogParts) =>
    new LessonDialog({ catalog: shippedCatalog(), learners: parts.learners, recorder: parts.recorder, statements: parts.statements, clock: systemClock, ids: randomIds });
  // no role yet: the learner sees the cards for everyone
  const cards = () => cardsFor(lesson(), 'both');

  it('shows the cards one by one, then the check, and ends with the result', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts, { lessonId: LESSON });
    let replies = await send(client, 'go');
    for (let i = 0; i < cards().length; i++) {
      expect(visibleText(replies)).to.contain(cards()[i].title).and.contain(`card ${i + 1} of ${cards().length}`);
      expect(replies[0].attachments?.[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.waiting);
      replies = await send(client, { academy: 'next', at: `${LESSON}:${i}` });
    }
    for (const q of lesson().checks) {
      expect(visibleText(replies)).to.contain(q.question);
      const right = q.options.findIndex((o) => o.correct);
      replies = await send(client, { academy: 'answer', option: right });
      expect(visibleText(replies)).to.contain('Correct.');
      replies = await send(client, { academy: 'next' });
    }
    expect(visibleText(replies)).to.contain('Lesson complete');
    expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    expect(client.dialogTurnResult.result).to.deep.equal({ lessonId: LESSON, passed: true });
    const verbs = parts.lrs.statements.map((s) => s.verb.id);
    expect(verbs[0]).to.equal(VERBS.attempted.id);
    expect(verbs.filter((v) => v === VERBS.experienced.id)).to.have.length(cards().length);
    expect(verbs.filter((v) => v === VERBS.answered.id)).to.have.length(lesson().checks.length);
  });

  it('takes a typed answer (its number) to the check question on screen, and asks for an answer before Next', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts, { lessonId: LESSON, atCheck: true });
    const first = await send(client, 'go');
    const q = lesson().checks[0];
    expect(visibleText(first)).to.contain(q.question);
    expect(visibleText(await send(client, { academy: 'next' }))).to.contain('Please pick an answer first.');
    const right = q.options.findIndex((o) => o.correct);
    const feedback = visibleText(await send(client, String(right + 1)));
    expect(feedback).to.contain('Correct.').and.contain(q.options[right].feedback);
  });

  it('says so when a button of an earlier card is pressed, and shows where the learner is', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts, { lessonId: LESSON });
    await send(client, 'go');
    await send(client, { academy: 'next', at: `${LESSON}:0` });
    const replies = await send(client, { academy: 'next', at: `${LESSON}:0` });
    expect(visibleText(replies)).to.contain('That button is on an earlier card').and.contain(cards()[1].title);
  });

  it('stops on "stop", keeps the place, and welcomes the learner back there', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts, { lessonId: LESSON });
    await send(client, 'go');
    await send(client, 'next');
    expect(visibleText(await send(client, 'stop'))).to.contain(`Your place in "${lesson().title}" is saved`);
    expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    expect(parts.last.profile?.lessons[LESSON]).to.include({ status: 'in-progress', step: 1 });
    // the same learner in a new conversation: the lesson carries on from the second card
    const again = clientFor('msteams', dialog(parts), parts, { lessonId: LESSON });
    const replies = await send(again, 'hello again');
    expect(visibleText(replies)).to.contain(`Welcome back to "${lesson().title}"`).and.contain(cards()[1].title);
  });

  it('answers anything else with how to move on, and the card again', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts, { lessonId: LESSON });
    await send(client, 'go');
    const replies = await send(client, 'banana');
    expect(visibleText(replies)).to.contain('Use Next to carry on').and.contain(cards()[0].title);
  });

  it('sends plain text with suggested actions on a channel without cards', async () => {
    const parts = dialogParts();
    const client = clientFor('sms', dialog(parts), parts, { lessonId: LESSON });
    const [card] = await send(client, 'go');
    expect(card.attachments ?? []).to.have.length(0);
    expect(card.text).to.contain(cards()[0].title);
    expect(card.suggestedActions?.actions.map((a) => a.title)).to.include('Next');
    expect(buttons([card])).to.have.length(0);
  });

  it('ends at once when the lesson does not exist', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts, { lessonId: 'no-such-lesson' });
    expect(visibleText(await send(client, 'go'))).to.contain("can't find that lesson");
    expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
  });
});
