import { expect } from 'chai';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcademyError } from '../../src/errors.js';
import { defaultQaDataDir, loadQaData, parseSynonyms, parseTriage } from '../../src/qa/data.js';
import { cleanText, normalise, stem } from '../../src/qa/text.js';

describe('qa data and text', () => {
  it('loads and compiles the data files', () => {
    const d = loadQaData();
    expect(d.triage.emergency.patterns.length).to.be.greaterThan(20);
    expect(d.synonyms.spellings.get('appt')).to.equal('appointment');
  });

  it('names the file and field of a bad pattern', () => {
    const raw = parse(readFileSync(join(defaultQaDataDir(), 'triage.yaml'), 'utf8')) as { emergency: { patterns: { re: string }[] } };
    const first = raw.emergency.patterns[0];
    if (first) first.re = '(unclosed';
    try {
      parseTriage(raw, 'triage.yaml');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(AcademyError);
      expect((e as AcademyError).message).to.match(/triage\.yaml: emergency\.patterns\[0\]\.re/);
    }
  });

  it('rejects an unknown macro and a bad phrase pair', () => {
    const raw = parse(readFileSync(join(defaultQaDataDir(), 'triage.yaml'), 'utf8')) as { clinical: { intents: { re: string }[] } };
    const first = raw.clinical.intents[0];
    if (first) first.re = '{nope}';
    expect(() => parseTriage(raw)).to.throw(AcademyError, /unknown macro/);
    expect(() => parseSynonyms({ phrases: [['a', 'b', 'c']] })).to.throw(AcademyError, /phrases\[0\]/);
  });

  it('normalises apostrophes, txt-speak and phrases', () => {
    const d = loadQaData().synonyms;
    expect(cleanText("Can't   log-in to the NHS App!")).to.equal('cant log in to the nhs app');
    expect(normalise('cant log in 2 my appt pls', d)).to.equal('cant login 2 my appointment please');
    expect(normalise('I cannot sign in', d)).to.equal('i cant login');
    expect(normalise('A & E or 111?', d)).to.equal('a&e or 111');
  });

  it('stems word forms together', () => {
    expect(stem('booking')).to.equal(stem('book'));
    expect(stem('appointments')).to.equal(stem('appointment'));
    expect(stem('sharing')).to.equal(stem('share'));
    expect(stem('stopped')).to.equal(stem('stop'));
    expect(stem('replies')).to.equal(stem('reply'));
  });
});
