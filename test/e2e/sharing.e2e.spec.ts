/**
 * The dispatcher on the real broker and Redis, two instances in their own processes, driven the way
 * operators drive it (HTTP API and the vigie CLI) and fed with regional alerts as the correlator
 * publishes them. Four agencies of this run — Mali (AES), Senegal (ECOWAS, agreement with Mali up
 * to GREEN), Mauritania (no bloc, agreement with Mali up to AMBER), Ghana (ECOWAS, no link with
 * Mali) — must each receive exactly the alerts and details they are entitled to; subscription
 * changes apply live on both instances; a silence holds and then releases; an acknowledgement
 * holds updates and re-arms; a restarted dispatcher delivers nothing twice and misses nothing; the
 * control data and the record of deliveries survive the loss of Redis; an agency's copy exports as
 * valid CAP 1.2.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { validateXML } from 'xmllint-wasm';
import { HEADERS, TOPICS, agencyAlertTopic, createCodecs, type AlertDelivery, type RegionalAlert, type Tlp } from '@vigie/contracts';
import { BatchProducer, createKafka, followTopics } from '@vigie/kafka';
import { createRedis } from '@vigie/state';
import { deleteKeysWithPrefix, freePort, startService, stopService, waitUntilReady, type ServiceProcess } from '@vigie/testing';

const ROOT = resolve(__dirname, '../..');
const run = randomBytes(3).toString('hex');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = createKafka({ brokers, clientId: `e2e-sharing-${run}`, ssl: false });
const codecs = createCodecs();
const TOKEN = `token-${run}`;
const HOUR = 3_600_000;
const logDir = join(ROOT, 'tmp', `e2e-sharing-${run}`);

const ML = `ml-${run}`;
const SN = `sn-${run}`;
const MR = `mr-${run}`;
const GH = `gh-${run}`;
const AGENCIES = [
  { agencyId: ML, name: 'Mali — border police (e2e)', country: 'ML', languages: ['fr'] },
  { agencyId: SN, name: 'Sénégal — douanes (e2e)', country: 'SN', languages: ['fr'] },
  { agencyId: MR, name: 'Mauritanie — sûreté (e2e)', country: 'MR', languages: ['ar', 'fr'] },
  { agencyId: GH, name: 'Ghana — immigration (e2e)', country: 'GH', languages: ['en'] },
];

/**
 * An alert of this run, with evidence from the Malian agency alone, on a zone (The Gambia) that no
 * bootstrap subscription names, so that other agencies on a shared stack are not sent test alerts.
 */
function regionalAlert(name: string, over: Partial<RegionalAlert> = {}): RegionalAlert {
  const now = Date.now();
  const events = [1, 2, 3].map((i) => `${ML}:EV-${name}-${i}`);
  return {
    alertId: `COUNTRY:GM:e2e-${run}-${name}`,
    version: 1,
    status: 'FIRING',
    zone: { kind: 'COUNTRY', id: 'GM', name: 'The Gambia', countries: ['GM'] },
    level: 'HIGH',
    previousLevel: null,
    rule: { id: `e2e-${run}-${name}`, kind: 'threshold' },
    window: { startAt: now - 48 * HOUR, endAt: now },
    score: 2.5,
    explanation: `3 reports from ML: ${events.join(', ')}`,
    countsByCategory: { SMUGGLING: 3 },
    contributingEventIds: events,
    distinctSourceCountries: ['ML'],
    firstSeen: now - 30 * HOUR,
    lastSeen: now - 2 * HOUR,
    summary: { fr: `Gambie : contrebande signalée par ML (${name})`, en: `The Gambia: smuggling reported by ML (${name})` },
    tlp: 'AMBER',
    evaluatedAt: now,
    latestReportedAt: now - HOUR,
    sourceAgencies: [ML],
    releasableTo: [],
    ...over,
  };
}

