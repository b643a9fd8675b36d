import { expect } from 'chai';
import {
  isDuration,
  isIri,
  isLanguageTag,
  isMailto,
  isUuid,
  parseTimestamp,
} from '../../src/lrs/formats.js';
import { validateAgentParameter, validateStatement, validateStatements } from '../../src/lrs/validate.js';
import { VERBS, agent, rejection, statement, uuid } from './fixtures.js';

type Json = Record<string, unknown>;

const ACTIVITY_ID = 'https://academy.example.org/xapi/lessons/passwords';

function withObject(object: Json): Json {
  return statement({ object });
}

function withDefinition(definition: Json): Json {
  return withObject({ objectType: 'Activity', id: ACTIVITY_ID, definition });
}

function withResult(result: Json): Json {
  return statement({ result });
}

function withContext(context: Json, object?: Json): Json {
  return statement(object ? { context, object } : { context });
}

const subStatement = (extra: Json = {}): Json => ({
  objectType: 'SubStatement',
  actor: agent('Grace'),
  verb: { id: VERBS.attempted },
  object: { id: ACTIVITY_ID },
  ...extra,
});


describe('lrs/validate', () => {
  describe('valid statements', () => {
    const valid: [string, Json][] = [
      ['the minimal statement', statement()],
      ['an id', statement({ id: uuid() })],
      ['an uppercase id', statement({ id: uuid().toUpperCase() })],
      ['a UTC timestamp with milliseconds', statement({ timestamp: '2024-05-01T09:00:00.123Z' })],
      ['a timestamp with an offset', statement({ timestamp: '2024-05-01T10:00:00+01:00' })],
      ['a timestamp with a basic offset', statement({ timestamp: '2024-05-01T10:00:00.5+0100' })],
      ['a timestamp without seconds', statement({ timestamp: '2024-05-01T10:00Z' })],
      ['a leap day', statement({ timestamp: '2024-02-29T10:00:00Z' })],
      ['an mbox_sha1sum actor', statement({ actor: { mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' } })],
      ['an openid actor', statement({ actor: { openid: 'http://openid.example.org/ada' } })],
      ['an account actor', statement({ actor: { account: { homePage: 'https://teams.microsoft.com', name: 'aad-123' } } })],
      ['an identified group actor', statement({ actor: { objectType: 'Group', mbox: 'mailto:team@example.org' } })],
      [
        'an anonymous group actor',
        statement({ actor: { objectType: 'Group', name: 'Ward 7', member: [agent('Ada'), agent('Grace')] } }),
      ],
      ['a verb without display', statement({ verb: { id: VERBS.completed } })],
      ['a urn verb id', statement({ verb: { id: 'urn:x-academy:verbs:finished' } })],
      ['an activity without objectType', withObject({ id: ACTIVITY_ID })],
      ['an Agent object', withObject({ objectType: 'Agent', mbox: 'mailto:grace@example.org' })],
      ['a Group object', withObject({ objectType: 'Group', member: [agent('Grace')] })],
      ['a StatementRef object', withObject({ objectType: 'StatementRef', id: uuid() })],
      ['a SubStatement object', withObject(subStatement({ timestamp: '2030-01-01T00:00:00Z' }))],
      [
        'a SubStatement with result, context and a StatementRef object',
        withObject(
          subStatement({
            object: { objectType: 'StatementRef', id: uuid() },
            result: { success: true },
            context: { registration: uuid(), extensions: { 'http://example.org/x': 1 } },
          }),
        ),
      ],
      [
        'a choice interaction',
        withDefinition({
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          interactionType: 'choice',
          correctResponsesPattern: ['golf[,]tetris'],
          choices: [
            { id: 'golf', description: { 'en-US': 'Golf Example' } },
            { id: 'tetris', description: { 'en-US': 'Tetris Example' } },
          ],
        }),
      ],
      ['a likert interaction', withDefinition({ interactionType: 'likert', scale: [{ id: 'likert_0' }, { id: 'likert_1' }] })],
      [
        'a matching interaction',
        withDefinition({ interactionType: 'matching', source: [{ id: 'a' }], target: [{ id: 'b' }], correctResponsesPattern: ['a[.]b'] }),
      ],
      ['a performance interaction', withDefinition({ interactionType: 'performance', steps: [{ id: 'pong' }] })],
      ['a sequencing interaction', withDefinition({ interactionType: 'sequencing', choices: [{ id: 'x' }] })],
      ['a true-false interaction with no correct answer', withDefinition({ interactionType: 'true-false', correctResponsesPattern: [] })],
      ['moreInfo and extensions with a null value', withDefinition({ moreInfo: 'https://example.org/more', extensions: { 'http://example.org/e': null } })],
      [
        'a full result',
        withResult({
          score: { scaled: -1, raw: 5, min: 0, max: 10 },
          success: false,
          completion: true,
          response: 'golf',
          duration: 'PT1H0M0.1S',
          extensions: { 'http://example.org/r': { nested: [1, 2] } },
        }),
      ],
      ['a score with min equal to max', withResult({ score: { raw: 3, min: 3, max: 3 } })],
      ['a duration in weeks', withResult({ duration: 'P4W' })],
      ['a duration in years and days', withResult({ duration: 'P3Y1M29DT4H35M59.14S' })],
      [
        'a full context',
        withContext({
          registration: uuid(),
          instructor: agent('Grace'),
          team: { objectType: 'Group', member: [agent('Lin')] },
          contextActivities: {
            parent: { id: 'https://academy.example.org/xapi/courses/cyber' },
            grouping: [{ objectType: 'Activity', id: 'https://academy.example.org/xapi' }],
            category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }],
            other: [],
          },
          revision: 'r2',
          platform: 'Teams',
          language: 'en-GB',
          statement: { objectType: 'StatementRef', id: uuid() },
          extensions: { 'https://academy.example.org/xapi/ext/channel': 'teams' },
        }),
      ],
      ['an instructor Group', withContext({ instructor: { objectType: 'Group', account: { homePage: 'https://x.org', name: 'g' } } })],
      [
        'an attachment',
        statement({
          attachments: [
            {
              usageType: 'http://adlnet.gov/expapi/attachments/signature',
              display: { 'en-US': 'Signature' },
              description: { 'en-US': 'A signature' },
              contentType: 'text/plain; charset=ascii',
              length: 27,
              sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
              fileUrl: 'http://over.there.com/file.txt',
            },
          ],
        }),
      ],
      ['version 1.0.0', statement({ version: '1.0.0' })],
      ['version 1.0.3', statement({ version: '1.0.3' })],
      ['a stored and an authority (to be overwritten)', statement({ stored: '2024-01-01T00:00:00Z', authority: agent('Admin') })],
      [
        'a three-legged OAuth authority',
        statement({
          authority: {
            objectType: 'Group',
            member: [{ account: { homePage: 'http://example.com/xAPI/OAuth/Token', name: 'oauth_consumer_x75db' } }, agent('Bob')],
          },
        }),
      ],
      ['a voiding statement', statement({ verb: { id: VERBS.voided }, object: { objectType: 'StatementRef', id: uuid() } })],
      ['language tags with script, region, variant and private use', statement({ verb: { id: VERBS.completed, display: { 'zh-Hans-CN': '完成', 'de-CH-1996': 'x', 'x-klingon': 'y', 'sgn-BE-FR': 'z', 'es-419': 'w' } } })],
      ['an empty language map', statement({ verb: { id: VERBS.completed, display: {} } })],
      ['unicode in strings', statement({ actor: { ...agent('Ada'), name: 'Åda Løvelace 🚀' } })],
    ];
    for (const [name, input] of valid) {
      it(`accepts ${name}`, () => {
        expect(() => validateStatement(input)).not.to.throw();
      });
    }
  });

  describe('invalid statements', () => {
    const invalid: [string, unknown, string | undefined, string][] = [
      ['a non-object', 'hello', undefined, 'statement must be an object'],
      ['an array', [statement()], undefined, 'statement must be an object'],
      ['a missing actor', { verb: { id: VERBS.completed }, object: { id: ACTIVITY_ID } }, 'actor', 'statement.actor is required'],
      ['a missing verb', { actor: agent('Ada'), object: { id: ACTIVITY_ID } }, 'verb', 'is required'],
      ['a missing object', { actor: agent('Ada'), verb: { id: VERBS.completed } }, 'object', 'is required'],
      ['an unknown property', statement({ foo: 1 }), 'foo', 'statement.foo is not allowed'],
      ['a wrongly cased property', statement({ Verb: { id: VERBS.completed } }), 'Verb', 'is not allowed'],
      ['an id that is not a UUID', statement({ id: 'not-a-uuid' }), 'id', 'must be a UUID'],
      ['an id with too many digits', statement({ id: 'AA97B177-9383-4934-8543-0F91A7A028368' }), 'id', 'must be a UUID'],
      ['a numeric id', statement({ id: 123 }), 'id', 'must be a UUID'],
      ['a verb without id', statement({ verb: { display: { 'en-US': 'did' } } }), 'verb.id', 'statement.verb.id is required'],
      ['a verb id without scheme', statement({ verb: { id: 'not.a.valid.iri.com/verb' } }), 'verb.id', 'statement.verb.id must be an IRI'],
      ['a verb id with spaces', statement({ verb: { id: 'http://example.org/my verb' } }), 'verb.id', 'must be an IRI'],
      ['an empty verb id', statement({ verb: { id: '' } }), 'verb.id', 'must be an IRI'],
      ['a null verb id', statement({ verb: { id: null } }), 'verb.id', 'must be an IRI'],
      ['an unknown verb property', statement({ verb: { id: VERBS.completed, name: 'x' } }), 'verb.name', 'is not allowed'],
      ['a bad language tag', statement({ verb: { id: VERBS.completed, display: { a12345678: 'x' } } }), 'verb.display["a12345678"]', 'is not an RFC 5646 language tag'],
      ['a non-string display', statement({ verb: { id: VERBS.completed, display: { 'en-US': 1 } } }), 'verb.display["en-US"]', 'must be a string'],
      ['an actor with two IFIs', statement({ actor: { mbox: 'mailto:a@example.org', openid: 'http://id.example.org/a' } }), 'actor', 'exactly one inverse functional identifier'],
      ['an actor without an IFI', statement({ actor: { name: 'Ada' } }), 'actor', 'must have an inverse functional identifier'],
      ['an mbox without mailto', statement({ actor: { mbox: 'ada@example.org' } }), 'actor.mbox', 'must be a mailto IRI'],
      ['an mbox without a domain', statement({ actor: { mbox: 'mailto:ada' } }), 'actor.mbox', 'must be a mailto IRI'],
      ['a bad mbox_sha1sum', statement({ actor: { mbox_sha1sum: 'xyz' } }), 'actor.mbox_sha1sum', 'SHA-1'],
      ['an openid without scheme', statement({ actor: { openid: 'open.id.com/testUser' } }), 'actor.openid', 'must be an IRI'],
      ['an account without name', statement({ actor: { account: { homePage: 'http://example.org' } } }), 'actor.account.name', 'is required'],
      ['an account homePage without scheme', statement({ actor: { account: { homePage: 'homePage.com/testUser', name: '1' } } }), 'actor.account.homePage', 'must be an IRL'],
      ['an account with an extra property', statement({ actor: { account: { homePage: 'http://x.org', name: '1', id: 2 } } }), 'actor.account.id', 'is not allowed'],
      ['an actor objectType that is not Agent or Group', statement({ actor: { objectType: 'Person', mbox: 'mailto:a@example.org' } }), 'actor.objectType', 'must be "Agent"'],
      ['an actor name that is null', statement({ actor: { mbox: 'mailto:a@example.org', name: null } }), 'actor.name', 'must be a string'],
      ['an anonymous group without members', statement({ actor: { objectType: 'Group', name: 'nobody' } }), 'actor.member', 'anonymous Group'],
      ['an anonymous group with no members', statement({ actor: { objectType: 'Group', member: [] } }), 'actor.member', 'must not be empty'],
      ['a group with a group member', statement({ actor: { objectType: 'Group', member: [{ objectType: 'Group', mbox: 'mailto:g@example.org' }] } }), 'actor.member[0].objectType', 'cannot contain Groups'],
      ['a group with two IFIs', statement({ actor: { objectType: 'Group', mbox: 'mailto:g@example.org', openid: 'http://x.org/g' } }), 'actor', 'exactly one'],
      ['an Agent object without objectType', withObject({ mbox: 'mailto:grace@example.org' }), 'object.objectType', 'is required when the object is an Agent or Group'],
      ['an activity without id', withObject({ objectType: 'Activity' }), 'object.id', 'is required'],
      ['an activity id without scheme', withObject({ id: 'not.a.valid.iri.com/activity' }), 'object.id', 'must be an IRI'],
      ['an unknown object type', withObject({ objectType: 'Thing', id: ACTIVITY_ID }), 'object.objectType', 'must be one of'],
      ['a lowercase object type', withObject({ objectType: 'activity', id: ACTIVITY_ID }), 'object.objectType', 'must be one of'],
      ['an activity with an unknown property', withObject({ id: ACTIVITY_ID, name: 'x' }), 'object.name', 'is not allowed'],
      ['an unknown interaction type', withDefinition({ interactionType: 'essay' }), 'object.definition.interactionType', 'must be one of'],
      ['choices on a likert interaction', withDefinition({ interactionType: 'likert', choices: [{ id: 'a' }] }), 'object.definition.choices', 'not allowed for interactionType "likert"'],
      ['a component list without interaction type', withDefinition({ choices: [{ id: 'a' }] }), 'object.definition.choices', 'requires an interactionType'],
      ['a correctResponsesPattern without interaction type', withDefinition({ correctResponsesPattern: ['a'] }), 'object.definition.correctResponsesPattern', 'requires an interactionType'],
      ['a non-string response pattern', withDefinition({ interactionType: 'choice', correctResponsesPattern: [1] }), 'object.definition.correctResponsesPattern[0]', 'must be a string'],
      ['duplicate component ids', withDefinition({ interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] }), 'object.definition.choices[1].id', 'duplicates'],
      ['a component without id', withDefinition({ interactionType: 'choice', choices: [{ description: { en: 'x' } }] }), 'object.definition.choices[0].id', 'is required'],
      ['a moreInfo without scheme', withDefinition({ moreInfo: 'example.org/more' }), 'object.definition.moreInfo', 'must be an IRL'],
      ['a definition type that is not an IRI', withDefinition({ type: 'lesson' }), 'object.definition.type', 'must be an IRI'],
      ['an extension key that is not an IRI', withDefinition({ extensions: { foo: 1 } }), 'object.definition.extensions["foo"]', 'is not an IRI'],
      ['a bad name language map', withDefinition({ name: { 'en-US': 'x', 'not a tag': 'y' } }), 'object.definition.name["not a tag"]', 'language tag'],
      ['a StatementRef with a bad id', withObject({ objectType: 'StatementRef', id: 'wrong' }), 'object.id', 'must be a UUID'],
      ['a StatementRef with extra properties', withObject({ objectType: 'StatementRef', id: uuid(), definition: {} }), 'object.definition', 'is not allowed'],
      ['a SubStatement with an id', withObject(subStatement({ id: uuid() })), 'object.id', 'is not allowed in a SubStatement'],
      ['a SubStatement with stored', withObject(subStatement({ stored: '2024-01-01T00:00:00Z' })), 'object.stored', 'is not allowed in a SubStatement'],
      ['a SubStatement with version', withObject(subStatement({ version: '1.0.0' })), 'object.version', 'is not allowed in a SubStatement'],
      ['a SubStatement with authority', withObject(subStatement({ authority: agent('X') })), 'object.authority', 'is not allowed in a SubStatement'],
      ['a nested SubStatement', withObject(subStatement({ object: subStatement() })), 'object.object.objectType', 'inside a SubStatement'],
      ['a SubStatement with a bad verb', withObject(subStatement({ verb: { id: 'nope' } })), 'object.verb.id', 'must be an IRI'],
      ['a SubStatement timestamp with -00:00', withObject(subStatement({ timestamp: '2024-05-01T09:00:00-00:00' })), 'object.timestamp', 'ISO 8601'],
      ['a SubStatement with revision on an Agent object', withObject(subStatement({ object: agent('Lin'), context: { revision: '1' } })), 'object.context.revision', 'only allowed when the object is an Activity'],
      ['a scaled score above 1', withResult({ score: { scaled: 1.5 } }), 'result.score.scaled', 'between -1 and 1'],
      ['a raw score above max', withResult({ score: { raw: 11, max: 10 } }), 'result.score.raw', 'greater than max'],
      ['a raw score below min', withResult({ score: { raw: -1, min: 0 } }), 'result.score.raw', 'less than min'],
      ['min above max', withResult({ score: { min: 10, max: 1 } }), 'result.score.min', 'greater than max'],
      ['a string score', withResult({ score: { raw: '5' } }), 'result.score.raw', 'must be a number'],
      ['a string success', withResult({ success: 'true' }), 'result.success', 'must be a boolean'],
      ['a null completion', withResult({ completion: null }), 'result.completion', 'must be a boolean'],
      ['a bad duration', withResult({ duration: 'PA1H0M0S' }), 'result.duration', 'ISO 8601 duration'],
      ['a duration mixing weeks and days', withResult({ duration: 'P4W1D' }), 'result.duration', 'ISO 8601 duration'],
      ['a numeric response', withResult({ response: 42 }), 'result.response', 'must be a string'],
      ['an unknown result property', withResult({ grade: 'A' }), 'result.grade', 'is not allowed'],
      ['a bad registration', withContext({ registration: 'wrong' }), 'context.registration', 'must be a UUID'],
      ['revision with an Agent object', withContext({ revision: '1' }, { objectType: 'Agent', mbox: 'mailto:g@example.org' }), 'context.revision', 'only allowed when the object is an Activity'],
      ['platform with a StatementRef object', withContext({ platform: 'Teams' }, { objectType: 'StatementRef', id: uuid() }), 'context.platform', 'only allowed when the object is an Activity'],
      ['an unknown context activity kind', withContext({ contextActivities: { sibling: [{ id: ACTIVITY_ID }] } }), 'context.contextActivities.sibling', 'is not allowed'],
      ['a context activity that is a string', withContext({ contextActivities: { parent: ACTIVITY_ID } }), 'context.contextActivities.parent', 'must be an Activity'],
      ['a context activity without id', withContext({ contextActivities: { grouping: [{ definition: {} }] } }), 'context.contextActivities.grouping[0].id', 'is required'],
      ['a team that is an Agent', withContext({ team: agent('Lin') }), 'context.team.objectType', 'must be "Group"'],
      ['a bad context language', withContext({ language: 'english please' }), 'context.language', 'language tag'],
      ['a context statement without objectType', withContext({ statement: { id: uuid() } }), 'context.statement.objectType', 'must be "StatementRef"'],
      ['a context extension key without scheme', withContext({ extensions: { 'example.org/x': 1 } }), 'context.extensions["example.org/x"]', 'is not an IRI'],
      ['a timestamp without time zone', statement({ timestamp: '2024-05-01T09:00:00' }), 'timestamp', 'with a time zone'],
      ['a timestamp with -00:00', statement({ timestamp: '2024-05-01T09:00:00-00:00' }), 'timestamp', 'ISO 8601'],
      ['a timestamp with -0000', statement({ timestamp: '2024-05-01T09:00:00-0000' }), 'timestamp', 'ISO 8601'],
      ['a timestamp with -00', statement({ timestamp: '2024-05-01T09:00:00-00' }), 'timestamp', 'ISO 8601'],
      ['an impossible date', statement({ timestamp: '2024-02-30T09:00:00Z' }), 'timestamp', 'ISO 8601'],
      ['a date only', statement({ timestamp: '2024-05-01' }), 'timestamp', 'ISO 8601'],
      ['an invalid stored', statement({ stored: 'yesterday' }), 'stored', 'ISO 8601'],
      ['version 3.0.0', statement({ version: '3.0.0' }), 'version', 'must be a 1.0.x or 2.0.x version'],
      ['version 0.95', statement({ version: '0.95' }), 'version', 'must be a 1.0.x or 2.0.x version'],
      ['a voided verb with an Activity object', statement({ verb: { id: VERBS.voided } }), 'object.objectType', 'must be "StatementRef" when the verb is voided'],
      ['an authority Group of three', statement({ authority: { objectType: 'Group', member: [agent('A'), agent('B'), agent('C')] } }), 'authority.member', 'exactly two'],
      ['an attachment without sha2', statement({ attachments: [{ usageType: 'http://x.org/u', display: { en: 'x' }, contentType: 'text/plain', length: 1 }] }), 'attachments[0].sha2', 'is required'],
      ['an attachment with a negative length', statement({ attachments: [{ usageType: 'http://x.org/u', display: { en: 'x' }, contentType: 'text/plain', length: -1, sha2: 'a'.repeat(64) }] }), 'attachments[0].length', 'non-negative integer'],
      ['an attachment with a bad content type', statement({ attachments: [{ usageType: 'http://x.org/u', display: { en: 'x' }, contentType: 'text', length: 1, sha2: 'a'.repeat(64) }] }), 'attachments[0].contentType', 'Internet Media Type'],
      ['an attachment usageType without scheme', statement({ attachments: [{ usageType: 'usage', display: { en: 'x' }, contentType: 'text/plain', length: 1, sha2: 'a'.repeat(64) }] }), 'attachments[0].usageType', 'must be an IRI'],
      ['an attachment fileUrl without scheme', statement({ attachments: [{ usageType: 'http://x.org/u', display: { en: 'x' }, contentType: 'text/plain', length: 1, sha2: 'a'.repeat(64), fileUrl: 'over.there/file' }] }), 'attachments[0].fileUrl', 'must be an IRL'],
      ['attachments that are not an array', statement({ attachments: {} }), 'attachments', 'must be an array'],
    ];
    for (const [name, input, field, message] of invalid) {
      it(`rejects ${name}`, () => {
        const error = rejection(() => validateStatement(input));
        expect(error.status).to.equal(400);
        expect(error.field).to.equal(field);
        expect(error.message).to.contain(message);
        if (field !== undefined) expect(error.message).to.match(new RegExp(`^statement\\.${field.replace(/[[\]."]/g, '\\$&')} `));
      });
    }
  });

  describe('batches', () => {
    it('accepts a batch and returns it', () => {
      const batch = [statement(), statement({ id: uuid() })];
      expect(validateStatements(batch)).to.have.length(2);
    });

    it('prefixes errors with the statement index', () => {
      const error = rejection(() => validateStatements([statement(), statement(), statement({ verb: { id: 'nope' } })]));
      expect(error.status).to.equal(400);
      expect(error.field).to.equal('statements[2].verb.id');
      expect(error.message).to.equal('statements[2].verb.id must be an IRI');
    });

    it('names a non-object entry', () => {
      const error = rejection(() => validateStatements([statement(), 42]));
      expect(error.field).to.equal('statements[1]');
      expect(error.message).to.equal('statements[1] must be an object');
    });

    it('rejects two statements with the same id (any case)', () => {
      const id = uuid();
      const error = rejection(() => validateStatements([statement({ id }), statement({ id: id.toUpperCase() })]));
      expect(error.status).to.equal(400);
      expect(error.field).to.equal('statements[1].id');
    });

    it('rejects a non-array', () => {
      expect(rejection(() => validateStatements(statement())).field).to.equal('statements');
    });
  });

  describe('the agent parameter', () => {
    it('accepts an Agent and an Identified Group', () => {
      expect(validateAgentParameter(JSON.stringify({ mbox: 'mailto:ada@example.org' }))).to.deep.equal({ mbox: 'mailto:ada@example.org' });
      expect(() => validateAgentParameter(JSON.stringify({ objectType: 'Group', mbox: 'mailto:g@example.org' }))).not.to.throw();
    });

    it('rejects non-JSON, an Anonymous Group and an agent with two IFIs', () => {
      expect(rejection(() => validateAgentParameter('wrong')).field).to.equal('agent');
      expect(rejection(() => validateAgentParameter(JSON.stringify({ objectType: 'Group', member: [agent('A')] }))).status).to.equal(400);
      const twoIfis = rejection(() => validateAgentParameter(JSON.stringify({ mbox: 'mailto:a@x.org', openid: 'http://x.org/a' })));
      expect(twoIfis.message).to.contain('agent must have exactly one');
    });
  });

  describe('formats', () => {
    it('checks IRIs', () => {
      for (const ok of ['http://example.org', 'urn:uuid:6e8bf0d6-4b5b-4a5f-9c8e-0d1f2a3b4c5d', 'mailto:a@b.c', 'http://example.com/فعل/خواندن']) {
        expect(isIri(ok), ok).to.equal(true);
      }
      for (const bad of ['', 'example.org', '/relative', 'http://a b', ':nothing', 42]) expect(isIri(bad), String(bad)).to.equal(false);
    });

    it('checks UUIDs', () => {
      expect(isUuid('6e8bf0d6-4b5b-4a5f-9c8e-0d1f2a3b4c5d')).to.equal(true);
      expect(isUuid('6E8BF0D6-4B5B-4A5F-9C8E-0D1F2A3B4C5D')).to.equal(true);
      expect(isUuid('6e8bf0d6-4b5b-4a5f-9c8e-0d1f2a3b4c5')).to.equal(false);
      expect(isUuid('6e8bf0d6-4b5b-4a5f-9c8e-0d1f2a3b4c5g')).to.equal(false);
      expect(isUuid('{6e8bf0d6-4b5b-4a5f-9c8e-0d1f2a3b4c5d}')).to.equal(false);
    });

    it('checks language tags by RFC 5646 token lengths', () => {
      for (const ok of ['en', 'en-GB', 'zh-Hans-CN', 'es-419', 'de-CH-1996', 'x-whatever', 'i-klingon', 'en-a-bbb-x-a-ccc', 'sr-Latn-RS']) {
        expect(isLanguageTag(ok), ok).to.equal(true);
      }
      for (const bad of ['', 'a12345678', 'en_GB', 'en-', '-en', 'e']) expect(isLanguageTag(bad), bad).to.equal(false);
    });

    it('checks mailto IRIs and durations', () => {
      expect(isMailto('mailto:ada.lovelace+xapi@nhs.example.org')).to.equal(true);
      expect(isMailto('mailto:ada')).to.equal(false);
      expect(isDuration('PT4H35M59.14S')).to.equal(true);
      expect(isDuration('P')).to.equal(false);
      expect(isDuration('PT')).to.equal(false);
      expect(isDuration('P1DT')).to.equal(false);
    });

    it('parses timestamps to milliseconds across time zones', () => {
      expect(parseTimestamp('2024-05-01T10:00:00+01:00')).to.equal(Date.parse('2024-05-01T09:00:00Z'));
      expect(parseTimestamp('2024-05-01T10:00:00+0100')).to.equal(Date.parse('2024-05-01T09:00:00Z'));
      expect(parseTimestamp('2024-05-01T09:00:00.123456Z')).to.equal(Date.parse('2024-05-01T09:00:00.123Z'));
      expect(parseTimestamp('2023-02-29T09:00:00Z')).to.equal(undefined);
      expect(parseTimestamp('2024-05-01T24:00:00Z')).to.equal(undefined);
    });
  });
});
