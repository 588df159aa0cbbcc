import { AssignerProtocol, type Cluster, type GroupMember, type GroupMemberAssignment, type PartitionAssigner, type PartitionOffset } from 'kafkajs';
import { balancePartitions, type WeightedPartition } from './balance-partitions';

/** The protocol name members advertise; a group where one member lacks it falls back to round robin. */
export const LOAD_BALANCED_ASSIGNER = 'VigieLoadBalanced';
const VERSION = 0;

/**
 * A kafkajs partition assigner that balances what members will read rather than how many
 * partitions they hold (see balancePartitions). The group leader weighs each partition by its
 * backlog (end offset − the group's committed offset, or − its start when nothing is committed:
 * the members read from the beginning) plus its retained volume (end − start: its usual share of
 * the traffic). A rebuild from the start of the topics is then shared evenly, and so is the
 * steady flow. If the offsets cannot be read, partitions weigh the same: an even count, as round
 * robin gives.
 */
export const loadBalancedAssigner: PartitionAssigner = ({ cluster, groupId, logger }) => ({
  name: LOAD_BALANCED_ASSIGNER,
  version: VERSION,

  async assign({ members, topics }: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]> {
    const partitions = topics.flatMap((topic) => cluster.findTopicPartitionMetadata(topic).map((m) => ({ topic, partition: m.partitionId, weight: 0 })));
    const weighted = await weigh(cluster, groupId, partitions).catch((error: unknown) => {
      logger.warn('Partition weights unavailable; assigning an even count of partitions', { groupId, error: String(error) });
      return partitions;
    });
    const assignment = balancePartitions(
      members.map((m) => ({ memberId: m.memberId, topics: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? topics })),
      weighted,
    );
    return [...assignment].map(([memberId, byTopic]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: VERSION, assignment: Object.fromEntries(byTopic), userData: Buffer.alloc(0) }),
    }));
  },

  protocol({ topics }: { topics: string[] }) {
    return { name: LOAD_BALANCED_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.alloc(0) }) };
  },
});

/** Each partition's backlog plus its retained volume, in messages. */
async function weigh(cluster: Cluster, groupId: string, partitions: readonly WeightedPartition[]): Promise<WeightedPartition[]> {
  const byTopic = new Map<string, { partition: number }[]>();
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), { partition: p.partition }]);
  const request = [...byTopic].map(([topic, list]) => ({ topic, partitions: list }));
  const [ends, starts, committed] = await Promise.all([
    cluster.fetchTopicsOffset(request.map((r) => ({ ...r, fromBeginning: false }))),
    cluster.fetchTopicsOffset(request.map((r) => ({ ...r, fromBeginning: true }))),
    cluster.findGroupCoordinator({ groupId }).then((coordinator) => coordinator.offsetFetch({ groupId, topics: request as unknown as { topic: string; partitions: PartitionOffset[] }[] })),
  ]);
  const index = (offsets: readonly { topic: string; partitions: PartitionOffset[] }[]): Map<string, number> =>
    new Map(offsets.flatMap((t) => t.partitions.map((p) => [`${t.topic}/${p.partition}`, Number(p.offset)] as const)));
  const end = index(ends);
  const start = index(starts);
  const done = index(committed.responses);
  return partitions.map((p) => {
    const key = `${p.topic}/${p.partition}`;
    const high = end.get(key) ?? 0;
    const low = start.get(key) ?? 0;
    const at = done.get(key) ?? -1;
    const backlog = high - (at >= low ? at : low);
    return { ...p, weight: Math.max(0, backlog) + Math.max(0, high - low) };
  });
}
