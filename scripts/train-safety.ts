/**
 * Retrains the safety net from content/qa/safety-train/*.jsonl and writes
 * content/qa/safety-model.json (deterministic: the same data gives the same model).
 *
 *   npm run train:safety
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/paths.js';
import { runScript } from './run.js';
import { buildModel } from '../src/qa/safetyNet/build.js';
import { SAFETY_MODEL_FILE } from '../src/qa/safetyNet/model.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function main(): void {
  const qa = join(projectRoot(), 'content', 'qa');
  const start = performance.now();
  const { model, figures, counts } = buildModel(join(qa, 'safety-train'));
  const file = join(qa, SAFETY_MODEL_FILE);
  writeFileSync(file, JSON.stringify(model) + '\n');
  console.log(`lines: ${JSON.stringify(counts)}`);
  console.log(`thresholds: ${JSON.stringify(model.thresholds)}`);
  console.log(
    `validation split (${figures.size} lines, ${figures.emergencies} emergencies): emergency recall ${pct(figures.emergencyRecall)}, ` +
      `emergency alone ${pct(figures.emergencyAloneRecall)}, clinical recall ${pct(figures.clinicalRecall)}, ` +
      `digital false alarms ${pct(figures.digitalAlarmAny)} (emergency alone ${pct(figures.digitalAlarmAlone)}), digital to clinical ${pct(figures.digitalClinical)}`,
  );
  console.log(`wrote ${file} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

process.exitCode = runScript(main);
