import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MERX_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/merx.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs `merx <args>` to completion, echoing and returning its output; rejects on a non-zero exit. */
export function runMerx(args: string[], env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MERX_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`merx ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Resident and peak-resident memory of a process, from /proc (Linux). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Current RSS and the kernel's high-water mark (VmHWM: peak RSS since start); null off Linux. */
  memory(): { rssMb: number; peakMb: number } | null;
  stop(): Promise<void>;
}

/**
 * Starts `merx start --no-seed` on 127.0.0.1 and a free port and waits for /ready.
 * Request logging is off (LOG_LEVEL=warn) and the per-key rate limit raised: both would
 * otherwise measure the logger and the limiter rather than the engine.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { readyTimeoutMs: number; workers?: number },
): Promise<ServerProcess> {
  const port = await freePort();
  // MERX_BENCH_CPU_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops.
  const profileDir = process.env.MERX_BENCH_CPU_PROFILE;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, MERX_BIN, 'start', '--no-seed', '--workers', String(options.workers ?? 1)],
    {
      env: {
        ...process.env,
        ...env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        MERX_RATE_LIMIT_PER_MINUTE: '100000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start (exit ${child.exitCode})`);
    try {
      const response = await fetch(`${baseUrl}/ready`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within ${options.readyTimeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    child,
    baseUrl,
    memory: () => (child.pid ? memoryOf(child.pid) : null),
    stop,
  };
}
