import { TOPICS } from '@vigie/contracts';
import { launchStageService } from '@vigie/nest-kafka';
import { dispatcherConfigSpec } from './dispatcher.config';
import { DispatcherModule } from './dispatcher.module';

launchStageService({
  service: 'dispatcher',
  defaultHttpPort: 8084,
  config: dispatcherConfigSpec,
  input: { topics: [TOPICS.regionalAlerts, TOPICS.releasedAlerts], deadLetterTopic: TOPICS.deadLetter },
  module: DispatcherModule,
  // Deliveries go by alert version (an alert's versions share a partition); agencies order them by version, not by time.
  inputOrder: 'per-partition',
});
