/**
 * A real Prometheus for test/ops: Debian's package, installed by deploy/prometheus/ensure-prometheus.sh
 * when missing, run on a free port with a configuration derived from deploy/prometheus/prometheus.yml
 * (same jobs and rule files; targets replaced by the test's services, 1 s intervals).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '@vigie/testing';

export const ROOT = resolve(__dirname, '../..');
export const PROMETHEUS_DIR = join(ROOT, 'deploy/prometheus');
export const PROMETHEUS_CONFIG = join(PROMETHEUS_DIR, 'prometheus.yml');

/** Installs Prometheus when missing; the path of the binary, or why it cannot be had. */
export function ensurePrometheus(): { binary: string } | { unavailable: string } {
  const result = spawnSync('bash', [join(PROMETHEUS_DIR, 'ensure-prometheus.sh')], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (result.status === 0) return { binary: result.stdout.trim() };
  return { unavailable: `Prometheus is not installed and could not be (${result.stderr.trim().split('\n').at(-1) ?? `exit ${result.status}`})` };
}

export interface ScrapeConfig {
  job_name: string;
  static_configs: { targets: string[] }[];
}

export interface PrometheusConfig {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

export function readPrometheusConfig(): PrometheusConfig {
  return parse(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as PrometheusConfig;
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export class PrometheusServer {
  private constructor(private readonly child: ChildProcess, readonly url: string) {}

  /** Starts Prometheus with the shipped configuration, each `vigie-<service>` job pointed at `targets[service]`. */
  static async start(binary: string, targets: Record<string, string>, dir: string): Promise<PrometheusServer> {
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const config = readPrometheusConfig();
    config.global = { ...config.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' };
    config.rule_files = config.rule_files.map((file) => join(PROMETHEUS_DIR, file));
    for (const job of config.scrape_configs) {
      const service = job.job_name.replace(/^vigie-/, '');
      const target = job.job_name === 'prometheus' ? `127.0.0.1:${port}` : targets[service];
      if (!target) throw new Error(`no test target for job ${job.job_name}`);
      job.static_configs = [{ targets: [target] }];
    }
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, stringify(config));
    const child = spawn(binary, [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`);
    await server.waitReady();
    return server;
  }

  private async waitReady(): Promise<void> {
    for (let attempt = 0; attempt < 120; attempt++) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with code ${this.child.exitCode}`);
      const ok = await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('prometheus did not become ready within 30 s');
  }

  /** An instant query now; throws on a PromQL error (a typo in a rule is a failure, not "no data"). */
  async query(expr: string): Promise<PromSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] | [number, string] } };
    if (body.status !== 'success') throw new Error(`query failed: ${expr}: ${body.error}`);
    const { resultType, result } = body.data!;
    return resultType === 'scalar' ? [{ metric: {}, value: result as [number, string] }] : (result as PromSample[]);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Runs promtool; its output, and whether it passed. */
export function promtool(...args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export interface RuleDefinition {
  readonly name: string;
  readonly kind: 'alert' | 'record';
  readonly expr: string;
}

/** The alerting and recording rules of deploy/prometheus/rules/*.yml. */
export function readRules(): RuleDefinition[] {
  return readPrometheusConfig().rule_files.flatMap((pattern) => {
    const dir = join(PROMETHEUS_DIR, pattern.slice(0, pattern.lastIndexOf('/')));
    const suffix = pattern.slice(pattern.lastIndexOf('*') + 1);
    return readdirSync(dir)
      .filter((file) => file.endsWith(suffix))
      .flatMap((file) => {
        const { groups } = parse(readFileSync(join(dir, file), 'utf8')) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
        return groups.flatMap((g) => g.rules.map((r) => ({ name: (r.alert ?? r.record)!, kind: r.alert ? ('alert' as const) : ('record' as const), expr: r.expr })));
      });
  });
}
