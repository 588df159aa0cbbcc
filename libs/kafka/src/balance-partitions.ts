/** A partition to assign, and what its member will have to read. */
export interface WeightedPartition {
  readonly topic: string;
  readonly partition: number;
  /** Messages: its backlog plus its usual share of the traffic (see loadBalancedAssigner). */
  readonly weight: number;
}

/** A group member and the topics it subscribed to. */
export interface AssignableMember {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/** Member id → topic → partitions, in ascending order. */
export type PartitionAssignment = Map<string, Map<string, number[]>>;

/**
 * Assigns partitions so that members get about the same weight: the heaviest partition first,
 * each to the subscribed member with the least weight so far (then the fewest partitions, then the
 * first id), the longest-processing-time rule. Keying by zone makes partitions uneven (a
 * country's zone carries far more than a hotspot's), and an even count of partitions per member
 * then left one member with most of the work. Every partition goes to exactly one member
 * subscribed to its topic; one no member subscribed to goes to none.
 */
export function balancePartitions(members: readonly AssignableMember[], partitions: readonly WeightedPartition[]): PartitionAssignment {
  const sortedMembers = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const load = new Map(sortedMembers.map((m) => [m.memberId, { weight: 0, count: 0 }]));
  const assignment: PartitionAssignment = new Map(sortedMembers.map((m) => [m.memberId, new Map()]));
  const heaviestFirst = [...partitions].sort((a, b) => b.weight - a.weight || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition);
  for (const p of heaviestFirst) {
    let chosen: AssignableMember | undefined;
    for (const m of sortedMembers) {
      if (!m.topics.includes(p.topic)) continue;
      if (!chosen) {
        chosen = m;
        continue;
      }
      const mine = load.get(m.memberId)!;
      const best = load.get(chosen.memberId)!;
      if (mine.weight < best.weight || (mine.weight === best.weight && mine.count < best.count)) chosen = m;
    }
    if (!chosen) continue;
    const l = load.get(chosen.memberId)!;
    l.weight += Math.max(0, p.weight);
    l.count++;
    const topics = assignment.get(chosen.memberId)!;
    const list = topics.get(p.topic) ?? [];
    list.push(p.partition);
    topics.set(p.topic, list);
  }
  for (const topics of assignment.values()) for (const list of topics.values()) list.sort((a, b) => a - b);
  return assignment;
}
