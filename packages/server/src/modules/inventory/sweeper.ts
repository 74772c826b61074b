import type { FastifyInstance } from 'fastify';
import { pruneSettledReservations, sweepExpiredReservations } from './reservations.js';

const SWEEP_EVERY_MS = 30_000;

/**
 * Returns lapsed add-to-cart holds to stock in the background. Correctness does not
 * depend on it (reads ignore lapsed holds and writers expire them under their locks);
 * it keeps `reserved` honest for reports and events. It also deletes holds settled longer
 * ago than `reservationRetentionDays`, so the ledger does not grow with every cart edit.
 * Safe on several nodes at once.
 */
export function startReservationSweeper(app: FastifyInstance): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepExpiredReservations(app.merx.db)
      .then(() => pruneSettledReservations(app.merx.db, app.merx.config.reservationRetentionDays))
      .catch((error: unknown) => app.log.error({ err: error }, 'reservation sweep failed'))
      .finally(() => {
        running = false;
      });
  }, SWEEP_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
