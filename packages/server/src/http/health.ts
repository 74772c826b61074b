import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { ApiError } from './problem.js';
import { ProblemRef } from './schemas.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Liveness',
        description: 'Answers 200 while the process is up; does not touch the database.',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/ready',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Readiness',
        description:
          'Answers 200 when the database answers; 503 otherwise, so a load balancer stops routing here.',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: ProblemRef,
        },
      },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(app.merx.db);
      } catch {
        throw new ApiError(503, 'database_unavailable', 'The database does not answer');
      }
      return { status: 'ready' as const, database: app.merx.database.kind };
    },
  );
};
