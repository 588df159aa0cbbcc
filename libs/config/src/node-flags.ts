/**
 * The V8 flags every service process starts with, whatever launches it: the Dockerfile's
 * ENTRYPOINT (so Docker Compose and Kubernetes, whose containers only pass `args`) and the test
 * harness (libs/testing `startService`). test/ops/node-flags.unit.spec.ts checks each of them.
 *
 * --max-semi-space-size: V8 sizes the young generation from the machine's memory, not the
 * container's: 64 MB semi-spaces (128 MB of new space) on a 24 GB host, most of a service's RSS
 * under load. The young generation only has to hold one chunk of a batch (≤ 1,000 events) in
 * flight; 16 MB semi-spaces do, so the collector does not promote it early (smaller ones cost
 * more CPU in GC for little memory saved).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
