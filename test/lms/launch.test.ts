import { expect } from 'chai';
import { parseLaunch, parseLaunchData } from '../../src/lms/cmi5/launch.js';
import { cmi5Statement, mergeContext } from '../../src/lms/cmi5/statements.js';
import { CMI5_CATEGORY, CMI5_EXTENSIONS, MOVEON_CATEGORY } from '../../src/lms/cmi5/vocabulary.js';
import { lmsLearnerId } from '../../src/lms/ids.js';
import { AcademyError } from '../../src/errors.js';

const good = {
  endpoint: 'https://lms.example.org/xapi',
  fetch: 'https://lms.example.org/fetch?k=1',
  actor: JSON.stringify({ objectType: 'Agent', name: 'Jane Doe', account: { homePage: 'https://lms.example.org', name: '1625378' } }),
  registration: '760e3480-ba55-4991-94b0-01820dbd23a2',
  activityId: 'https://lms.example.org/au/1',
  lesson: 'safety-passwords',
};

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AcademyError) return e.field;
    throw e;
  }
  return undefined;
}

describe('cmi5 launch parameters and statements', () => {
  it('reads the launch parameters in any order and ends the endpoint with a slash', () => {
    const launch = parseLaunch(new URLSearchParams(Object.entries(good).reverse()));
    expect(launch.endpoint).to.equal('https://lms.example.org/xapi/');
    expect(launch.actor.account).to.deep.equal({ homePage: 'https://lms.example.org', name: '1625378' });
    expect(launch.lesson).to.equal('safety-passwords');
  });

  it('names the parameter at fault', () => {
    const without = (name: keyof typeof good) => new URLSearchParams(Object.entries(good).filter(([k]) => k !== name));
    for (const name of ['endpoint', 'fetch', 'actor', 'registration', 'activityId'] as const) expect(fieldOf(() => parseLaunch(without(name)))).to.equal(name);
    expect(fieldOf(() => parseLaunch(new URLSearchParams({ ...good, actor: '{' })))).to.equal('actor');
    expect(fieldOf(() => parseLaunch(new URLSearchParams({ ...good, registration: 'nope' })))).to.equal('registration');
    expect(fieldOf(() => parseLaunch(new URLSearchParams({ ...good, endpoint: 'ftp://x' })))).to.equal('endpoint');
    expect(fieldOf(() => parseLaunchData({ contextTemplate: {}, launchMode: 'Sideways' }))).to.equal('LMS.LaunchData.launchMode');
    expect(fieldOf(() => parseLaunchData({ contextTemplate: {}, launchMode: 'Normal', masteryScore: 2 }))).to.equal('LMS.LaunchData.masteryScore');
  });

  it('merges the contextTemplate without overwriting it, and adds the moveOn category only with success or completion', () => {
    const template = { contextActivities: { grouping: [{ id: 'https://pub/au/1' }], category: [{ id: 'https://lms/cat' }] }, extensions: { [CMI5_EXTENSIONS.sessionId]: 's-1' } };
    const merged = mergeContext(template, good.registration, [CMI5_CATEGORY], { [CMI5_EXTENSIONS.sessionId]: 'other', x: 1 });
    expect(merged.extensions).to.deep.equal({ [CMI5_EXTENSIONS.sessionId]: 's-1', x: 1 });
    expect(merged.contextActivities).to.deep.equal({ grouping: [{ id: 'https://pub/au/1' }], category: [{ id: 'https://lms/cat' }, { id: CMI5_CATEGORY, objectType: 'Activity' }] });
    const base = { actor: parseLaunch(new URLSearchParams(good)).actor, activityId: good.activityId, registration: good.registration, contextTemplate: template };
    const completed = cmi5Statement(base, 'completed', { completion: true, duration: 'PT1M' }, {});
    const cats = (completed.context?.contextActivities?.category ?? []) as { id: string }[];
    expect(cats.map((c) => c.id)).to.include(MOVEON_CATEGORY);
    expect(JSON.stringify(completed)).not.to.include('Jane');
    const initialized = cmi5Statement(base, 'initialized', undefined, {});
    expect(((initialized.context?.contextActivities?.category ?? []) as { id: string }[]).map((c) => c.id)).not.to.include(MOVEON_CATEGORY);
  });

  it('makes a stable pseudonym per LMS learner that reveals nothing about them', () => {
    const secret = Buffer.alloc(32, 7);
    const a = lmsLearnerId(secret, 'cmi5:https://lms.example.org|1625378');
    expect(a).to.match(/^dl_[A-Za-z0-9_-]{32}$/).and.equal(lmsLearnerId(secret, 'cmi5:https://lms.example.org|1625378'));
    expect(a).not.to.include('1625378');
    expect(lmsLearnerId(Buffer.alloc(32, 8), 'cmi5:https://lms.example.org|1625378')).not.to.equal(a);
  });
});
