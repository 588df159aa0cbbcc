import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { SERVICE_NODE_FLAGS } from '@vigie/config';

export const SERVICES = ['ingest', 'enricher', 'correlator', 'dispatcher'] as const;
export type ServiceName = (typeof SERVICES)[number];

const ROOT = resolve(__dirname, '../../..');

export interface ServiceProcess {
  readonly name: string;
  readonly httpPort: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Where its stdout and stderr go. */
  readonly logPath: string;
  url(path: string): string;
}

export interface StartServiceOptions {
  readonly name: ServiceName;
  readonly httpPort: number;
  readonly env: Record<string, string>;
  /** Where stdout/stderr (JSON logs) go; one file per service. */
  readonly logDir: string;
  /** Instance suffix for the log file when several instances run. */
  readonly instance?: string;
  /** Node or V8 flags after production's (a benchmark's profiler or heap settings). */
  readonly nodeFlags?: readonly string[];
}

/**
 * How a service process runs: from the TypeScript sources (`node -r tools/register.js …/main.ts`,
 * no build needed), or, with VIGIE_SERVICE_RUNTIME=dist, from `npm run build`'s output as in
 * production (`node dist/services/<name>/src/main.js`: no compiler in memory). Both with the V8
 * flags of production (SERVICE_NODE_FLAGS), then `nodeFlags` (some, such as `--cpu-prof`, Node
 * refuses in NODE_OPTIONS).
 */
export function serviceCommand(name: ServiceName, nodeFlags: readonly string[] = []): string[] {
  const flags = [...SERVICE_NODE_FLAGS, ...nodeFlags];
  return process.env.VIGIE_SERVICE_RUNTIME === 'dist'
    ? [...flags, join(ROOT, `dist/services/${name}/src/main.js`)]
    : [...flags, '-r', join(ROOT, 'tools/register.js'), join(ROOT, `services/${name}/src/main.ts`)];
}

/** Starts one service as its own process. */
export function startService(options: StartServiceOptions): ServiceProcess {
  mkdirSync(options.logDir, { recursive: true });
  const logPath = join(options.logDir, `${options.name}${options.instance ? `-${options.instance}` : ''}.log`);
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(process.execPath, serviceCommand(options.name, options.nodeFlags), {
    cwd: ROOT,
    env: { ...process.env, ...options.env, HTTP_PORT: String(options.httpPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { name: options.name, httpPort: options.httpPort, child, exited, logPath, url: (path) => `http://127.0.0.1:${options.httpPort}${path}` };
}

/** Polls /health/ready until the service reports ready (consumer group joined, Redis reachable). */
export async function waitUntilReady(service: ServiceProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void service.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${service.name} exited with code ${exitCode} before becoming ready (see its log)`);
    try {
      const response = await fetch(service.url('/health/ready'));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs} ms (see its log)`);
}

/**
 * SIGTERM, then wait for a graceful exit; SIGKILL only if it overruns. Returns the exit code. A
 * process still there at a third of the timeout has its threads' stacks written beside its log
 * (`<log>.hang-<pid>.txt`) and on stderr, so that a rare hang can be explained after the fact.
 */
export async function stopService(service: ServiceProcess, timeoutMs = 30_000): Promise<number | null> {
  if (service.child.exitCode !== null) return service.child.exitCode;
  const pid = service.child.pid;
  service.child.kill('SIGTERM');
  let recording: Promise<void> | undefined;
  const diagnose = setTimeout(() => {
    if (pid !== undefined) recording = recordHang(pid, `${service.logPath}.hang-${pid}.txt`, timeoutMs / 2);
  }, timeoutMs / 3);
  const kill = setTimeout(() => service.child.kill('SIGKILL'), timeoutMs);
  try {
    return await service.exited;
  } finally {
    clearTimeout(diagnose);
    clearTimeout(kill);
    await recording;
  }
}

/** Each thread's state from /proc, then every thread's native stack from gdb where it can attach. */
async function recordHang(pid: number, path: string, gdbTimeoutMs: number): Promise<void> {
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  let threads: string;
  try {
    threads = readdirSync(`/proc/${pid}/task`)
      .map((tid) => `${tid} ${read(`/proc/${pid}/task/${tid}/comm`)} state=${read(`/proc/${pid}/task/${tid}/stat`).split(') ')[1]?.split(' ')[0]} wchan=${read(`/proc/${pid}/task/${tid}/wchan`)}`)
      .join('\n');
  } catch (error) {
    threads = `threads unreadable: ${String(error)}`;
  }
  const stacks = await new Promise<string>((done) =>
    execFile('gdb', ['-p', String(pid), '-batch', '-ex', 'thread apply all bt'], { timeout: gdbTimeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      done(error ? `gdb: ${String(error)}\n${stderr}\n${stdout}` : stdout),
    ),
  );
  const record = `${new Date().toISOString()} pid ${pid} still running after SIGTERM\n\n${threads}\n\n${stacks}`;
  try {
    writeFileSync(path, record);
  } catch {
    // The log's folder is gone: stderr still has it.
  }
  // Also in the test output, which a CI run keeps when its checkout is gone.
  process.stderr.write(`${path}:\n${record}\n`);
}

export interface Pipeline {
  readonly services: ServiceProcess[];
  stop(): Promise<(number | null)[]>;
}

/** A TCP port that was free a moment ago, so that parallel runs on one machine do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the four services (on free HTTP ports unless `basePort` is given) and waits until each is
 * ready. A service named twice in `services` runs as several instances of its consumer group.
 */
export async function startPipeline(options: {
  env: Record<string, string>;
  logDir: string;
  basePort?: number;
  services?: readonly ServiceName[];
  nodeFlags?: readonly string[];
}): Promise<Pipeline> {
  const names = options.services ?? SERVICES;
  const ports = options.basePort === undefined ? await Promise.all(names.map(() => freePort())) : names.map((_, i) => (options.basePort as number) + i);
  const instanceOf = (i: number): string | undefined => {
    const before = names.slice(0, i).filter((n) => n === names[i]).length;
    return before > 0 ? String(before + 1) : undefined;
  };
  const services = names.map((name, i) => startService({ name, httpPort: ports[i] as number, env: options.env, logDir: options.logDir, instance: instanceOf(i), nodeFlags: options.nodeFlags }));
  const pipeline: Pipeline = {
    services,
    // Upstream first, so that each stage drains what the previous one already produced.
    stop: async () => {
      const codes: (number | null)[] = [];
      for (const service of services) codes.push(await stopService(service));
      return codes;
    },
  };
  try {
    await Promise.all(services.map((s) => waitUntilReady(s)));
  } catch (error) {
    await pipeline.stop();
    throw error;
  }
  return pipeline;
}
