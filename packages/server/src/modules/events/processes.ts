import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../bench/lib/server-process.js';

const MERX_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/merx.js');

export interface MerxProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * `merx <args>` as a child process on 127.0.0.1 (multi-node, crash and cluster proofs, the
 * SSE bench), resolved once `/ready` answers. `port` pins the port (a restart on the same one).
 */
export async function spawnMerx(
  args: string[],
  env: Record<string, string>,
  options: { port?: number; readyTimeoutMs?: number } = {},
): Promise<MerxProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [MERX_BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = () => child.exitCode === null && child.signalCode === null;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (running()) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (!running()) throw new Error(`merx ${args.join(' ')} exited during start:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopWith('SIGKILL');
      throw new Error(`merx ${args.join(' ')} was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    baseUrl,
    output: () => output,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/** Runs `merx <args>` to completion and returns its exit code and output. */
export function runMerx(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MERX_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
