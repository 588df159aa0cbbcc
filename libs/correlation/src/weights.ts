import { severityOf, type SourceReliability } from '@vigie/contracts';
import type { GradingWeights, WeightSpec } from './rule';
import type { WindowEvent } from './window-event';

/*
 * Weights are kept as integers in thousandths ("milli"), so that sums are exact whatever the
 * order incidents are added and removed in: out-of-order arrival must give the same scores.
 */
export const MILLI = 1000;

/** A usual reading of the Admiralty code: A–C trusted, D–E doubtful, F (cannot be judged) in between. */
export const DEFAULT_GRADING: GradingWeights = {
  reliability: { A: 1, B: 0.9, C: 0.75, D: 0.5, E: 0.3, F: 0.6 },
  credibility: [0, 1, 0.9, 0.75, 0.5, 0.3, 0.6],
  corroboration: { min: 2, distinct: 'feeds' },
};

const gradingFactor = (grading: GradingWeights, reliability: SourceReliability, credibility: number): number =>
  (grading.reliability[reliability] ?? grading.reliability.F) * (grading.credibility[credibility] ?? grading.credibility[6] ?? 1);

/** The incident's weight in milli, and its weight were it corroborated (credibility 1). */
export function weightsOf(event: WindowEvent, spec: WeightSpec | null): { weight: number; corroborated: number } {
  if (!spec) return { weight: MILLI, corroborated: MILLI };
  let factor = 1;
  if (spec.severity) factor *= severityOf(event.category, event.subCategory);
  if (spec.fatalities) factor *= 1 + Math.min(spec.fatalities.max, spec.fatalities.perDeath * Math.max(0, event.fatalities));
  if (!spec.grading) {
    const weight = Math.round(factor * MILLI);
    return { weight, corroborated: weight };
  }
  return {
    weight: Math.round(factor * gradingFactor(spec.grading, event.reliability, event.credibility) * MILLI),
    corroborated: Math.round(factor * gradingFactor(spec.grading, event.reliability, 1) * MILLI),
  };
}

/** Milli → the score analysts read, with three decimals at most. */
export const fromMilli = (milli: number): number => Math.round(milli) / MILLI;
