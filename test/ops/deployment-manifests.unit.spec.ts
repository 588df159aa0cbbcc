/**
 * The deployment files checked by real validators: the compose file against the Compose
 * Specification's JSON schema (as dclint ships it, with ajv), the Kubernetes manifests against the
 * Kubernetes OpenAPI schemas and the KEDA and Prometheus Operator CRD schemas (kubernetes-models),
 * and all of them against each other and the code (ports, jobs, topics, partitions, config names).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Namespace, ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { httpSpec, kafkaConnectionSpec, kafkaFetchSpec, logLevelSpec, type ConfigSpec } from '@vigie/config';
import { topicCatalogue } from '@vigie/contracts';
import { K8S_DIR, renderManifests, STAGES, type StageDeployment } from '../../deploy/k8s/manifests';
import { correlatorConfigSpec } from '../../services/correlator/src/correlator.config';
import { dispatcherConfigSpec } from '../../services/dispatcher/src/dispatcher.config';
import { enricherConfigSpec } from '../../services/enricher/src/enricher.config';
import { ingestConfigSpec } from '../../services/ingest/src/ingest.config';
import { readPrometheusConfig, ROOT } from './prometheus-server';

const COMPOSE_FILE = join(ROOT, 'deploy/compose/docker-compose.yml');

/** Every variable a stage's process reads, as runStageService composes them. */
const STAGE_SPECS: Record<StageDeployment['name'], ConfigSpec> = {
  ingest: ingestConfigSpec,
  enricher: enricherConfigSpec,
  correlator: correlatorConfigSpec,
  dispatcher: dispatcherConfigSpec,
};
const variablesOf = (stage: StageDeployment['name']): Set<string> =>
  new Set(Object.keys({ ...kafkaConnectionSpec, ...kafkaFetchSpec, ...httpSpec(0), ...logLevelSpec, ...STAGE_SPECS[stage] }));
/** The HTTP APIs, each usable only with the bearer tokens of this variable. */
const API_TOKENS: Partial<Record<StageDeployment['name'], string>> = { ingest: 'INGEST_FEED_TOKENS', dispatcher: 'CONTROL_API_TOKENS' };
/** The Compose Specification's schema, as the dclint linter ships it. */
const COMPOSE_SCHEMA = join(ROOT, 'node_modules/dclint/schemas/compose.schema.json');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };

/** The validating model of each kind the manifests use; an unknown kind fails the test. */
const MODELS: Record<string, new (doc: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'batch/v1/Job': Job,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
};

function readManifests(): Manifest[] {
  const { resources } = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  return resources.flatMap((file) => parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((d) => d.toJSON() as Manifest));
}

