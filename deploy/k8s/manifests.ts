/**
 * The Kubernetes manifests of Vigie, as code: one template for the four stage services, sized and
 * capped from the topic catalogue (a stage never scales past its input's partitions). `npm run
 * k8s:manifests` writes deploy/k8s/*.yaml (apply with `kubectl apply -k deploy/k8s`); test/ops
 * checks that they are up to date and valid against the Kubernetes and KEDA schemas.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FEED_TOPIC_PATTERN, TOPICS, topicCatalogue } from '@vigie/contracts';

export const NAMESPACE = 'vigie';
export const IMAGE = 'registry.example.org/vigie:0.1.0';
/** The shutdown deadline of libs/nest-kafka's stage service (25 s) plus the pre-stop pause and a margin. */
export const TERMINATION_GRACE_SECONDS = 40;
/** Ingest reads every feed topic (17 × 3 partitions); more replicas than this buys nothing at feed volumes. */
const INGEST_MAX_REPLICAS = 6;
/** Lag per replica above which KEDA adds one. */
const LAG_THRESHOLD = '100';

export interface StageDeployment {
  readonly name: 'ingest' | 'enricher' | 'correlator' | 'dispatcher';
  readonly port: number;
  /** Topics the stage's consumer group reads; a pattern for ingest. */
  readonly inputs: readonly string[] | RegExp;
  readonly redis: boolean;
  readonly memoryMi: { readonly request: number; readonly limit: number };
  /** Serves an HTTP API beyond /metrics and /health (ingest's feeds, the dispatcher's control API): a Service in front of it. */
  readonly httpService?: boolean;
  /** Variables read from the `vigie-credentials` Secret, by key; optional, as the services run without them (the API refuses requests). */
  readonly secrets?: readonly { readonly variable: string; readonly key: string }[];
  /** How long start-up may take before the pod is restarted (default: a minute). */
  readonly startupSeconds?: number;
}

export const STAGES: readonly StageDeployment[] = [
  {
    name: 'ingest',
    port: 8081,
    inputs: FEED_TOPIC_PATTERN,
    redis: true,
    memoryMi: { request: 192, limit: 512 },
    httpService: true,
    secrets: [{ variable: 'INGEST_FEED_TOKENS', key: 'ingest-feed-tokens' }],
  },
  { name: 'enricher', port: 8082, inputs: [TOPICS.validated], redis: true, memoryMi: { request: 384, limit: 768 } },
  // The correlator holds its zones' incidents: ~500 MB RSS at 78,000 held (a 10-minute bench soak at 2,000/s).
  { name: 'correlator', port: 8083, inputs: [TOPICS.enriched], redis: true, memoryMi: { request: 512, limit: 768 } },
  // After a loss of Redis, the dispatcher restores its delivery ledger from the agency topics before
  // it serves: half a million deliveries in under 10 s on the bench machine, millions within 5 minutes.
  {
    name: 'dispatcher',
    port: 8084,
    inputs: [TOPICS.regionalAlerts, TOPICS.releasedAlerts],
    redis: true,
    memoryMi: { request: 192, limit: 512 },
    startupSeconds: 300,
    httpService: true,
    secrets: [{ variable: 'CONTROL_API_TOKENS', key: 'control-api-tokens' }],
  },
];

const partitionsOf = (topic: string): number => {
  const spec = topicCatalogue().find((t) => t.name === topic);
  if (!spec) throw new Error(`topic ${topic} is not in the catalogue`);
  return spec.partitions;
};

/** KEDA never runs more replicas than this: idle consumers would hold no partition. */
export function maxReplicas(stage: StageDeployment): number {
  return stage.inputs instanceof RegExp ? INGEST_MAX_REPLICAS : Math.max(...stage.inputs.map(partitionsOf));
}

const labels = (stage: StageDeployment) => ({
  'app.kubernetes.io/name': `vigie-${stage.name}`,
  'app.kubernetes.io/component': stage.name,
  'app.kubernetes.io/part-of': 'vigie',
});
const selector = (stage: StageDeployment) => ({ 'app.kubernetes.io/name': `vigie-${stage.name}` });

