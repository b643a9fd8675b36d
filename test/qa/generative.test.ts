import { expect } from 'chai';
import sinon from 'sinon';
import { loadConfig } from '../../src/config.js';
import { loadQaData } from '../../src/qa/data.js';
import { redact } from '../../src/qa/generative-grounding.js';
import { createChatClient, createGenerativeAnswerer, GenerativeAnswerer, NO_ANSWER, type GroundingPassage } from '../../src/qa/generative.js';
import { Triage } from '../../src/qa/triage.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';

const KEY = 'test-key-not-secret';
const IN_SCOPE = { kind: 'in-scope' } as const;
const QUESTION = 'How do I log in to the NHS App?';

const PASSAGES: GroundingPassage[] = [
  {
    topic: 'nhs-app.login',
    title: 'Log in to the NHS App',
    text: 'Open the NHS App. Tap "Continue". Enter the email address and password of your NHS login. Type the security code sent to your phone.',
    sources: [{ title: 'NHS App help: logging in', url: 'https://www.nhs.uk/nhs-app/nhs-app-help-and-support/', reviewed: '2026-01-10' }],
  },
  {
    topic: 'nhs-app.setup',
    title: 'Set up the NHS App',
    text: 'You need an NHS login to use the NHS App. You prove who you are once, with photo ID.',
    sources: [
      { title: 'NHS login help', url: 'https://help.login.nhs.uk/', reviewed: '2026-02-01' },
      { title: 'NHS App help: logging in', url: 'https://www.nhs.uk/nhs-app/nhs-app-help-and-support/', reviewed: '2026-01-10' },
    ],
  },
];

const GROUNDED = '1. Open the NHS App and tap "Continue" [1].\n2. Enter your NHS login email and password [1].\n3. Type the code sent to your phone [1]. You need an NHS login first [2].';

