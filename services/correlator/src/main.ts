import { TOPICS } from '@vigie/contracts';
import { launchStageService } from '@vigie/nest-kafka';
import { correlatorConfigSpec } from './correlator.config';
import { CorrelatorModule } from './correlator.module';

launchStageService({
  service: 'correlator',
  defaultHttpPort: 8083,
  config: correlatorConfigSpec,
  input: { topics: [TOPICS.enriched], deadLetterTopic: TOPICS.deadLetter },
  module: CorrelatorModule,
  // State per input partition, and nothing downstream orders alerts in time.
  inputOrder: 'per-partition',
});
