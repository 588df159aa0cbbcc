import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopService, type ServiceProcess } from './pipeline-processes';

/** A process that ignores SIGTERM, wrapped as the harness wraps a service. */
function stubbornProcess(logDir: string): ServiceProcess {
  const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('up')"], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { name: 'stubborn', httpPort: 0, child, exited, logPath: join(logDir, 'stubborn.log'), url: () => '' };
}

describe('stopService', () => {
  it('kills a process that overruns its graceful stop, after writing its threads beside its log', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'vigie-stop-'));
    const service = stubbornProcess(logDir);
    await new Promise((started) => service.child.stdout?.once('data', started));

    expect(await stopService(service, 3_000)).toBeNull();

    const hang = readdirSync(logDir).find((file) => file.startsWith('stubborn.log.hang-'));
    expect(hang).toBe(`stubborn.log.hang-${service.child.pid}.txt`);
    const record = readFileSync(join(logDir, hang!), 'utf8');
    expect(record).toContain(`pid ${service.child.pid} still running after SIGTERM`);
    expect(record).toMatch(new RegExp(`^${service.child.pid} \\S+ state=\\S`, 'm'));
    rmSync(logDir, { recursive: true });
  });

  it('writes nothing for a process that stops in time', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'vigie-stop-'));
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const service: ServiceProcess = { name: 'prompt', httpPort: 0, child, exited, logPath: join(logDir, 'prompt.log'), url: () => '' };
    expect(await stopService(service, 3_000)).toBeNull(); // killed by SIGTERM's default action: no exit code
    expect(readdirSync(logDir)).toEqual([]);
    rmSync(logDir, { recursive: true });
  });
});
