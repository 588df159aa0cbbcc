import type { SilentFeedRule } from '../rule';
import { optionalDuration, positiveNumber } from '../rule-fields';
import { formatNumber, type SilenceKindSpec } from './rule-kind';

/**
 * A national feed silent for longer than its usual rhythm. Arrival time (when ingest accepted the
 * reports), not event time: feeds report late, but a feed that sends nothing is what matters.
 * The rule watches COUNTRY zones and the feeds of that country; `window` is how far back a feed's
 * rhythm is learnt. Score: the longest silence as a multiple of that feed's usual gap.
 */
export const silentFeed: SilenceKindSpec = {
  family: 'silence',
  fields: ['minGaps', 'minRhythm'],
  zoneKinds: ['COUNTRY'],
  parse: (base, raw, path): SilentFeedRule => ({
    ...base,
    kind: 'silent-feed',
    minGaps: positiveNumber(raw.minGaps, `${path}.minGaps`, 5, { integer: true }),
    minRhythmMs: optionalDuration(raw.minRhythm, `${path}.minRhythm`, 3_600_000),
  }),
  measure: (_rule, score) => ({
    en: `silent for ${formatNumber(score, 'en')}× its usual rhythm`,
    fr: `muette depuis ${formatNumber(score, 'fr')} fois son rythme habituel`,
  }),
};