describe('generative answers (local OpenAI-compatible server)', () => {
  let server: FakeOpenAi;
  let screen: Triage;
  let log: sinon.SinonSpy;

  before(async () => {
    screen = Triage.fromData(loadQaData());
    server = await startFakeOpenAi({ apiKey: KEY, deployment: 'chat-dep' });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.reply = () => ({ text: GROUNDED });
    log = sinon.spy();
  });

  function openAiAnswerer(timeoutMs?: number): GenerativeAnswerer {
    const config = loadConfig({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_MODEL: 'test-model' }).generative;
    const answerer = createGenerativeAnswerer(config, { screen, log, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    if (answerer === undefined) throw new Error('expected an answerer');
    return answerer;
  }

  it('writes a grounded answer from the passages and maps its citations to their sources', async () => {
    const answer = await openAiAnswerer().answer(QUESTION, IN_SCOPE, PASSAGES);

    expect(answer?.text).to.equal(GROUNDED);
    expect(answer?.model).to.equal('test-model');
    expect(answer?.topic).to.equal('nhs-app.login');
    expect(answer?.citations.map((c) => [c.n, c.topic])).to.deep.equal([
      [1, 'nhs-app.login'],
      [2, 'nhs-app.setup'],
    ]);
    // the union of the cited passages' sources, each once
    expect(answer?.sources.map((s) => s.url)).to.deep.equal(['https://www.nhs.uk/nhs-app/nhs-app-help-and-support/', 'https://help.login.nhs.uk/']);

    expect(server.requests).to.have.length(1);
    const req = server.requests[0]!;
    expect(req.path).to.equal('/v1/chat/completions');
    expect(req.headers.authorization).to.equal(`Bearer ${KEY}`);
    expect(req.body.model).to.equal('test-model');
    expect(req.body.stream ?? false).to.equal(false);
    const [system, user] = req.body.messages ?? [];
    expect(system?.role).to.equal('system');
    expect(system?.content).to.include(NO_ANSWER).and.include('reading age of 9 to 11').and.include('numbered steps').and.include('medical');
    expect(user?.content).to.include('[1] Log in to the NHS App').and.include('[2] Set up the NHS App').and.include(QUESTION);
  });

  it('streams the answer: the pieces arrive in order and add up to the answer', async () => {
    const pieces = ['1. Open the NHS App', ' and tap "Continue" [1].', '\n2. Enter your NHS login', ' details [1].'];
    server.reply = () => ({ text: pieces.join(''), pieces });
    const seen: string[] = [];

    const answer = await openAiAnswerer().answer(QUESTION, IN_SCOPE, PASSAGES, { stream: true, onDelta: (t) => seen.push(t) });

    expect(server.requests[0]?.body.stream).to.equal(true);
    expect(seen.join('')).to.equal(pieces.join(''));
    expect(seen.length).to.be.greaterThan(1);
    expect(answer?.text).to.equal(pieces.join(''));
    expect(answer?.citations.map((c) => c.n)).to.deep.equal([1]);
  });

  it('uses the Azure route with the api-key header, the deployment in the path and the api-version', async () => {
    const config = loadConfig({ AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: KEY, AZURE_OPENAI_DEPLOYMENT: 'chat-dep' }).generative;
    expect(config.provider).to.equal('azure');
    const answerer = createGenerativeAnswerer(config, { screen, log });

    const answer = await answerer?.answer(QUESTION, IN_SCOPE, PASSAGES);
    const streamed = await answerer?.answer(QUESTION, IN_SCOPE, PASSAGES, { stream: true });

    expect(answer?.text).to.equal(GROUNDED);
    expect(answer?.model).to.equal('chat-dep');
    expect(streamed?.text).to.equal(GROUNDED);
    expect(server.requests).to.have.length(2);
    for (const req of server.requests) {
      expect(req.path).to.equal('/openai/deployments/chat-dep/chat/completions');
      expect(req.query.get('api-version')).to.equal('2024-10-21');
      expect(req.headers['api-key']).to.equal(KEY);
      expect(req.headers.authorization).to.equal(undefined);
    }
  });

  it('falls back (undefined) when the server never answers within the time limit', async () => {
    server.reply = () => 'hang';
    expect(await openAiAnswerer(150).answer(QUESTION, IN_SCOPE, PASSAGES)).to.equal(undefined);
    expect(await openAiAnswerer(150).answer(QUESTION, IN_SCOPE, PASSAGES, { stream: true })).to.equal(undefined);
    expect(log.args.map((a) => a[0])).to.deep.equal(['timeout', 'timeout']);
  });

  it('falls back on a server error, without retrying', async () => {
    server.reply = () => ({ status: 500 });
    expect(await openAiAnswerer().answer(QUESTION, IN_SCOPE, PASSAGES)).to.equal(undefined);
    expect(server.requests).to.have.length(1);
    expect(log.firstCall.args[0]).to.equal('error');
    expect(log.firstCall.args[1]).to.include('500');
  });

  it('falls back when the reply is not grounded in the passages', async () => {
    const ungrounded = [
      NO_ANSWER,
      'Open the NHS App and tap Continue.', // no citation
      'Open the NHS App [1]. Then ask at reception [3].', // passage 3 was not given
      'Open the NHS App [1] or go to https://nhs-app-login.example.com [1].', // invented address
    ];
    const answerer = openAiAnswerer();
    for (const text of ungrounded) {
      server.reply = () => ({ text });
      expect(await answerer.answer(QUESTION, IN_SCOPE, PASSAGES), text).to.equal(undefined);
    }
    server.reply = () => ({ text: GROUNDED, finish: 'length' });
    expect(await answerer.answer(QUESTION, IN_SCOPE, PASSAGES), 'cut short').to.equal(undefined);
    expect(log.args.map((a) => a[0])).to.deep.equal(['not-grounded', 'not-grounded', 'not-grounded', 'not-grounded', 'cut-short']);
  });

  it('does not stream the no-answer sentinel to the user', async () => {
    server.reply = () => ({ text: NO_ANSWER, pieces: ['NO', '_ANS', 'WER'] });
    const onDelta = sinon.spy();
    expect(await openAiAnswerer().answer(QUESTION, IN_SCOPE, PASSAGES, { stream: true, onDelta })).to.equal(undefined);
    expect(onDelta.called).to.equal(false);
  });

  it('never sends an emergency or clinical question to the model, whatever verdict the caller passes', async () => {
    const answerer = openAiAnswerer();
    const questions = ['My dad has crushing chest pain and cant breathe', 'How much paracetamol can I give my child?', 'Is it safe to take ibuprofen with my blood pressure tablets?'];
    for (const q of questions) {
      const verdict = screen.assess(q);
      expect(verdict.kind, q).to.be.oneOf(['emergency', 'clinical']);
      expect(await answerer.answer(q, verdict, PASSAGES), q).to.equal(undefined);
      // a caller that skipped triage or got it wrong: the answerer's own screen still refuses
      expect(await answerer.answer(q, IN_SCOPE, PASSAGES, { stream: true }), q).to.equal(undefined);
    }
    // and an in-scope question with a non in-scope verdict is not sent either
    expect(await answerer.answer(QUESTION, { kind: 'off-topic' }, PASSAGES)).to.equal(undefined);
    expect(server.requests).to.have.length(0);
    expect(log.args.every((a) => a[0] === 'not-in-scope')).to.equal(true);
  });

  it('takes personal details out of the question before sending it', async () => {
    await openAiAnswerer().answer('How do I log in to the NHS App? I am jo.bloggs@example.com, NHS number 943 476 5919, phone 07700 900123, SW1A 1AA', IN_SCOPE, PASSAGES);
    const sent = server.requests[0]?.body.messages?.[1]?.content ?? '';
    expect(sent).to.include('How do I log in to the NHS App?');
    for (const secret of ['jo.bloggs', '943 476 5919', '07700 900123', 'SW1A']) expect(sent).not.to.include(secret);
    expect(redact('Windows 10 update, code 2FA')).to.equal('Windows 10 update, code 2FA');
  });

  it('does not call the model without passages', async () => {
    expect(await openAiAnswerer().answer(QUESTION, IN_SCOPE, [])).to.equal(undefined);
    expect(server.requests).to.have.length(0);
  });
});

describe('generative answers configuration', () => {
  it('is off without keys', () => {
    const config = loadConfig({}).generative;
    expect(config).to.deep.equal({ provider: 'off' });
    expect(createChatClient(config)).to.equal(undefined);
  });

  it('defaults the OpenAI endpoint and model', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'k' }).generative).to.deep.equal({ provider: 'openai', apiKey: 'k', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' });
  });

  it('prefers Azure when both are set', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com/', AZURE_OPENAI_API_KEY: 'a', AZURE_OPENAI_DEPLOYMENT: 'gpt4o' }).generative;
    expect(config).to.deep.equal({ provider: 'azure', endpoint: 'https://r.openai.azure.com', apiKey: 'a', deployment: 'gpt4o', apiVersion: '2024-10-21' });
  });

  it('names the variable at fault', () => {
    const fails = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as { field?: string }).field;
      }
      return undefined;
    };
    expect(fails({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' })).to.equal('AZURE_OPENAI_API_KEY');
    expect(fails({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', AZURE_OPENAI_API_KEY: 'a' })).to.equal('AZURE_OPENAI_DEPLOYMENT');
    expect(fails({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', AZURE_OPENAI_API_KEY: 'a', AZURE_OPENAI_DEPLOYMENT: 'a/b' })).to.equal('AZURE_OPENAI_DEPLOYMENT');
    expect(fails({ AZURE_OPENAI_ENDPOINT: 'r.openai.azure.com', AZURE_OPENAI_API_KEY: 'a', AZURE_OPENAI_DEPLOYMENT: 'd' })).to.equal('AZURE_OPENAI_ENDPOINT');
    expect(fails({ AZURE_OPENAI_ENDPOINT: 'https://r', AZURE_OPENAI_API_KEY: 'a', AZURE_OPENAI_DEPLOYMENT: 'd', AZURE_OPENAI_API_VERSION: 'latest' })).to.equal('AZURE_OPENAI_API_VERSION');
    expect(fails({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).to.equal('OPENAI_API_KEY');
    expect(fails({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'ftp://x' })).to.equal('OPENAI_BASE_URL');
  });
});
