/** Prints the configuration of every service as Markdown tables (pasted into the README). */
import { httpSpec, kafkaConnectionSpec, kafkaFetchSpec, logLevelSpec, describeConfig } from '@vigie/config';
import { correlatorConfigSpec } from '../services/correlator/src/correlator.config';
import { dispatcherConfigSpec } from '../services/dispatcher/src/dispatcher.config';
import { enricherConfigSpec } from '../services/enricher/src/enricher.config';
import { ingestConfigSpec } from '../services/ingest/src/ingest.config';

const sections: [string, Parameters<typeof describeConfig>[0]][] = [
  ['Every service', { ...kafkaConnectionSpec, ...kafkaFetchSpec, ...httpSpec(0), ...logLevelSpec }],
  ['ingest (HTTP 8081)', ingestConfigSpec],
  ['enricher (HTTP 8082)', enricherConfigSpec],
  ['correlator (HTTP 8083)', correlatorConfigSpec],
  ['dispatcher (HTTP 8084)', dispatcherConfigSpec],
];
for (const [title, spec] of sections) process.stdout.write(`#### ${title}\n\n${describeConfig(spec)}\n\n`);
