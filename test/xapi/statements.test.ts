import { expect } from 'chai';
import { validateXapi } from '../support/xapiValidation.js';
import { join } from 'node:path';
import type { Statement } from '@xapi/xapi';
import { loadSelfCheck } from '../../src/lessons/selfCheck.js';
import { validateStatement } from '../../src/lrs/index.js';
import { projectRoot } from '../../src/paths.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { LearningRecorder } from '../../src/xapi/recorder.js';
import { StatementFactory, isoDuration } from '../../src/xapi/statements.js';
import { MemoryLrs, shippedCatalog } from '../support/bot.js';


describe('every kind of statement the bot emits', () => {
  const f = new StatementFactory(new XapiIds('https://academy.test/xapi'));
  const learner = { id: 'dl_0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', channel: 'webchat' as const, audience: 'nhs' as const };
  const lesson = shippedCatalog().lesson('safety-phishing')!;
  const attempt = { lesson, registration: '5b0a5f7e-1c1d-4a4e-9d3b-2f6a8c1e7d10' };
  const item = loadSelfCheck(join(projectRoot(), 'content'))[0];
  const kinds: [string, Statement][] = [
    ['lesson started', f.lessonStarted(learner, attempt)],
    ['card viewed', f.cardViewed(learner, attempt, 0)],
    ['question answered', f.questionAnswered(learner, attempt, 0, 1)],
    ['lesson completed', f.lessonCompleted(learner, attempt, isoDuration(252_000))],
    ['lesson passed', f.lessonScored(learner, attempt, lesson.checks.length, 'PT4M12S')],
    ['lesson failed', f.lessonScored(learner, attempt, 0, 'PT4M12S')],
    ['self-check answered', f.selfCheckAnswered(learner, attempt.registration, item, 'not-sure')],
    ['self-check completed', f.selfCheckCompleted(learner, attempt.registration, ['x'], ['nhs-app.register'], 'PT1M')],
    ['course completed', f.courseCompleted(learner, 'safety', 5)],
    ['answer rated', f.answerRated(learner, 'safety.phishing', true)],
    ['champion asked', f.helpAsked(learner, 'c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8')],
    ['champion answered', f.helpAnswered({ ...learner, channel: 'msteams' }, 'c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8', 'PT2H')],
  ];

  for (const [kind, statement] of kinds) {
    it(`${kind}: valid xAPI 1.0.3 once stamped, with a pseudonymous actor`, async () => {
      const lrs = new MemoryLrs();
      const [stamped] = await new LearningRecorder(lrs, systemClock, randomIds, (e) => {
        throw e;
      }).record(statement);
      expect(() => validateStatement(stamped)).not.to.throw();
      expect(validateXapi(stamped)).to.deep.equal([]);
      expect(stamped.id).to.match(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(stamped.actor)).not.to.match(/mbox|"name":"[A-Z]/);
    });
  }

  it('writes durations as ISO 8601', () => {
    expect(isoDuration(0)).to.equal('PT0S');
    expect(isoDuration(61_500)).to.equal('PT1M1.5S');
    expect(isoDuration(3_723_000)).to.equal('PT1H2M3S');
  });
});
