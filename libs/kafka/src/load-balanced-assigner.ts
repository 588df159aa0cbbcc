import { AssignerProtocol, type Cluster, type GroupMember, type GroupMemberAssignment, type PartitionAssigner, type PartitionOffset } from 'kafkajs';
import { balancePartitions, type AssignableMember, type WeightedPartition } from './balance-partitions';

/** The protocol name members advertise; a group where one member lacks it falls back to round robin. */
export const LOAD_BALANCED_ASSIGNER = 'VigieLoadBalanced';
const VERSION = 0;

export interface LoadBalancedAssignerOptions {
  /** Where the group's members start a partition nothing was committed for: its start, or its end. */
  readonly fromBeginning: boolean;
}

/**
 * A kafkajs partition assigner that balances what members will read rather than how many
 * partitions they hold (see balancePartitions). The group leader weighs each partition by its
 * backlog (end offset − the group's committed offset; with nothing committed, from where members
 * start) plus its retained volume (end − start: its usual share of the traffic). A rebuild from
 * the start of the topics is then shared evenly, and so is the steady flow. Each member gets only
 * topics it subscribed to, whichever member leads. If the offsets cannot be read, partitions weigh
 * the same: an even count, as round robin gives.
 */
export const loadBalancedAssigner =
  (options: LoadBalancedAssignerOptions): PartitionAssigner =>
  ({ cluster, groupId, logger }) => ({
    name: LOAD_BALANCED_ASSIGNER,
    version: VERSION,

    async assign({ members, topics }: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]> {
      const subscribed: AssignableMember[] = members.map((m) => ({ memberId: m.memberId, topics: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [] }));
      // kafkajs passes the leader's topics: those only other members read need their metadata too.
      const others = [...new Set(subscribed.flatMap((m) => m.topics))].filter((t) => !topics.includes(t));
      if (others.length > 0) await cluster.addMultipleTargetTopics(others);
      const partitions = [...topics, ...others].flatMap((topic) => cluster.findTopicPartitionMetadata(topic).map((m) => ({ topic, partition: m.partitionId, weight: 0 })));
      const weighted = await weigh(cluster, groupId, partitions, options).catch((error: unknown) => {
        logger.warn('Partition weights unavailable; assigning an even count of partitions', { groupId, error: String(error) });
        return partitions;
      });
      return [...balancePartitions(subscribed, weighted)].map(([memberId, byTopic]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: VERSION, assignment: Object.fromEntries(byTopic), userData: Buffer.alloc(0) }),
      }));
    },

    protocol({ topics }: { topics: string[] }) {
      return { name: LOAD_BALANCED_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.alloc(0) }) };
    },
  });

/** Each partition's backlog plus its retained volume, in messages. */
async function weigh(cluster: Cluster, groupId: string, partitions: readonly WeightedPartition[], options: LoadBalancedAssignerOptions): Promise<WeightedPartition[]> {
  const byTopic = new Map<string, { partition: number }[]>();
  for (const p of partitions) {
    const list = byTopic.get(p.topic) ?? [];
    list.push({ partition: p.partition });
    byTopic.set(p.topic, list);
  }
  const request = [...byTopic].map(([topic, list]) => ({ topic, partitions: list }));
  const [ends, starts, committedOffsets] = await Promise.all([
    cluster.fetchTopicsOffset(request.map((r) => ({ ...r, fromBeginning: false }))),
    cluster.fetchTopicsOffset(request.map((r) => ({ ...r, fromBeginning: true }))),
    cluster.findGroupCoordinator({ groupId }).then((coordinator) => coordinator.offsetFetch({ groupId, topics: request as unknown as { topic: string; partitions: PartitionOffset[] }[] })),
  ]);
  const index = (offsets: readonly { topic: string; partitions: PartitionOffset[] }[]): Map<string, number> =>
    new Map(offsets.flatMap((t) => t.partitions.map((p) => [`${t.topic}/${p.partition}`, Number(p.offset)] as const)).filter(([, offset]) => Number.isFinite(offset)));
  const end = index(ends);
  const start = index(starts);
  const committed = index(committedOffsets.responses);
  return partitions.map((p) => {
    const key = `${p.topic}/${p.partition}`;
    const high = end.get(key) ?? 0;
    const low = Math.min(start.get(key) ?? 0, high);
    const committedAt = committed.get(key) ?? -1;
    const readFrom = committedAt >= low ? committedAt : options.fromBeginning ? low : high;
    return { ...p, weight: Math.max(0, high - readFrom) + (high - low) };
  });
}
