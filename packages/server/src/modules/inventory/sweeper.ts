import type { FastifyInstance } from 'fastify';
import { sweepExpiredReservations } from './reservations.js';

const SWEEP_EVERY_MS = 30_000;

/**
 * Returns lapsed add-to-cart holds to stock in the background. Correctness does not
 * depend on it (reads ignore lapsed holds and writers expire them under their locks);
 * it keeps `reserved` honest for reports and events. Safe on several nodes at once.
 */
export function startReservationSweeper(app: FastifyInstance): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepExpiredReservations(app.merx.db)
      .catch((error: unknown) => app.log.error({ err: error }, 'reservation sweep failed'))
      .finally(() => {
        running = false;
      });
  }, SWEEP_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
