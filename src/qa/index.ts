/** Question answering: safety triage, retrieval over the lessons, and the engine that joins them. */
export { QaEngine, loadQaEngine, DEFAULT_THRESHOLDS } from './engine.js';
export type { AskResult, AskSource, AskTriage, Explained, LoadOptions, Thresholds } from './engine.js';
export { Triage, triage } from './triage.js';
export type { TriageKind, TriageResult, TriageSignals } from './triage.js';
export { Retriever, DEFAULT_PARAMS } from './retrieval.js';
export type { RankedTopic, Retrieval, RetrievalParams } from './retrieval.js';
export { loadQaData, defaultQaDataDir } from './data.js';
export type { QaData } from './data.js';
export { runAsk, askCommand, formatResult, questionOf } from './cli.js';
export { evaluate, formatReport, readJsonl } from './eval.js';
export type { EvalItem, EvalReport } from './eval.js';

import type { AskResult } from './engine.js';
import { loadQaEngine, type QaEngine } from './engine.js';

let defaultEngine: QaEngine | undefined;

/** Answers with the project's content and data, building the engine on first use. */
export function answer(question: string): AskResult {
  defaultEngine ??= loadQaEngine();
  return defaultEngine.ask(question);
}
