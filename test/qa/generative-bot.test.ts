import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { loadConfig } from '../../src/config.js';
import { loadQaData } from '../../src/qa/data.js';
import { createGenerativeAnswerer } from '../../src/qa/generative.js';
import { groundedRewriter } from '../../src/qa/rewrite.js';
import { Triage } from '../../src/qa/triage.js';
import { systemClock } from '../../src/ports.js';
import { Chat, MemoryLrs, makeBot, shippedCatalog, visibleText } from '../support/bot.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';

const KEY = 'sk-test-bot';

describe('generative answers in the bot (local OpenAI-compatible server)', () => {
  let server: FakeOpenAi;
  let chat: Chat;

  before(async () => {
    server = await startFakeOpenAi({ apiKey: KEY });
    const config = loadConfig({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_MODEL: 'test-model' }).generative;
    const answerer = createGenerativeAnswerer(config, { screen: Triage.fromData(loadQaData()), timeoutMs: 300 })!;
    chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs(), systemClock, { generative: groundedRewriter(answerer, shippedCatalog()) }), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('shows the model\'s grounded answer, marked as written by AI from the reviewed content, with its sources', async () => {
    server.reply = () => ({ text: '1. Open the NHS App and tap Prescriptions [1].\n2. Tap Order a repeat prescription [1].' });
    const text = visibleText(await chat.say('how do i order a repeat prescription on the nhs app'));
    expect(server.requests).to.have.length(1);
    expect(text).to.contain('Tap Order a repeat prescription').and.contain('Written by AI from our reviewed content').and.contain('https://');
  });

  it('falls back to the reviewed answer when the model is too slow', async () => {
    server.reply = () => 'hang';
    const lesson = shippedCatalog().lessonForTopic('nhs-app.prescriptions')!;
    const text = visibleText(await chat.say('how do i order a repeat prescription on the nhs app'));
    expect(text).to.contain(lesson.answer.split('\n')[0]).and.not.contain('Written by AI');
  });

  it('never sends an emergency or a clinical question to the model, and triages each as such', async () => {
    const emergency = await chat.say('i think im having a heart attack, my chest is crushing');
    // The emergency reply: one plain message (no card, no lesson) sending the learner to 999 at once.
    expect(emergency).to.have.length(1);
    expect(emergency[0].attachments ?? []).to.deep.equal([]);
    expect(visibleText(emergency)).to.match(/call 999/i).and.not.contain('Written by AI').and.not.contain("can't give medical advice");
    const clinical = visibleText(await chat.say('what dose of amoxicillin should a child take'));
    expect(clinical).to.contain("I can't give medical advice").and.contain('If someone is seriously ill or injured now, call 999.');
    expect(server.requests).to.have.length(0);
  });
});
