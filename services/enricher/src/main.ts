import { TOPICS } from '@vigie/contracts';
import { launchStageService } from '@vigie/nest-kafka';
import { enricherConfigSpec } from './enricher.config';
import { EnricherModule } from './enricher.module';

launchStageService({
  service: 'enricher',
  defaultHttpPort: 8082,
  config: enricherConfigSpec,
  input: { topics: [TOPICS.validated], deadLetterTopic: TOPICS.deadLetter },
  module: EnricherModule,
});
