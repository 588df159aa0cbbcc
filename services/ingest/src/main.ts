import { FEED_TOPIC_PATTERN, TOPICS } from '@vigie/contracts';
import { launchStageService } from '@vigie/nest-kafka';
import { ingestConfigSpec } from './ingest.config';
import { IngestModule } from './ingest.module';

launchStageService({
  service: 'ingest',
  defaultHttpPort: 8081,
  config: ingestConfigSpec,
  input: { topics: [FEED_TOPIC_PATTERN], deadLetterTopic: TOPICS.rejected },
  module: IngestModule,
});
