import { describe, expect, it } from 'vitest';
import type { AlertRecord } from './correlation-store';
import { MemoryCorrelationStore } from './memory-correlation-store';
import { HOUR, windowEvent } from './testing/window-events';

const record = (version: number): AlertRecord => ({
  state: { alertId: 'r:Z', version, status: 'FIRING', level: 'LOW', tlp: 'GREEN', evidence: [] },
  outbox: null,
});

describe('MemoryCorrelationStore', () => {
  it('commits only when every rule version is the one the batch read', async () => {
    const store = new MemoryCorrelationStore();
    await store.apply([{ zoneKey: 'Z', partition: 0, entries: [{ offset: 1, event: windowEvent('a', 1) }], horizonMs: HOUR }]);
    expect(await store.commit([{ zoneKey: 'Z', rules: [{ ruleId: 'r', expectedVersion: 0, record: record(1) }], evictBefore: 0 }])).toEqual([true]);
    // A zombie that read version 0 loses, and writes nothing (not even the other rule).
    const zombie = [{ ruleId: 'other', expectedVersion: 0, record: record(1) }, { ruleId: 'r', expectedVersion: 0, record: record(2) }];
    expect(await store.commit([{ zoneKey: 'Z', rules: zombie, evictBefore: 0 }])).toEqual([false]);
    const [snapshot] = await store.apply([{ zoneKey: 'Z', partition: 0, entries: [{ offset: 1, event: windowEvent('a', 1) }], horizonMs: HOUR }]);
    expect([...snapshot!.records.keys()]).toEqual(['r']);
    expect(snapshot!.records.get('r')?.state.version).toBe(1);
  });

  it('evicts on commit and returns copies, not its own objects', async () => {
    const store = new MemoryCorrelationStore();
    const entries = [{ offset: 1, event: windowEvent('a', 1) }, { offset: 2, event: windowEvent('b', 5) }];
    const [snapshot] = await store.apply([{ zoneKey: 'Z', partition: 0, entries, horizonMs: 10 * HOUR }]);
    (snapshot!.events as unknown[]).length = 0;
    expect(store.size('Z')).toBe(2);
    await store.commit([{ zoneKey: 'Z', rules: [], evictBefore: entries[1]!.event.occurredAt }]);
    expect(store.size('Z')).toBe(1);
  });
});
