/** Dev helper: triage reason and signals for given questions. */
import { loadQaData } from '../src/qa/data.js';
import { Triage } from '../src/qa/triage.js';
const t = Triage.fromData(loadQaData());
for (const q of process.argv.slice(2)) { const r = t.assess(q); console.log(r.kind, '|', r.reason, '|', r.normalised, '|', JSON.stringify(r.signals)); }