describe('alerts reach the right agencies', () => {
  const instances: ServiceProcess[] = [];
  const received: AlertDelivery[] = [];
  const wire = new Map<string, Buffer>();
  const following = new AbortController();
  const producer = new BatchProducer(kafka);

  const startDispatcher = async (name: string, redisPrefix = `vigie-e2e-sharing-${run}:`): Promise<ServiceProcess> => {
    const service = startService({
      name: 'dispatcher',
      instance: name,
      httpPort: await freePort(),
      logDir,
      env: { KAFKA_BROKERS: brokers.join(','), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379', REDIS_KEY_PREFIX: redisPrefix, CONTROL_API_TOKENS: `e2e-operator=${TOKEN}`, LOG_LEVEL: 'info', DELIVERY_TTL_DAYS: '30' },
    });
    await waitUntilReady(service);
    return service;
  };

  const api = async (service: ServiceProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(service.url(path), {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-vigie-reason': `e2e ${run}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  const vigie = async (service: ServiceProcess, ...args: string[]): Promise<string> => {
    const env = { ...process.env, KAFKA_BROKERS: brokers.join(','), VIGIE_DISPATCHER_URL: service.url(''), VIGIE_API_TOKEN: TOKEN };
    return (await promisify(execFile)(join(ROOT, 'services/cli/bin/vigie'), [...args, '--reason', `e2e ${run}`], { env })).stdout;
  };

  const publish = (...alerts: RegionalAlert[]) => producer.send(alerts.map((a) => ({ topic: TOPICS.regionalAlerts, key: a.alertId, value: codecs.regionalAlert.encode(a) })));
  const deliveriesOf = (alert: Pick<RegionalAlert, 'alertId'>, version?: number) => received.filter((d) => d.alert.alertId === alert.alertId && (version === undefined || d.alert.version === version));
  const agenciesOf = (alert: Pick<RegionalAlert, 'alertId'>, version?: number) => deliveriesOf(alert, version).map((d) => d.agencyId).sort();

  /** Sum over the running instances of a dispatcher counter. */
  const counter = async (pattern: RegExp): Promise<number> => {
    let total = 0;
    for (const service of instances.filter((s) => s.child.exitCode === null)) {
      const text = await (await fetch(service.url('/metrics'))).text();
      for (const line of text.split('\n')) if (pattern.test(line)) total += Number(line.split(' ').at(-1));
    }
    return total;
  };

  beforeAll(async () => {
    instances.push(await startDispatcher('a'), await startDispatcher('b'));
    await producer.connect();
    const [a] = instances;
    // The policy this test relies on, idempotently (the bootstrap holds the same).
    expect((await api(a!, 'PUT', '/v1/policy/communities/AES', { name: 'Alliance des États du Sahel', countries: ['BF', 'ML', 'NE'], maxTlp: 'AMBER' })).status).toBeLessThan(300);
    expect((await api(a!, 'PUT', '/v1/policy/agreements/ml-mr', { name: 'Mali–Mauritania', countries: ['ML', 'MR'], maxTlp: 'AMBER' })).status).toBeLessThan(300);
    expect((await api(a!, 'PUT', '/v1/policy/agreements/ml-sn', { name: 'Mali–Senegal', countries: ['ML', 'SN'], maxTlp: 'GREEN' })).status).toBeLessThan(300);
    for (const agency of AGENCIES) expect((await api(a!, 'PUT', `/v1/agencies/${agency.agencyId}`, agency)).status).toBe(201);
    const subscriptions = [
      { subscriptionId: `${ML}-all`, agencyId: ML, countries: ['GM'], minLevel: 'LOW' },
      { subscriptionId: `${SN}-gambia`, agencyId: SN, zones: ['COUNTRY:GM'], minLevel: 'LOW' },
      { subscriptionId: `${MR}-high`, agencyId: MR, countries: ['GM'], minLevel: 'HIGH' },
      { subscriptionId: `${GH}-west`, agencyId: GH, countries: ['GM', 'SN'], minLevel: 'LOW' },
    ];
    for (const s of subscriptions) expect((await api(a!, 'PUT', `/v1/subscriptions/${s.subscriptionId}`, s)).status).toBe(201);
    void followTopics(kafka, {
      topics: AGENCIES.map((x) => agencyAlertTopic(x.agencyId)),
      signal: following.signal,
      onMessage: (m) => {
        const delivery = codecs.alertDelivery.decode(m.value as Buffer);
        received.push(delivery);
        wire.set(`${delivery.deliveryId}#${received.length}`, m.value as Buffer);
      },
    });
  });

  afterAll(async () => {
    following.abort();
    const [a] = instances.filter((s) => s.child.exitCode === null);
    if (a) {
      for (const agency of AGENCIES) {
        const subs = (await api(a, 'GET', `/v1/subscriptions?agencyId=${agency.agencyId}`)).body?.subscriptions ?? [];
        for (const s of subs) await api(a, 'DELETE', `/v1/subscriptions/${s.subscriptionId}`);
        await api(a, 'DELETE', `/v1/agencies/${agency.agencyId}`);
      }
    }
    await producer.disconnect();
    const codes = await Promise.all(instances.map((s) => stopService(s)));
    expect(codes.every((c) => c === 0 || c === null), `exit codes ${codes}; logs in ${logDir}`).toBe(true);
  });

  it('refuses an invalid subscription, saying what is wrong', async () => {
    const answer = await api(instances[0]!, 'PUT', `/v1/subscriptions/${SN}-typo`, { agencyId: SN, zones: ['HOTSPOT:HS-FALEMEE'], countries: ['SEN'], minLevel: 'high' });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      'countries[0]: must be an upper-case ISO 3166-1 alpha-2 code (got "SEN")',
      'zones[0]: no zone "HOTSPOT:HS-FALEMEE" in the geography reference',
      'minLevel: must be one of LOW, MEDIUM, HIGH, CRITICAL (got "high")',
    ]);
    const cli = vigie(instances[1]!, 'subscriptions', 'put', `${SN}-typo`, '--agency', 'xx-nobody', '--min-level', 'LOW');
    await expect(cli).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('agencyId: no agency "xx-nobody": create the agency first') });
  });

  it('delivers each agency exactly what the sharing policy entitles it to, for every TLP', async () => {
    // Mali originates; Mauritania is named for AMBER_STRICT. Expected by hand: full (F) or redacted (R).
    const F = false, R = true;
    const expected: Record<Tlp, Record<string, boolean>> = {
      CLEAR: { [ML]: F, [SN]: F, [MR]: F, [GH]: F },
      GREEN: { [ML]: F, [SN]: F, [MR]: F, [GH]: R },
      AMBER: { [ML]: F, [SN]: R, [MR]: F, [GH]: R },
      AMBER_STRICT: { [ML]: F, [SN]: R, [MR]: F, [GH]: R },
      RED: { [ML]: F, [SN]: R, [MR]: R, [GH]: R },
    };
    const alerts = Object.keys(expected).map((tlp) => regionalAlert(`tlp-${tlp.toLowerCase()}`, { tlp: tlp as Tlp, releasableTo: tlp === 'AMBER_STRICT' ? [MR] : [] }));
    const medium = regionalAlert('medium', { level: 'MEDIUM' });
    await publish(...alerts, medium);
    await until(() => alerts.every((a) => deliveriesOf(a).length === 4) && deliveriesOf(medium).length === 3, 'deliveries of the TLP alerts');

    alerts.forEach((alert) => {
      expect(agenciesOf(alert), alert.tlp).toEqual([GH, ML, MR, SN].sort());
      for (const delivery of deliveriesOf(alert)) {
        const label = `${alert.tlp} → ${delivery.agencyId}`;
        expect(delivery.redacted, label).toBe(expected[alert.tlp][delivery.agencyId]);
        expect(delivery.subscriptionId, label).toBe({ [ML]: `${ML}-all`, [SN]: `${SN}-gambia`, [MR]: `${MR}-high`, [GH]: `${GH}-west` }[delivery.agencyId]);
        if (!delivery.redacted) {
          expect(delivery.alert, label).toEqual(alert);
          continue;
        }
        // Nothing the recipient is not entitled to, on the wire.
        const bytes = [...wire].filter(([k]) => k.startsWith(`${delivery.deliveryId}#`)).map(([, v]) => v.toString('latin1')).join();
        for (const secret of [`EV-tlp`, `${ML}:`, 'smuggling reported', 'contrebande signalée']) expect(bytes.includes(secret), `${label}: ${secret}`).toBe(false);
        expect(delivery.alert, label).toMatchObject({ contributingEventIds: [], distinctSourceCountries: [], sourceAgencies: [], releasableTo: [], countsByCategory: {}, score: 0 });
        expect(delivery.alert, label).toMatchObject({ alertId: alert.alertId, version: 1, level: 'HIGH', zone: alert.zone, tlp: alert.tlp, rule: alert.rule });
      }
    });
    // The MEDIUM alert is below Mauritania's threshold; the others' summaries arrive in both languages.
    expect(agenciesOf(medium)).toEqual([GH, ML, SN].sort());
    expect(deliveriesOf(medium).find((d) => d.agencyId === ML)!.alert.summary).toEqual(medium.summary);
  });

  it('applies subscription changes live on every instance', async () => {
    const [a, b] = instances;
    expect(await vigie(a!, 'subscriptions', 'put', `${SN}-gambia`, '--agency', SN, '--zones', 'COUNTRY:GM', '--min-level', 'CRITICAL')).toContain(`replaced subscription ${SN}-gambia`);
    expect((await api(b!, 'GET', `/v1/subscriptions/${SN}-gambia`)).body.minLevel).toBe('CRITICAL');
    await vigie(b!, 'subscriptions', 'delete', `${GH}-west`);
    expect((await api(a!, 'GET', `/v1/subscriptions/${GH}-west`)).status).toBe(404);

    const high = regionalAlert('after-change-high');
    const critical = regionalAlert('after-change-critical', { level: 'CRITICAL' });
    await publish(high, critical);
    await until(() => deliveriesOf(high).some((d) => d.agencyId === ML) && deliveriesOf(critical).some((d) => d.agencyId === SN), 'deliveries after the change');
    expect(agenciesOf(high)).toEqual([ML, MR].sort());
    expect(agenciesOf(critical)).toEqual([ML, MR, SN].sort());
    // Back to LOW for the next tests.
    await vigie(a!, 'subscriptions', 'put', `${SN}-gambia`, '--agency', SN, '--zones', 'COUNTRY:GM', '--min-level', 'LOW');
    await until(async () => (await api(b!, 'GET', `/v1/subscriptions/${SN}-gambia`)).body.minLevel === 'LOW', 'the change on instance b');
  });

  it('holds alerts while a silence is on and releases them when it ends, by time or by deletion', async () => {
    const [a, b] = instances;
    const heldBefore = await counter(/^vigie_dispatcher_held_total\{.*by="silence"/);
    const untilSoon = new Date(Date.now() + 8_000).toISOString();
    const silence = (await api(a!, 'POST', '/v1/silences', { ruleId: `e2e-${run}-silenced-timed`, endsAt: untilSoon, comment: 'operation in progress' })).body;
    expect(silence).toMatchObject({ ruleId: `e2e-${run}-silenced-timed`, changed: { by: 'e2e-operator' } });
    expect(await vigie(b!, 'silences', 'add', `e2e-${run}-zone-rule`, '--rule', `e2e-${run}-silenced-deleted`, '--zone', 'COUNTRY:GM', '--for', '1h')).toContain(`silence e2e-${run}-zone-rule`);
    await until(async () => (await api(a!, 'GET', `/v1/silences/e2e-${run}-zone-rule`)).status === 200, 'the silence on instance a');
    // Alerts evaluated while the silences are on (a release offers what changed during the silence).
    const timed = regionalAlert('silenced-timed');
    const deleted = regionalAlert('silenced-deleted');

    await publish(timed, deleted);
    await until(async () => (await counter(/^vigie_dispatcher_held_total\{.*by="silence"/)) >= heldBefore + 2, 'both alerts held');
    expect(deliveriesOf(timed)).toEqual([]);
    expect(deliveriesOf(deleted)).toEqual([]);

    await vigie(a!, 'silences', 'delete', `e2e-${run}-zone-rule`);
    await until(() => deliveriesOf(deleted).length === 3, 'release on deletion');
    await until(() => deliveriesOf(timed).length === 3, 'release when the silence ends', 60_000);
    expect(agenciesOf(timed)).toEqual([ML, MR, SN].sort());
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(untilSoon));
    const audit = (await api(b!, 'GET', `/v1/audit?key=silence:e2e-${run}`)).body.entries;
    expect(audit.map((e: { action: string; by: string }) => `${e.action} by ${e.by}`)).toEqual(['PUT by e2e-operator', 'DELETE by e2e-operator']);
  });

  it('holds updates of an acknowledged alert and re-arms when it resolves', async () => {
    const [a, b] = instances;
    const v1 = regionalAlert('acked');
    await publish(v1);
    await until(() => deliveriesOf(v1, 1).length === 3, 'version 1');
    expect(await vigie(b!, 'alerts', 'ack', v1.alertId, '--version', '1', '--comment', 'patrol sent')).toContain('created acknowledgement of');
    await until(async () => (await api(a!, 'GET', '/v1/acknowledgements')).body.acknowledgements.some((x: { alertId: string }) => x.alertId === v1.alertId), 'the acknowledgement on instance a');

    const heldBefore = await counter(/^vigie_dispatcher_held_total\{.*by="acknowledgement"/);
    await publish({ ...v1, version: 2, status: 'UPDATED', previousLevel: 'HIGH' });
    await until(async () => (await counter(/^vigie_dispatcher_held_total\{.*by="acknowledgement"/)) > heldBefore, 'version 2 held');
    await publish({ ...v1, version: 3, status: 'RESOLVED', previousLevel: 'HIGH' });
    await until(() => deliveriesOf(v1, 3).length === 3, 'the resolution');
    await until(async () => !(await api(b!, 'GET', '/v1/acknowledgements')).body.acknowledgements.some((x: { alertId: string }) => x.alertId === v1.alertId), 're-armed on b');
    await publish({ ...v1, version: 4, status: 'FIRING', previousLevel: null });
    await until(() => deliveriesOf(v1, 4).length === 3, 'the next episode');
    await publish({ ...v1, version: 5, status: 'UPDATED', previousLevel: 'HIGH' });
    await until(() => deliveriesOf(v1, 5).length === 3, 'its update');
    expect(deliveriesOf(v1, 2)).toEqual([]);
    const audit = (await api(a!, 'GET', `/v1/audit?key=${encodeURIComponent(`ack:${v1.alertId}`)}`)).body.entries;
    expect(audit.map((e: { action: string; by: string; reason: string }) => `${e.action} by ${e.by}: ${e.reason}`)).toEqual([
      'PUT by e2e-operator: e2e ' + run,
      'DELETE by dispatcher: re-armed: the alert was RESOLVED at version 3',
    ]);
  });

  it('sends the end of an alert only to the agencies told of it', async () => {
    const low = regionalAlert('told', { level: 'LOW' });
    const high = regionalAlert('told-high');
    await publish(high, low);
    // The same agencies as for the HIGH alert, but Mauritania, which subscribes from HIGH.
    await until(() => deliveriesOf(high, 1).length === 3, 'the HIGH alert');
    const told = deliveriesOf(high, 1).map((d) => d.agencyId).filter((agency) => agency !== MR).sort();
    await until(() => deliveriesOf(low, 1).length === told.length, 'the LOW alert');
    const untoldBefore = await counter(/^vigie_dispatcher_follow_ups_untold_total/);
    await publish({ ...low, version: 2, status: 'RESOLVED', previousLevel: 'LOW' });
    await until(async () => (await counter(/^vigie_dispatcher_follow_ups_untold_total/)) > untoldBefore, 'the end withheld from Mauritania');
    await until(() => deliveriesOf(low, 2).length === told.length, 'the end');
    expect(deliveriesOf(low, 2).map((d) => d.agencyId).sort()).toEqual(told);
  });

  it('restarted, delivers nothing twice and misses nothing; after the loss of Redis, knows the control data and what it delivered', async () => {
    const before = regionalAlert('before-restart');
    await publish(before);
    await until(() => deliveriesOf(before).length === 3, 'delivered before the restart');
    for (const service of instances.splice(0)) expect(await stopService(service)).toBe(0);

    // While no dispatcher runs: new alerts, and the correlator re-publishing a version already delivered.
    const during = [regionalAlert('during-restart-1'), regionalAlert('during-restart-2', { tlp: 'GREEN' })];
    await publish(...during, before);
    instances.push(await startDispatcher('c'));
    await until(() => during.every((a) => deliveriesOf(a).length === 3), 'alerts published while down');
    await until(async () => (await counter(/^vigie_events_deduplicated_total/)) >= 1, 'the re-published version recognised');
    expect(deliveriesOf(before)).toHaveLength(3);

    // Every delivery of this run, once: no delivery id twice.
    const ids = received.map((d) => d.deliveryId);
    expect(ids.length).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(ids.length);

    // A dispatcher with an empty Redis namespace still knows every agency and subscription: they live in Kafka.
    const freshPrefix = `vigie-e2e-sharing-${run}-fresh:`;
    const fresh = await startDispatcher('d', freshPrefix);
    instances.push(fresh);
    const subscriptions = (await api(fresh, 'GET', '/v1/subscriptions')).body.subscriptions.map((s: { subscriptionId: string }) => s.subscriptionId);
    expect(subscriptions).toEqual(expect.arrayContaining([`${ML}-all`, `${SN}-gambia`, `${MR}-high`]));

    // And what was delivered: it read the agency topics back before consuming. Alone in the group, it
    // recognises by their content the versions a rebuilt correlator re-publishes (evaluated again),
    // and delivers another version numbered the same (a rebuild from a history retention has cut).
    expect(await stopService(instances.shift()!)).toBe(0);
    const deduplicated = await counter(/^vigie_events_deduplicated_total/);
    const renumbered = { ...before, window: { ...before.window, endAt: before.window.endAt + HOUR }, score: 3.5 };
    await publish(...during.map((a) => ({ ...a, evaluatedAt: a.evaluatedAt + HOUR })), renumbered);
    await until(() => deliveriesOf(before).length === 6, 'the version numbered the same, with other content');
    await until(async () => (await counter(/^vigie_events_deduplicated_total/)) >= deduplicated + 2, 'the re-published versions recognised by the fresh instance');
    during.forEach((a) => expect(deliveriesOf(a)).toHaveLength(3));
    const agencies = (deliveries: AlertDelivery[]) => deliveries.map((d) => d.agencyId).sort();
    expect(agencies(deliveriesOf(before).slice(3))).toEqual(agencies(deliveriesOf(before).slice(0, 3)));

    // Redis emptied under the running instance: its next claim finds the ledger gone, and it restores it first.
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:16379');
    await redis.connect();
    try {
      await deleteKeysWithPrefix(redis, freshPrefix);
    } finally {
      redis.disconnect();
    }
    const recognised = await counter(/^vigie_events_deduplicated_total/);
    await publish(...during.map((a) => ({ ...a, evaluatedAt: a.evaluatedAt + 2 * HOUR })));
    await until(async () => (await counter(/^vigie_events_deduplicated_total/)) >= recognised + 2, 'the re-published versions recognised after Redis was emptied');
    during.forEach((a) => expect(deliveriesOf(a)).toHaveLength(3));
    expect(await counter(/^vigie_dispatcher_ledger_restores_total\{.*trigger="lost"/)).toBe(1);
    expect(await counter(/^vigie_dispatcher_ledger_restores_total\{.*trigger="start"/)).toBe(1);
  });

  it('holds back the versions a rebuild re-evaluates from before the ledger\'s reach (DELIVERY_TTL_DAYS), and delivers the later ones', async () => {
    const alert = regionalAlert('beyond-reach');
    const heldBefore = await counter(/^vigie_dispatcher_beyond_ledger_reach_total/);
    const watermarkDaysAgo = (days: number) => ({ [HEADERS.arrivalWatermark]: String(Date.now() - days * 24 * HOUR) });
    await producer.send([
      { topic: TOPICS.regionalAlerts, key: alert.alertId, value: codecs.regionalAlert.encode(alert), headers: watermarkDaysAgo(31) },
      { topic: TOPICS.regionalAlerts, key: alert.alertId, value: codecs.regionalAlert.encode({ ...alert, version: 2, level: 'CRITICAL', previousLevel: 'HIGH' }), headers: watermarkDaysAgo(29) },
    ]);
    // One key, one partition: version 2 delivered means version 1 was decided before it.
    await until(() => deliveriesOf(alert, 2).length === 3, 'the version evaluated within the reach');
    expect(deliveriesOf(alert, 1)).toEqual([]);
    expect((await counter(/^vigie_dispatcher_beyond_ledger_reach_total/)) - heldBefore).toBe(1);
  });

  it("exports an agency's copy as CAP 1.2 that the schema validates", async () => {
    const alert = regionalAlert('tlp-amber');
    const xml = await vigie(instances[0]!, 'alerts', 'export', '--format', 'cap', '--agency', SN, '--alert', alert.alertId);
    expect(xml).toContain(`<identifier>vigie:${SN}:${alert.alertId}:1</identifier>`);
    expect(xml).toContain('<note>Details withheld under the sharing policy');
    const xsd = readFileSync(join(ROOT, 'libs/sharing/src/cap/CAP-v1.2.xsd'), 'utf8');
    const result = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [{ fileName: 'CAP-v1.2.xsd', contents: xsd }] });
    expect(result.errors).toEqual([]);
  });
});

/** Waits as the tests here do: a check every 200 ms, 45 s by default, the logs named when it fails. */
const until = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 45_000): Promise<void> =>
  waitUntil(condition, `${what} (logs in ${logDir})`, { timeoutMs, intervalMs: 200 });
