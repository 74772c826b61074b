import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; null when it is gone or off Linux. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A process and its descendants (the API workers of `merx start --workers N`). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone, or not Linux
  }
  return [pid, ...children.flatMap(processTree)];
}

/** PostgreSQL backends serving one database: their process titles read `postgres: … <db> …`. */
export function postgresBackendsOf(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.split(' ').includes(database)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/**
 * CPU spent by the server and (on PostgreSQL) the database backends between `start()` and
 * `stop()`. On a shared machine wall-clock throughput depends on everybody else; CPU per
 * request does not (much), so it says what two idle cores would sustain.
 */
export function cpuMeter(serverPid: number, database: string | null) {
  const backendsNow = () => (database ? postgresBackendsOf(database) : []);
  const sample = () => {
    const backends = new Map(backendsNow().map((pid) => [pid, cpuMsOf(pid) ?? 0]));
    const server = processTree(serverPid).reduce((sum, pid) => sum + (cpuMsOf(pid) ?? 0), 0);
    return { server, backends };
  };
  let before = sample();
  return {
    start() {
      before = sample();
    },
    /** CPU ms used since start(): the server's, and the database backends' (0 on PGlite). */
    stop(): { serverMs: number; databaseMs: number } {
      const after = sample();
      let databaseMs = 0;
      // A backend that started during the run counts from zero; one that ended is lost (rare: the pool keeps them).
      for (const [pid, ms] of after.backends) databaseMs += ms - (before.backends.get(pid) ?? 0);
      return { serverMs: after.server - before.server, databaseMs };
    },
  };
}
