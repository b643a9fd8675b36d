/**
 * Writes content/qa/safety-train/lesson-content.jsonl: digital-language lines taken from the
 * lessons themselves (card bodies, check questions, the champion answer), one sentence a
 * line, labelled digital. Sentences about emergencies, danger or health advice (anything
 * the rules would not call in scope, or that names an emergency number) are left out, so
 * the net does not learn that emergency words are digital.
 *
 *   npx tsx scripts/seed-safety-content.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { plainText } from '../src/lessons/readability.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { Triage } from '../src/qa/triage.js';

const ALARM = /\b(?:999|111|116 123|danger|suicid|self.?harm|harm|abuse|emergenc|crisis|police|unsafe|hurt|injur|ill|symptom|medicine|medical|dose|overdose|die|dying|death|kill|weapon|fire)/i;

const root = projectRoot();
const rules = Triage.fromData(loadQaData());
const seen = new Set<string>();
const lines: string[] = [];
for (const lesson of new ContentLoader(join(root, 'content')).load()) {
  const texts = [...lesson.cards.map((c) => c.body), ...lesson.checks.map((q) => q.question), lesson.answer];
  for (const text of texts) {
    for (const sentence of plainText(text).split(/(?<=[.?!])\s+/)) {
      const s = sentence.trim();
      const key = s.toLowerCase();
      if (s.split(' ').length < 5 || seen.has(key) || ALARM.test(s) || rules.assess(s).kind !== 'in-scope') continue;
      seen.add(key);
      lines.push(JSON.stringify({ text: s, label: 'digital', topic: lesson.topic, cls: 'lesson-content', source: `content/${lesson.topic}.md` }));
    }
  }
}
writeFileSync(join(root, 'content', 'qa', 'safety-train', 'lesson-content.jsonl'), lines.join('\n') + '\n');
console.log(`${lines.length} lines`);
