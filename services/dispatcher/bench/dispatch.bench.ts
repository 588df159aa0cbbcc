/**
 * `npm run bench:dispatch`: how fast the dispatcher decides and encodes, and how fast an instance
 * reads the control topics at startup. Prints figures; asserts nothing.
 *   - in process: a directory of 60 agencies and 300 subscriptions, 20,000 alert versions of mixed
 *     zones, levels and TLPs through the stage as it runs (decode, decide, encode the deliveries),
 *     with an in-memory delivery ledger; then the same versions re-published from other positions,
 *     as a correlator replaying its outbox publishes them (every delivery turned down by the ledger,
 *     each encoded first: see DispatcherStage);
 *   - with KAFKA_BROKERS set: 2,000 control records written, then a fresh view's catch-up time.
 */
import { randomBytes } from 'node:crypto';
import { ALERT_LEVELS, TLP_LEVELS, TOPICS, createCodecs, type RegionalAlert } from '@vigie/contracts';
import { createKafka, type InboundMessage, type StructuredLogger } from '@vigie/kafka';
import { InMemoryDeliveryLedger, SAMPLE_POLICY_JSON, controlStateOf, parseSharingPolicy, sampleRegionalAlert } from '@vigie/sharing';
import { ControlView } from '../src/control/control-view';
import { ControlWriter } from '../src/control/control-writer';
import { DispatcherStage } from '../src/dispatcher.stage';

const COUNTRIES = ['ML', 'SN', 'MR', 'BF', 'NE', 'GH', 'CI', 'BJ', 'TG', 'GN', 'NG', 'GM'];
const ZONES = COUNTRIES.map((cc) => ({ kind: 'COUNTRY' as const, id: cc, name: cc, countries: [cc] }));
const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

function directory() {
  const agencies = Array.from({ length: 60 }, (_, i) => ({ agencyId: `agency-${i}`, name: `Agency ${i}`, country: pick(COUNTRIES, i), languages: ['fr'] }));
  const subscriptions = Array.from({ length: 300 }, (_, i) => ({
    subscriptionId: `sub-${i}`,
    agencyId: `agency-${i % 60}`,
    countries: i % 3 === 0 ? [] : [pick(COUNTRIES, i), pick(COUNTRIES, i + 5)],
    zones: i % 5 === 0 ? [`COUNTRY:${pick(COUNTRIES, i + 1)}`] : [],
    categories: i % 4 === 0 ? ['SMUGGLING'] : [],
    minLevel: pick(ALERT_LEVELS, i),
  }));
  return { agencies, subscriptions };
}

async function inProcess(): Promise<void> {
  const codecs = createCodecs();
  const state = controlStateOf(directory(), parseSharingPolicy(SAMPLE_POLICY_JSON));
  const alerts: RegionalAlert[] = Array.from({ length: 20_000 }, (_, i) =>
    sampleRegionalAlert({ alertId: `a-${i}`, zone: pick(ZONES, i), level: pick(ALERT_LEVELS, i), tlp: pick(TLP_LEVELS, i), distinctSourceCountries: [pick(COUNTRIES, i * 7)] }),
  );
  const messages: InboundMessage[] = alerts.map((alert, i) => ({ topic: TOPICS.regionalAlerts, partition: 0, offset: String(i), key: null, value: codecs.regionalAlert.encode(alert), headers: {}, timestamp: 0 }));
  const stage = new DispatcherStage(codecs, state, new InMemoryDeliveryLedger());
  const pass = async (batch: readonly InboundMessage[]): Promise<{ deliveries: number; seconds: number }> => {
    let deliveries = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch.length; i += 1_000) {
      for (const outcome of await stage.handleBatch(batch.slice(i, i + 1_000))) {
        if (outcome.kind === 'emit') deliveries += outcome.messages.filter((m) => m.topic.startsWith('alerts.agency.')).length;
      }
    }
    return { deliveries, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  };
  const first = await pass(messages);
  console.log(`decode + decide + encode: ${alerts.length} alert versions, ${first.deliveries} deliveries in ${first.seconds.toFixed(2)} s → ${Math.round(alerts.length / first.seconds)} alerts/s, ${Math.round(first.deliveries / first.seconds)} deliveries/s`);
  // The same versions re-published from other positions, as a correlator replaying its outbox publishes them: all delivered already.
  const again = await pass(messages.map((m) => ({ ...m, offset: String(Number(m.offset) + messages.length) })));
  console.log(`re-published (delivered already): ${alerts.length} alert versions, ${again.deliveries} deliveries in ${again.seconds.toFixed(2)} s → ${Math.round(alerts.length / again.seconds)} alerts/s`);
}

async function controlCatchUp(brokers: string[]): Promise<void> {
  const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const kafka = createKafka({ brokers, clientId: 'bench-dispatch', ssl: false });
  const codecs = createCodecs();
  const writerView = new ControlView(kafka, codecs, quiet);
  await writerView.start();
  const writer = new ControlWriter(kafka, codecs, writerView, quiet);
  await writer.connect();
  const run = randomBytes(3).toString('hex');
  const silences = Array.from({ length: 2_000 }, (_, i) => ({ silenceId: `bench-${run}-${i}`, zone: `COUNTRY:${pick(COUNTRIES, i)}`, ruleId: null, startsAt: 0, endsAt: 1, comment: 'bench' }));
  let started = Date.now();
  for (const silence of silences) await writer.put('silence', silence, { by: 'bench' });
  console.log(`control writes (acks=all, each applied before the next): ${silences.length} in ${Date.now() - started} ms → ${Math.round(silences.length / ((Date.now() - started) / 1000))}/s`);
  started = Date.now();
  const fresh = new ControlView(kafka, codecs, quiet);
  await fresh.start();
  console.log(`fresh instance caught up with the control topics (${fresh.state.silences().length} silences among everything they hold) in ${Date.now() - started} ms`);
  for (const silence of silences) await writer.remove('silence', silence.silenceId, { by: 'bench', reason: 'bench clean-up' });
  await writer.disconnect();
  await Promise.all([writerView.stop(), fresh.stop()]);
}

async function main(): Promise<void> {
  await inProcess();
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  if (brokers) await controlCatchUp(brokers);
  else console.log('set KAFKA_BROKERS to measure the control topics on a broker');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
