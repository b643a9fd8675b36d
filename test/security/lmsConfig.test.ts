/** The LMS allow-lists in config: validated at start, naming the variable; safe defaults. */
import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';

import { configFieldOf as fieldOf } from '../support/config.js';

describe('security: LMS allow-lists in config (issue 13)', () => {
  it("defaults trust no LMS, and lessons may be framed by 'self' only", () => {
    const { lms } = loadConfig({});
    expect(lms.allowedOrigins).to.deep.equal([]);
    expect(lms.cmi5Endpoints).to.deep.equal([]);
    expect(lms.frameAncestors).to.deep.equal(["'self'"]);
  });

  it('takes https origins (spaces or commas), http only on loopback, and frames lessons for the LMS origins', () => {
    const { lms } = loadConfig({ LMS_ALLOWED_ORIGINS: 'https://moodle.example.org, http://localhost:8080', CMI5_ALLOWED_ENDPOINTS: 'https://lms.example.org/ http://127.0.0.1:9000' });
    expect(lms.allowedOrigins).to.deep.equal(['https://moodle.example.org', 'http://localhost:8080']);
    expect(lms.cmi5Endpoints).to.deep.equal(['https://lms.example.org', 'http://127.0.0.1:9000']);
    expect(lms.frameAncestors).to.deep.equal(["'self'", 'https://moodle.example.org', 'http://localhost:8080']);
  });

  for (const [name, value] of [
    ['LMS_ALLOWED_ORIGINS', 'http://moodle.example.org'],
    ['LMS_ALLOWED_ORIGINS', 'https://moodle.example.org/course'],
    ['LMS_ALLOWED_ORIGINS', '*'],
    ['CMI5_ALLOWED_ENDPOINTS', 'http://10.0.0.7'],
    ['CMI5_ALLOWED_ENDPOINTS', 'https://user:pw@lms.example.org'],
    ['CMI5_ALLOWED_ENDPOINTS', 'ftp://lms.example.org'],
    ['CMI5_REQUEST_TIMEOUT_MS', '10'],
    ['LMS_FRAME_ANCESTORS', '*'],
    ['LMS_FRAME_ANCESTORS', "'self' *"],
  ]) {
    it(`refuses ${name}=${value}, naming it`, () => {
      expect(fieldOf({ [name]: value })).to.equal(name);
    });
  }
});
