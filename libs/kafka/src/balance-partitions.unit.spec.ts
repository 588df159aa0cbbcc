import { describe, expect, it } from 'vitest';
import { createPrng } from '@vigie/runtime';
import { balancePartitions, type AssignableMember, type PartitionAssignment, type WeightedPartition } from './balance-partitions';

const T = 'incidents.enriched';
const weighted = (weights: readonly number[], topic = T): WeightedPartition[] => weights.map((weight, partition) => ({ topic, partition, weight }));
const members = (...ids: string[]): AssignableMember[] => ids.map((memberId) => ({ memberId, topics: [T] }));
const plain = (a: PartitionAssignment): Record<string, Record<string, number[]>> => Object.fromEntries([...a].map(([m, t]) => [m, Object.fromEntries(t)]));

describe('balancePartitions', () => {
  it('gives the heaviest partition a member of its own when it weighs as much as the rest together', () => {
    // Round robin would give a partitions 0 and 2 (400) and b partitions 1 and 3 (200).
    expect(plain(balancePartitions(members('b', 'a'), weighted([300, 100, 100, 100])))).toEqual({ a: { [T]: [0] }, b: { [T]: [1, 2, 3] } });
  });

  it("shares a rebuild's skewed partitions about evenly (incidents.enriched on the bench machine, after several runs)", () => {
    const sizes = [1_373_172, 347_404, 724_702, 379_589, 986_906, 445_268];
    const loads = [...balancePartitions(members('a', 'b'), weighted(sizes)).values()].map((t) => (t.get(T) ?? []).reduce((s, p) => s + sizes[p]!, 0));
    expect(loads.sort((x, y) => x - y)).toEqual([2_091_197, 2_165_844]); // round robin: 1,172,261 and 3,084,780
  });

  it('gives members an even count of partitions when they weigh the same (an idle group)', () => {
    const assignment = balancePartitions(members('a', 'b', 'c'), weighted([0, 0, 0, 0, 0, 0, 0]));
    expect([...assignment.values()].map((t) => t.get(T)!.length)).toEqual([3, 2, 2]);
  });

  it('assigns a partition only to members subscribed to its topic, and none no member subscribed to', () => {
    const members: AssignableMember[] = [
      { memberId: 'a', topics: ['x', 'y'] },
      { memberId: 'b', topics: ['y'] },
    ];
    const assignment = balancePartitions(members, [...weighted([5, 5], 'x'), ...weighted([1, 1], 'y'), ...weighted([9], 'z')]);
    expect(plain(assignment)).toEqual({ a: { x: [0, 1] }, b: { y: [0, 1] } });
  });

  it('assigns every partition exactly once, and no member more than the heaviest partition above another (random groups)', () => {
    const random = createPrng(11).float;
    for (let round = 0; round < 200; round++) {
      const group = members(...Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => `m${i}`));
      const partitions = weighted(Array.from({ length: 1 + Math.floor(random() * 24) }, () => Math.floor(random() ** 3 * 1e6)));
      const assignment = balancePartitions(group, partitions);
      const assigned = [...assignment.values()].flatMap((t) => t.get(T) ?? []);
      expect(assigned.sort((x, y) => x - y)).toEqual(partitions.map((p) => p.partition));
      const loads = [...assignment.values()].map((t) => (t.get(T) ?? []).reduce((s, p) => s + partitions[p]!.weight, 0));
      const heaviest = Math.max(...partitions.map((p) => p.weight));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(heaviest);
    }
  });
});
