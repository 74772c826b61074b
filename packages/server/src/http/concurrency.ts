import type { FastifyRequest } from 'fastify';
import { ApiError } from './problem.js';

/** Reads `If-Match: 3`, `"3"` or `W/"3"` as the version the client last saw. */
export function expectedVersion(request: FastifyRequest): number | null {
  const header = request.headers['if-match'];
  if (header === undefined) return null;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(String(header).trim());
  if (!match) {
    throw new ApiError(400, 'invalid_if_match', 'If-Match must carry the resource version, e.g. "3"', {
      errors: [{ field: '/headers/if-match', message: 'is not a version number' }],
    });
  }
  return Number(match[1]);
}

export function staleVersion(current: unknown): ApiError {
  return new ApiError(
    409,
    'version_conflict',
    'The resource changed since you read it; here is its current state',
    {
      current,
    },
  );
}
