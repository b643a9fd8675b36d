import { expect } from 'chai';
import { join } from 'node:path';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { loadSelfCheck } from '../../src/lessons/selfCheck.js';
import { projectRoot } from '../../src/paths.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { VERBS } from '../../src/xapi/profile.js';
import { SelfCheckDialog } from '../../dialogs/selfCheckDialog.js';
import { buttons, shippedCatalog, visibleText } from '../support/bot.js';
import { clientFor, dialogParts, send, type DialogParts } from '../support/dialogClient.js';

describe('self-check dialog (DialogTestClient)', () => {
  const skills = loadSelfCheck(join(projectRoot(), 'content'));
  const dialog = (parts: DialogParts) =>
    new SelfCheckDialog({ statements: skills, catalog: shippedCatalog(), learners: parts.learners, recorder: parts.recorder, xapi: parts.statements, clock: systemClock, ids: randomIds });

  it('asks each statement in turn, records each rating, and ends with strengths and a first lesson', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts);
    let replies = await send(client, 'start');
    expect(visibleText(replies)).to.contain(`${skills.length} short statements`).and.contain(skills[0].statement);
    for (let i = 0; i < skills.length; i++) {
      expect(visibleText(replies)).to.contain(`${i + 1} of ${skills.length}`);
      // yes to the first, skip the second, no to the rest
      const answer = i === 0 ? { academy: 'rate', rating: 'yes', at: `self-check:${i}` } : i === 1 ? { academy: 'skip', at: `self-check:${i}` } : { academy: 'rate', rating: 'no', at: `self-check:${i}` };
      replies = await send(client, answer);
    }
    const result = visibleText(replies);
    expect(result).to.contain('Your skills check').and.contain('Your strengths:').and.contain(skills[0].statement);
    expect(buttons(replies).some((b) => b.title.startsWith('Start: '))).to.equal(true);
    expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    const profile = parts.last.profile!;
    expect(profile.selfCheckDone).to.equal(true);
    expect(profile.strengths).to.deep.equal([skills[0].id]);
    const verbs = parts.lrs.statements.map((s) => s.verb.id);
    // one answered per rating (the skip is not one), then completed
    expect(verbs.filter((v) => v === VERBS.answered.id)).to.have.length(skills.length - 1);
    expect(verbs.at(-1)).to.equal(VERBS.completed.id);
  });

  it('understands typed answers', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts);
    await send(client, 'start');
    expect(visibleText(await send(client, 'yes'))).to.contain(skills[1].statement);
    expect(visibleText(await send(client, 'not sure'))).to.contain(skills[2].statement);
    expect(visibleText(await send(client, 'skip'))).to.contain(skills[3].statement);
  });

  it('says so when a button of an earlier question is pressed, and asks the current one again', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts);
    await send(client, 'start');
    await send(client, { academy: 'rate', rating: 'yes', at: 'self-check:0' });
    const replies = await send(client, { academy: 'rate', rating: 'no', at: 'self-check:0' });
    expect(visibleText(replies)).to.contain('That button is on an earlier question').and.contain(skills[1].statement);
    expect(parts.lrs.statements.filter((s) => s.verb.id === VERBS.answered.id)).to.have.length(1);
  });

  it('asks again on anything else, and finishes early on "stop"', async () => {
    const parts = dialogParts();
    const client = clientFor('msteams', dialog(parts), parts);
    await send(client, 'start');
    const other = visibleText(await send(client, 'what is this'));
    expect(other).to.contain('Please answer yes, not sure or no').and.contain(skills[0].statement);
    const stopped = visibleText(await send(client, 'stop'));
    expect(stopped).to.contain('Your skills check');
    expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
  });

  it('sends plain text with suggested actions on a channel without cards', async () => {
    const parts = dialogParts();
    const client = clientFor('sms', dialog(parts), parts);
    const replies = await send(client, 'start');
    const item = replies.at(-1)!;
    expect(item.attachments ?? []).to.have.length(0);
    expect(item.text).to.contain(skills[0].statement);
    expect(item.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['Yes', 'Not sure', 'No', 'Skip']);
  });
});