function readCompose(): { services: Record<string, any> } {
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as { services: Record<string, any> };
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    // Draft 7, named by an https URL where ajv registers the http one; `strict: false` for the
    // spec's own annotations ajv does not know.
    const schema = { ...JSON.parse(readFileSync(COMPOSE_SCHEMA, 'utf8')), $schema: 'http://json-schema.org/draft-07/schema#' };
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const valid = validate(readCompose());
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs the four stages from the repository Dockerfile, each scraped by Prometheus on its HTTP port', () => {
    const { services } = readCompose();
    const jobs = new Map(readPrometheusConfig().scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]));
    for (const stage of STAGES) {
      const service = services[stage.name];
      expect(service, stage.name).toBeDefined();
      expect(existsSync(resolve(dirname(COMPOSE_FILE), service.build.context, service.build.dockerfile))).toBe(true);
      expect(service.command).toEqual([`dist/services/${stage.name}/src/main.js`]);
      expect(service.environment.HTTP_PORT).toBe(String(stage.port));
      expect(service.healthcheck.test.join(' ')).toContain(`127.0.0.1:${stage.port}/health/ready`);
      expect(jobs.get(`vigie-${stage.name}`)).toEqual([`${stage.name}:${stage.port}`]);
    }
  });

  it('publishes the HTTP APIs with their token variables, so that they can be used', () => {
    const { services } = readCompose();
    for (const [stage, variable] of Object.entries(API_TOKENS)) {
      const port = STAGES.find((s) => s.name === stage)!.port;
      expect(services[stage].ports, stage).toContain(`127.0.0.1:${port}:${port}`);
      expect(services[stage].environment[variable], stage).toMatch(/^\$\{VIGIE_[A-Z_]+:-\}$/);
    }
  });

  it('mounts files that exist', () => {
    const { services } = readCompose();
    const mounts = Object.values(services).flatMap((s) => (s.volumes ?? []) as string[]).map((v) => v.split(':')[0]!).filter((source) => source.startsWith('.'));
    expect(mounts.length).toBeGreaterThan(0);
    for (const source of mounts) expect(existsSync(resolve(dirname(COMPOSE_FILE), source)), source).toBe(true);
  });
});

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('are committed as generated (run `npm run k8s:manifests` after changing deploy/k8s/manifests.ts)', () => {
    for (const [file, yaml] of Object.entries(renderManifests())) expect(readFileSync(join(K8S_DIR, file), 'utf8'), file).toBe(yaml);
  });

  it('are valid against the Kubernetes, KEDA and Prometheus Operator schemas', () => {
    const manifests = readManifests();
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect(Model, `no schema for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      expect(() => new Model!(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('give every stage probes, resources, a graceful stop, a disruption budget and a lag scaler capped at its partitions', () => {
    const manifests = readManifests();
    const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
    const partitions = new Map(topicCatalogue().map((t) => [t.name, t.partitions]));
    for (const stage of STAGES) {
      const name = `vigie-${stage.name}`;
      const pod = find('Deployment', name)!.spec.template.spec;
      const [container] = pod.containers;
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.ports).toEqual([{ name: 'http', containerPort: stage.port }]);
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
      // The stage drains for up to 25 s after SIGTERM (libs/nest-kafka), after a 5 s pre-stop pause.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(25 + 5 + 5);
      expect(pod.securityContext.runAsNonRoot).toBe(true);

      const budget = find('PodDisruptionBudget', name)!;
      expect(budget.spec.selector.matchLabels).toEqual(find('Deployment', name)!.spec.selector.matchLabels);

      const scaler = find('ScaledObject', name)!;
      expect(scaler.spec.scaleTargetRef.name).toBe(name);
      for (const trigger of scaler.spec.triggers) {
        expect(trigger.type).toBe('kafka');
        expect(trigger.metadata.consumerGroup).toBe(name);
        expect(trigger.metadata.allowIdleConsumers).toBe('false');
      }
      // A replica beyond the group's partitions would own none.
      const topics = scaler.spec.triggers.map((t: { metadata: { topic?: string } }) => t.metadata.topic).filter(Boolean) as string[];
      const groupPartitions = topics.length > 0 ? topics.reduce((sum, t) => sum + partitions.get(t)!, 0) : [...partitions].filter(([t]) => t.startsWith('feeds.')).reduce((sum, [, n]) => sum + n, 0);
      expect(scaler.spec.maxReplicaCount, name).toBeLessThanOrEqual(groupPartitions);
      expect(scaler.spec.maxReplicaCount, name).toBeGreaterThan(1);
    }
  });

  it('configure only variables the services know, with SASL and Redis credentials from the Secret', () => {
    const manifests = readManifests();
    // Parts the Deployment assembles into REDIS_URL.
    const parts = new Set(['REDIS_SCHEME', 'REDIS_ADDRESS', 'REDIS_PASSWORD']);
    const config = manifests.find((m) => m.kind === 'ConfigMap')!;
    const knownToSome = new Set(STAGES.flatMap((stage) => [...variablesOf(stage.name)]));
    for (const key of Object.keys(config.data!)) expect(knownToSome.has(key) || parts.has(key), key).toBe(true);
    for (const stage of STAGES) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === `vigie-${stage.name}`)!;
      const known = new Set([...variablesOf(stage.name), 'NODE_OPTIONS']);
      const env = deployment.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[];
      for (const { name } of env) expect(known.has(name) || parts.has(name), `${deployment.metadata.name}: ${name}`).toBe(true);
      for (const secret of ['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME']) expect(env.find((e) => e.name === secret)?.valueFrom?.secretKeyRef).toBeDefined();
      const redisUrl = env.find((e) => e.name === 'REDIS_URL');
      if (redisUrl) {
        expect(redisUrl.value).toContain('$(REDIS_PASSWORD)');
        // Kubernetes expands $(VAR) only from variables defined before it.
        expect(env.findIndex((e) => e.name === 'REDIS_PASSWORD')).toBeLessThan(env.indexOf(redisUrl));
      }
    }
  });

  it('make the HTTP APIs usable: a Service in front of each, its tokens from a key of the Secret', () => {
    const manifests = readManifests();
    const secret = manifests.find((m) => m.kind === 'Secret') as Manifest & { stringData: Record<string, string> };
    for (const [stage, variable] of Object.entries(API_TOKENS)) {
      const name = `vigie-${stage}`;
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name)!;
      const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === name);
      expect(service?.spec.selector, name).toEqual(deployment.spec.selector.matchLabels);
      expect(service?.spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['http']);
      const env = deployment.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
      const ref = env.find((e) => e.name === variable)?.valueFrom?.secretKeyRef;
      expect(ref?.name, `${name}: ${variable}`).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData)).toContain(ref?.key);
    }
  });

  it('give each service the Kafka client id vigie-<service> (KAFKA_CLIENT_ID is a prefix the service completes)', () => {
    const manifests = readManifests();
    const config = manifests.find((m) => m.kind === 'ConfigMap')!;
    for (const stage of STAGES) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === `vigie-${stage.name}`)!;
      const env = deployment.spec.template.spec.containers[0].env as { name: string; value?: string }[];
      const prefix = env.find((e) => e.name === 'KAFKA_CLIENT_ID')?.value ?? config.data!['KAFKA_CLIENT_ID'] ?? kafkaConnectionSpec.KAFKA_CLIENT_ID.defaultValue;
      // As runStageService builds it.
      expect(`${prefix}-${stage.name}`).toBe(`vigie-${stage.name}`);
    }
  });

  it('name Prometheus jobs as the compose configuration does, so rules and dashboards apply unchanged', () => {
    const monitor = readManifests().find((m) => m.kind === 'PodMonitor')!;
    const jobs = readManifests()
      .filter((m) => m.kind === 'Deployment')
      .map((d) => d.spec.template.metadata.labels[monitor.spec.jobLabel])
      .sort();
    const composeJobs = readPrometheusConfig().scrape_configs.map((j) => j.job_name).filter((j) => j.startsWith('vigie-')).sort();
    expect(jobs).toEqual(composeJobs);
  });
});

describe('Dockerfile', () => {
  it('copies every patched package (patches/) into the runtime image, as npm ci patches it outside Docker', () => {
    const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
    // patch-package's names: `<name>+<version>.patch`, `@scope+name+…` for scoped packages, `a++b+…`
    // for b nested in a; `.dev.patch` files patch dev dependencies, absent from the image.
    const patched = readdirSync(resolve(ROOT, 'patches'))
      .filter((file) => file.endsWith('.patch') && !file.endsWith('.dev.patch'))
      .map((file) => file.replace(/\+[^+]+\.patch$/, '').replace(/\+\+/g, '/node_modules/').replace(/\+/g, '/'));
    expect(patched).toContain('avsc');
    for (const name of patched) expect(dockerfile, name).toContain(`COPY --from=build /src/node_modules/${name} node_modules/${name}`);
  });
});
