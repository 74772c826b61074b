import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { runInBackground } from '../../http/background.js';
import { PENDING_OPERATION_TIMEOUT_SECONDS, staleOperations } from '../payments/operations.js';
import { recoverOperation } from './actions.js';

/**
 * Finishes admin payment operations whose process died between claiming and settling (the
 * next action on the order would, but there may never be one). Each is taken over by one
 * process only, so every node can run this.
 */
export async function recoverPaymentOperations(
  db: Db,
  timeoutSeconds = PENDING_OPERATION_TIMEOUT_SECONDS,
): Promise<{ recovered: string[]; errors: unknown[] }> {
  const recovered: string[] = [];
  const errors: unknown[] = [];
  for (const operation of await staleOperations(db, timeoutSeconds)) {
    try {
      if (await recoverOperation(db, operation.id, timeoutSeconds)) recovered.push(operation.id);
    } catch (error) {
      // One provider still not answering must not hold up the others.
      errors.push(error);
    }
  }
  return { recovered, errors };
}

const RECOVER_EVERY_MS = 60_000;

export function startPaymentOperationRecovery(app: FastifyInstance): void {
  runInBackground(app, {
    name: 'payment operation recovery',
    everyMs: RECOVER_EVERY_MS,
    run: async () => {
      const { errors } = await recoverPaymentOperations(app.merx.db);
      for (const error of errors) app.log.error({ err: error }, 'payment operation recovery failed');
    },
  });
}
