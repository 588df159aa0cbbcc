/**
 * Every way of running a service starts Node with SERVICE_NODE_FLAGS (libs/config): the image's
 * ENTRYPOINT, which Compose and Kubernetes keep (they pass only the script), and the test harness.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '@vigie/config';
import { SERVICES, serviceCommand } from '@vigie/testing';
import { K8S_DIR, STAGES } from '../../deploy/k8s/manifests';
import { ROOT } from './prometheus-server';

/** The exec-form ENTRYPOINT of the Dockerfile's last stage (the runtime image). */
function runtimeEntrypoint(): string[] {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const lines = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).split('\n');
  const entrypoints = lines.filter((line) => line.startsWith('ENTRYPOINT '));
  expect(entrypoints).toHaveLength(1);
  return JSON.parse(entrypoints[0]!.slice('ENTRYPOINT '.length)) as string[];
}

describe('service Node flags', () => {
  const runtime = process.env.VIGIE_SERVICE_RUNTIME;
  afterEach(() => {
    if (runtime === undefined) delete process.env.VIGIE_SERVICE_RUNTIME;
    else process.env.VIGIE_SERVICE_RUNTIME = runtime;
  });

  it('are a non-empty list of V8 flags', () => {
    expect(SERVICE_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of SERVICE_NODE_FLAGS) expect(flag).toMatch(/^--[a-z-]+=\d+$/);
  });

  it('are on the runtime image’s node command line', () => {
    const [command, ...args] = runtimeEntrypoint();
    expect(command).toBe('node');
    expect(args).toEqual(expect.arrayContaining([...SERVICE_NODE_FLAGS]));
  });

  it('are kept by Compose: stages pass a script, not an entrypoint of their own', () => {
    const { services } = parse(readFileSync(join(ROOT, 'deploy/compose/docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { entrypoint?: unknown; command?: string[] }> };
    for (const stage of STAGES) {
      expect(services[stage.name]?.entrypoint, stage.name).toBeUndefined();
      expect(services[stage.name]?.command, stage.name).toEqual([`dist/services/${stage.name}/src/main.js`]);
    }
  });

  it('are kept by Kubernetes: containers pass args, no command, and NODE_OPTIONS does not override them', () => {
    const { resources } = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const deployments = resources
      .flatMap((file) => parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((d) => d.toJSON() as { kind: string; spec: any }))
      .filter((m) => m.kind === 'Deployment');
    expect(deployments).toHaveLength(STAGES.length);
    const flagNames = SERVICE_NODE_FLAGS.map((flag) => flag.split('=')[0]!);
    for (const deployment of deployments) {
      const [container] = deployment.spec.template.spec.containers;
      expect(container.command).toBeUndefined();
      expect(container.args).toHaveLength(1);
      const nodeOptions = (container.env as { name: string; value?: string }[]).find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
      for (const name of flagNames) expect(nodeOptions).not.toContain(name);
    }
  });

  it('are passed by the test harness, from the sources and from dist', () => {
    for (const mode of [undefined, 'dist']) {
      if (mode === undefined) delete process.env.VIGIE_SERVICE_RUNTIME;
      else process.env.VIGIE_SERVICE_RUNTIME = mode;
      for (const name of SERVICES) expect(serviceCommand(name).slice(0, SERVICE_NODE_FLAGS.length), `${name} ${mode ?? 'sources'}`).toEqual([...SERVICE_NODE_FLAGS]);
    }
  });
});
