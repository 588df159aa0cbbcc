import type { PartitionLag } from '@vigie/kafka';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ConsumerLagMonitor } from './consumer-lag-monitor';

function setup(readings: (readonly PartitionLag[] | Error)[]) {
  const registry = new Registry();
  const gauge = new Gauge({ name: 'lag', help: 'lag', labelNames: ['topic', 'partition'] as const, registers: [registry] });
  const logged: string[] = [];
  const log = { info: (msg: string) => logged.push(`info ${msg}`), warn: (msg: string) => logged.push(`warn ${msg}`) };
  let reads = 0;
  const monitor = new ConsumerLagMonitor(gauge, async () => {
    const next = readings[Math.min(reads++, readings.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  }, log, 60_000);
  const values = async () => (await registry.getSingleMetric('lag')!.get()).values.map((v) => `${v.labels.topic}/${v.labels.partition}=${v.value}`).sort();
  return { monitor, values, logged, reads: () => reads };
}

describe('ConsumerLagMonitor', () => {
  it('publishes each reading, dropping partitions the next reading no longer has', async () => {
    const { monitor, values } = setup([
      [{ topic: 'a', partition: 0, lag: 5 }, { topic: 'a', partition: 1, lag: 0 }],
      [{ topic: 'a', partition: 0, lag: 7 }],
    ]);
    await monitor.poll();
    expect(await values()).toEqual(['a/0=5', 'a/1=0']);
    await monitor.poll();
    expect(await values()).toEqual(['a/0=7']);
  });

  it('keeps the last values while the broker cannot be read, logging the failure and the recovery once each', async () => {
    const { monitor, values, logged } = setup([[{ topic: 'a', partition: 0, lag: 3 }], new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), [{ topic: 'a', partition: 0, lag: 1 }]]);
    for (let i = 0; i < 3; i++) await monitor.poll();
    expect(await values()).toEqual(['a/0=3']);
    await monitor.poll();
    expect(await values()).toEqual(['a/0=1']);
    expect(logged).toEqual(['warn consumer lag could not be read; keeping the last values', 'info consumer lag readable again']);
  });

  it('shares one reading between overlapping polls, reads at once on start, and stops after the reading in flight', async () => {
    const { monitor, values, reads } = setup([[{ topic: 'a', partition: 0, lag: 2 }]]);
    await Promise.all([monitor.poll(), monitor.poll()]);
    expect(reads()).toBe(1);
    monitor.start();
    await monitor.stop();
    expect(reads()).toBe(2);
    expect(await values()).toEqual(['a/0=2']);
  });
});
