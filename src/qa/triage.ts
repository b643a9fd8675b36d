/**
 * Safety triage, run on every free-text message before anything else.
 *
 * Layers (data in content/qa/triage.yaml, normalisation data in content/qa/synonyms.yaml):
 * 1. Normalisation (src/qa/text.ts): lowercase, apostrophes, txt-speak, misspellings.
 * 2. Emergency: exclusions remove non-medical senses ("treasure chest", "the menu has
 *    collapsed", "unconscious bias"); weighted patterns score the rest. Strong signs fire
 *    alone; medium signs fire unless the message is about a device or app; weak signs need
 *    an acute cue. A sign directly negated ("no chest pain") does not fire but counts as
 *    clinical evidence. Emergency has priority over everything.
 * 3. Clinical: intent patterns that ask for medical judgement (doses, "is it safe to take",
 *    "what does my result mean", "what could it be"), plus weighted health lexicons.
 *    Digital-task cues ("in the app", "order", "book", "not showing") turn health words
 *    into an in-scope question: asking how to use a service is not clinical.
 * 4. Off topic: a weighted lexicon; decided here only when there is no scope cue at all.
 *    The engine also decides off topic with the retrieval confidence.
 */
import type { EmergencyCategory, QaData, TriageData } from './data.js';
import { loadQaData } from './data.js';
import { netVerdict, type NetProbs, type SafetyNet } from './safetyNet/model.js';
import { normalise, type NormaliseData } from './text.js';

export type TriageKind = 'emergency' | 'possible-emergency' | 'clinical' | 'off-topic' | 'in-scope';

export interface TriageSignals {
  /** Emergency pattern ids that fired (not negated, not excluded). */
  readonly emergencyHits: readonly string[];
  readonly emergencyScore: number;
  /** Emergency pattern ids that matched but were negated ("no chest pain"). */
  readonly negated: readonly string[];
  readonly clinicalIntents: readonly string[];
  /** Summed weight of health words found. */
  readonly healthWords: number;
  readonly healthGroups: readonly string[];
  /** A digital object is named (app, online, website, email, login...). */
  readonly digitalObject: boolean;
  /** Strongest digital-task cue: 1 specific service task, 0.5 general how-to, 0 none. */
  readonly task: number;
  readonly offTopicScore: number;
  readonly offTopicWords: readonly string[];
  /** A word showing the message is about this academy's world. */
  readonly scopeCue: boolean;
}

export interface TriageResult {
  readonly kind: TriageKind;
  readonly reason: string;
  /** For emergencies: which reply to give. */
  readonly category: EmergencyCategory | null;
  readonly normalised: string;
  readonly signals: TriageSignals;
  /** The safety net's probabilities; null when the net did not run (rules alone, or skipped). */
  readonly net: NetProbs | null;
}

const EMERGENCY_THRESHOLD = 1;
const CLINICAL_LEXICON_THRESHOLD = 0.5;
const NEGATED_SIGN_WEIGHT = 0.6;
const OFF_TOPIC_THRESHOLD = 1;

export class Triage {
  constructor(
    private readonly data: TriageData,
    private readonly norm: NormaliseData,
  ) {}

  static fromData(data: QaData): Triage {
    return new Triage(data.triage, data.synonyms);
  }

  assess(text: string): TriageResult {
    const t = normalise(text, this.norm);
    const em = this.emergency(t);
    const health = this.healthWords(t);
    const digitalObject = this.data.digital.objects.test(t);
    let task = 0;
    for (const cue of this.data.digital.task) if (cue.weight > task && cue.re.test(t)) task = cue.weight;
    const off = this.offTopic(t);
    const scopeCue = this.data.scope.test(t);

    const intents: string[] = [];
    const yielding: string[] = [];
    for (const intent of this.data.clinical.intents) {
      if (!intent.re.test(t)) continue;
      if (intent.requires.length > 0 && !intent.requires.some((g) => health.groups.has(g))) continue;
      (intent.yields ? yielding : intents).push(intent.id);
    }
    const healthScore = health.score + em.negated.length * NEGATED_SIGN_WEIGHT;

    const signals: TriageSignals = {
      emergencyHits: em.hits,
      emergencyScore: em.score,
      negated: em.negated,
      clinicalIntents: [...intents, ...yielding],
      healthWords: healthScore,
      healthGroups: [...health.groups],
      digitalObject,
      task,
      offTopicScore: off.score,
      offTopicWords: off.words,
      scopeCue,
    };
    const result = (kind: TriageKind, reason: string, category: EmergencyCategory | null = null): TriageResult => ({
      kind,
      reason,
      category,
      normalised: t,
      signals,
      net: null,
    });

    if (em.score >= EMERGENCY_THRESHOLD) return result('emergency', `emergency sign: ${em.hits.join(', ')}`, em.category);

    if (intents.length > 0) return result('clinical', `asks for medical judgement: ${intents.join(', ')}`);
    const digitalTask = digitalObject || task >= 1;
    if (yielding.length > 0 && !digitalTask) return result('clinical', `asks for medical judgement: ${yielding.join(', ')}`);
    const anyDigital = digitalObject || task >= 0.5;
    if (healthScore >= CLINICAL_LEXICON_THRESHOLD && !anyDigital && yielding.length === 0) {
      const what = [...health.groups, ...em.negated.map((n) => `negated ${n}`)].join(', ');
      return result('clinical', `health words (${what}) and no digital task`);
    }

    if (off.score >= OFF_TOPIC_THRESHOLD && !scopeCue) return result('off-topic', `off-topic words: ${off.words.join(', ')}`);
    if (yielding.length > 0) return result('in-scope', `digital task about health (${yielding.join(', ')} yields to the task)`);
    if (healthScore >= CLINICAL_LEXICON_THRESHOLD) return result('in-scope', 'digital task that mentions health words');
    return result('in-scope', scopeCue ? 'in scope' : 'no safety signal');
  }

