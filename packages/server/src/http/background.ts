import type { FastifyInstance } from 'fastify';

/**
 * Runs `run` every `everyMs` on this node while the app is up: never two at once (a slow
 * round is not overlapped by the next), failures logged and retried at the next tick, the
 * timer stopped when the app closes. For idempotent housekeeping that is safe on several
 * nodes at once (sweepers, recovery jobs).
 */
export function runInBackground(
  app: FastifyInstance,
  job: { name: string; everyMs: number; run: () => Promise<void> },
): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job
      .run()
      .catch((error: unknown) => app.log.error({ err: error }, `${job.name} failed`))
      .finally(() => {
        running = false;
      });
  }, job.everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
