/**
 * Confidence that the top topic is right, 0..1. A logistic function of the nearest-example
 * cosine (how closely the question resembles a known way of asking), the margin over the
 * runner-up and the share of words the content knows.
 */
export interface ConfidenceFeatures {
  /** Best stage-2 similarity of the top topic. */
  readonly nearest: number;
  /** Combined score of the top topic minus the runner-up's. */
  readonly margin: number;
  /** Share of the question's known words that the top topic uses (by rarity). */
  readonly coverage: number;
  /** Share of the question's content words that no topic knows. */
  readonly unknown: number;
  /** Number of content words in the question. */
  readonly words: number;
}

/** The features of a question with no content words. */
export const NO_FEATURES: ConfidenceFeatures = { nearest: 0, margin: 0, coverage: 0, unknown: 1, words: 0 };

/** The feature vector the calibration weights apply to (same order as CAL.w). */
export function featureVector(f: ConfidenceFeatures): number[] {
  return [f.nearest, f.margin, f.coverage, f.unknown, f.words <= 1 ? 1 : 0];
}

export function calibrate(f: ConfidenceFeatures): number {
  if (f.words === 0) return 0;
  const x = featureVector(f);
  let z = CAL.bias;
  x.forEach((v, i) => (z += v * (CAL.w[i] ?? 0)));
  return round3(1 / (1 + Math.exp(-z)));
}

/** Logistic calibration weights (fitted offline with bench/qa-calibrate.ts). */
export const CAL: { readonly bias: number; readonly w: readonly number[] } = { bias: -1.36, w: [2.32, 4.09, 0.7, -5.32, -1.51] };

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