  private emergency(t: string): { score: number; hits: string[]; negated: string[]; category: EmergencyCategory | null } {
    const e = this.data.emergency;
    let s = t;
    for (const ex of e.exclusions) s = s.replace(ex, ' ~ ');
    const hits: { id: string; strength: string; category: EmergencyCategory; start: number; end: number }[] = [];
    const negated = new Set<string>();
    for (const p of e.patterns) {
      for (const m of s.matchAll(p.re)) {
        if (p.negatable && e.negatedEnd.test(s.slice(0, m.index))) {
          negated.add(p.id);
          continue;
        }
        hits.push({ id: p.id, strength: p.strength, category: p.category, start: m.index, end: m.index + m[0].length });
        break;
      }
    }
    for (const h of hits) negated.delete(h.id);
    if (hits.length === 0) return { score: 0, hits: [], negated: [...negated], category: null };

    const mental = hits.some((h) => h.category === 'mental-health');
    const strong = hits.filter((h) => h.strength === 'strong').length;
    // medium and weak signs: matches that overlap are one sign, counted at its strongest
    const soft = hits.filter((h) => h.strength !== 'strong').sort((a, b) => a.start - b.start);
    let base = 0;
    let clusterEnd = -1;
    let clusterMax = 0;
    for (const h of soft) {
      const w = h.strength === 'medium' ? 1 : 0.6;
      if (h.start < clusterEnd) {
        clusterMax = Math.max(clusterMax, w);
        clusterEnd = Math.max(clusterEnd, h.end);
      } else {
        base += clusterMax;
        clusterMax = w;
        clusterEnd = h.end;
      }
    }
    base += clusterMax;
    let score = strong * 2 + base;
    if (strong === 0) {
      const past = e.past.test(s);
      if (e.digitalContext.test(s)) score -= 0.5;
      else if (!past && e.acute.test(s)) score += 0.5;
      if (past) score -= 0.5;
      if (e.critical.test(s)) score += 0.5;
    }
    return { score, hits: hits.map((h) => h.id), negated: [...negated], category: mental ? 'mental-health' : 'physical' };
  }

  private healthWords(t: string): { score: number; groups: Set<string> } {
    let score = 0;
    const groups = new Set<string>();
    for (const g of this.data.clinical.lexicon) {
      const found = new Set(t.match(g.re) ?? []);
      if (found.size === 0) continue;
      groups.add(g.name);
      score += g.weight * found.size;
    }
    return { score, groups };
  }

  private offTopic(t: string): { score: number; words: string[] } {
    let score = 0;
    const words: string[] = [];
    for (const g of this.data.offTopic) {
      const found = new Set(t.match(g.re) ?? []);
      for (const w of found) words.push(w);
      score += g.weight * found.size;
    }
    return { score, words };
  }
}

export interface AssessOptions {
  /** Leave the safety net out for this message (the learner said "this is not an emergency"). */
  readonly skipNet?: boolean;
}

/**
 * The triage the academy uses: the rules, then the learned safety net wherever the rules did
 * not say emergency. The net can only raise the level: emergency (the net sure and the rules
 * seeing something medical or alarming too), possible emergency (the net unsure, or sure on
 * its own: the learner sees the emergency card first, with a way on to the answer), or
 * clinical where the rules found nothing to triage.
 */
export class SafetyTriage {
  constructor(
    readonly rules: Triage,
    readonly net: SafetyNet | null,
  ) {}

  assess(text: string, options: AssessOptions = {}): TriageResult {
    const r = this.rules.assess(text);
    if (r.kind === 'emergency' || this.net === null || options.skipNet === true) return r;
    const p = this.net.predict(text);
    const reading = { rules: r.kind, evidence: ruleEvidence(r.signals), p, clauses: this.net.predictClauses(text) };
    const verdict = netVerdict(reading, this.net.thresholds);
    const clause = (name: 'emergency' | 'clinical') => (reading.clauses === null ? '' : `, one clause ${reading.clauses[name].toFixed(3)}`);
    const why = (name: 'emergency' | 'clinical') => `safety net: p(${name}) ${p[name].toFixed(3)}${clause(name)}; rules: ${r.kind} (${r.reason})`;
    if (verdict === 'emergency' || verdict === 'possible-emergency') return { ...r, net: p, kind: verdict, category: 'general', reason: why('emergency') };
    if (verdict === 'clinical') return { ...r, net: p, kind: 'clinical', reason: why('clinical') };
    return { ...r, net: p };
  }
}

/** The rules saw a health word, an emergency sign (even negated or outweighed) or a request for medical judgement. */
export function ruleEvidence(s: TriageSignals): boolean {
  return s.healthWords > 0 || s.emergencyScore > 0 || s.negated.length > 0 || s.clinicalIntents.length > 0;
}

let defaultTriage: Triage | undefined;

/** The rules alone, with the project's data files (content/qa), loaded on first use. */
export function triage(text: string): { kind: TriageKind; reason: string } {
  defaultTriage ??= Triage.fromData(loadQaData());
  const r = defaultTriage.assess(text);
  return { kind: r.kind, reason: r.reason };
}