function deployment(stage: StageDeployment): object {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `vigie-${stage.name}`, namespace: NAMESPACE, labels: labels(stage) },
    spec: {
      // KEDA owns the replica count (ScaledObject below); this is the count before it acts.
      replicas: 1,
      selector: { matchLabels: selector(stage) },
      // One new consumer at a time: each arrival or departure rebalances the group.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: labels(stage) },
        spec: {
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: stage.name,
              image: IMAGE,
              args: [`dist/services/${stage.name}/src/main.js`],
              ports: [{ name: 'http', containerPort: stage.port }],
              envFrom: [{ configMapRef: { name: 'vigie-config' } }],
              env: [
                { name: 'HTTP_PORT', value: String(stage.port) },
                // Leaves V8 a quarter of the container's memory for buffers and native code.
                { name: 'NODE_OPTIONS', value: `--max-old-space-size=${Math.floor(stage.memoryMi.limit * 0.75)}` },
                { name: 'KAFKA_SASL_USERNAME', valueFrom: { secretKeyRef: { name: 'vigie-credentials', key: 'kafka-sasl-username' } } },
                { name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'vigie-credentials', key: 'kafka-sasl-password' } } },
                ...(stage.redis
                  ? [
                      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'vigie-credentials', key: 'redis-password' } } },
                      // $(…) expands variables defined before: the password stays in the Secret.
                      { name: 'REDIS_URL', value: '$(REDIS_SCHEME)://:$(REDIS_PASSWORD)@$(REDIS_ADDRESS)' },
                    ]
                  : []),
                ...(stage.secrets ?? []).map(({ variable, key }) => ({
                  name: variable,
                  valueFrom: { secretKeyRef: { name: 'vigie-credentials', key, optional: true } },
                })),
              ],
              resources: {
                requests: { cpu: '100m', memory: `${stage.memoryMi.request}Mi` },
                limits: { cpu: '1', memory: `${stage.memoryMi.limit}Mi` },
              },
              // Start-up reads the geographic reference and joins the group: up to a minute.
              startupProbe: probe('/health/live', 2, Math.ceil((stage.startupSeconds ?? 60) / 2)),
              livenessProbe: probe('/health/live', 10, 3),
              // Not ready while the group rebalances, Redis is unreachable, or shutdown has begun.
              readinessProbe: probe('/health/ready', 5, 2),
              // SIGTERM turns readiness off at once; the pause lets endpoints and load balancers
              // notice before the drain (which commits and leaves the group) begins.
              lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function disruptionBudget(stage: StageDeployment): object {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `vigie-${stage.name}`, namespace: NAMESPACE, labels: labels(stage) },
    // One voluntary eviction at a time (a drained node), never blocking a drain of a single replica.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector(stage) } },
  };
}

function scaledObject(stage: StageDeployment): object {
  const trigger = (topic?: string) => ({
    type: 'kafka',
    authenticationRef: { name: 'vigie-kafka' },
    metadata: {
      // Read from the Deployment's container (its ConfigMap), so brokers are configured once.
      bootstrapServersFromEnv: 'KAFKA_BROKERS',
      consumerGroup: `vigie-${stage.name}`,
      // Without a topic KEDA sums the lag of every topic the group has committed offsets on.
      ...(topic ? { topic } : {}),
      lagThreshold: LAG_THRESHOLD,
      // No replica beyond the partitions with something to read.
      allowIdleConsumers: 'false',
      offsetResetPolicy: 'earliest',
    },
  });
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: `vigie-${stage.name}`, namespace: NAMESPACE, labels: labels(stage) },
    spec: {
      scaleTargetRef: { name: `vigie-${stage.name}` },
      minReplicaCount: 1,
      maxReplicaCount: maxReplicas(stage),
      pollingInterval: 15,
      // Scale in slowly: every replica removed rebalances the group.
      cooldownPeriod: 300,
      triggers: stage.inputs instanceof RegExp ? [trigger()] : stage.inputs.map((topic) => trigger(topic)),
    },
  };
}

function httpService(stage: StageDeployment): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `vigie-${stage.name}`, namespace: NAMESPACE, labels: labels(stage) },
    spec: { selector: selector(stage), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'vigie' } } };

/** Where Vigie finds Kafka and Redis: edit for your cluster (see deploy/README.md). */
const config = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vigie-config', namespace: NAMESPACE },
  data: {
    KAFKA_BROKERS: 'kafka-0.kafka:9093,kafka-1.kafka:9093,kafka-2.kafka:9093',
    KAFKA_SSL: 'true',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    // A prefix: each service appends its name (vigie-ingest, …).
    KAFKA_CLIENT_ID: 'vigie',
    REDIS_SCHEME: 'rediss',
    REDIS_ADDRESS: 'redis-master.redis:6379',
    REDIS_KEY_PREFIX: 'vigie:',
    LOG_LEVEL: 'info',
  },
};

