import type { FastifyInstance } from 'fastify';
import { runInBackground } from '../../http/background.js';
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
  runInBackground(app, {
    name: 'reservation sweep',
    everyMs: SWEEP_EVERY_MS,
    run: async () => {
      await sweepExpiredReservations(app.merx.db);
      await pruneSettledReservations(app.merx.db, app.merx.config.reservationRetentionDays);
    },
  });
}
