import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until';

describe('waitUntil', () => {
  it('returns once the condition holds, checking again until then (async conditions too)', async () => {
    let checks = 0;
    await waitUntil(async () => ++checks === 3, 'the third check', { intervalMs: 1 });
    expect(checks).toBe(3);
  });

  it('says what it waited for when the time is up', async () => {
    await expect(waitUntil(() => false, 'a condition that never holds', { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow('timed out waiting for a condition that never holds');
  });
});