/** Placeholders: create the real Secret out of band (sealed-secrets, external-secrets, kubectl). */
const credentials = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'vigie-credentials', namespace: NAMESPACE },
  type: 'Opaque',
  stringData: {
    'kafka-sasl-username': 'vigie',
    'kafka-sasl-password': 'change-me',
    // Goes into REDIS_URL as it is: URL-encode it (see deploy/README.md).
    'redis-password': 'change-me',
    // Bearer tokens of the HTTP APIs, name=token pairs: feedId=token for ingest, operator=token for
    // the dispatcher's control API. Empty (no well-known token opens them): ingest refuses HTTP
    // feeds, the control API answers 503.
    'ingest-feed-tokens': '',
    'control-api-tokens': '',
    // KEDA's own names for the same connection (its Kafka scaler reads them).
    'keda-sasl': 'scram_sha512',
    'keda-tls': 'enable',
  },
};

const kedaAuthentication = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: { name: 'vigie-kafka', namespace: NAMESPACE },
  spec: {
    secretTargetRef: [
      { parameter: 'sasl', name: 'vigie-credentials', key: 'keda-sasl' },
      { parameter: 'username', name: 'vigie-credentials', key: 'kafka-sasl-username' },
      { parameter: 'password', name: 'vigie-credentials', key: 'kafka-sasl-password' },
      { parameter: 'tls', name: 'vigie-credentials', key: 'keda-tls' },
    ],
  },
};

/** Prometheus Operator: scrapes every Vigie pod, job = vigie-<service> as in deploy/prometheus/prometheus.yml. */
const podMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'vigie', namespace: NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'vigie' } },
  spec: {
    jobLabel: 'app.kubernetes.io/name',
    selector: { matchLabels: { 'app.kubernetes.io/part-of': 'vigie' } },
    podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
  },
};

/** Creates the topic catalogue; runs the image's build stage (`docker build --target build`), which has the tools. */
const topicsJob = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'vigie-topics', namespace: NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'vigie', 'app.kubernetes.io/component': 'topics' } },
  spec: {
    backoffLimit: 3,
    ttlSecondsAfterFinished: 3600,
    template: {
      spec: {
        restartPolicy: 'OnFailure',
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'topics',
            image: 'registry.example.org/vigie-tools:0.1.0',
            args: ['node', '-r', './tools/register.js', 'tools/topics-create.ts'],
            envFrom: [{ configMapRef: { name: 'vigie-config' } }],
            env: [
              { name: 'KAFKA_REPLICATION_FACTOR', value: '3' },
              { name: 'KAFKA_SASL_USERNAME', valueFrom: { secretKeyRef: { name: 'vigie-credentials', key: 'kafka-sasl-username' } } },
              { name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'vigie-credentials', key: 'kafka-sasl-password' } } },
            ],
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  },
};

export const K8S_DIR = __dirname;

/** File name → YAML documents. */
export function manifestFiles(): Record<string, readonly object[]> {
  const files: Record<string, readonly object[]> = {
    'namespace.yaml': [namespace],
    'config.yaml': [config, credentials],
    'keda-authentication.yaml': [kedaAuthentication],
    'podmonitor.yaml': [podMonitor],
    'topics-job.yaml': [topicsJob],
  };
  for (const stage of STAGES) {
    files[`${stage.name}.yaml`] = [deployment(stage), disruptionBudget(stage), scaledObject(stage), ...(stage.httpService ? [httpService(stage)] : [])];
  }
  return files;
}

const HEADER = '# Generated by deploy/k8s/manifests.ts (npm run k8s:manifests): edit that file, not this one.\n';

/** The files as written and as checked by the tests, kustomization.yaml included. */
export function renderManifests(): Record<string, string> {
  const files = manifestFiles();
  const rendered = Object.fromEntries(Object.entries(files).map(([file, docs]) => [file, HEADER + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')]));
  rendered['kustomization.yaml'] = HEADER + stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: NAMESPACE, resources: Object.keys(files) });
  return rendered;
}

if (require.main === module) {
  mkdirSync(K8S_DIR, { recursive: true });
  for (const [file, yaml] of Object.entries(renderManifests())) {
    writeFileSync(join(K8S_DIR, file), yaml);
    process.stdout.write(`wrote deploy/k8s/${file}\n`);
  }
}
