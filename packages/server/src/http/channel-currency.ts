import type { FastifyRequest } from 'fastify';
import { ApiError } from './problem.js';

/** The `currency` a store read asked for, or the channel's default; 400 when the channel does not sell in it. */
export function channelCurrency(request: FastifyRequest, currency: string | undefined): string {
  const channel = request.channel;
  const chosen = currency ?? channel.defaultCurrency;
  if (!channel.currencies.includes(chosen))
    throw new ApiError(400, 'invalid_request', `This channel sells in ${channel.currencies.join(', ')}`, {
      errors: [{ field: '/querystring/currency', message: 'is not one of the channel’s currencies' }],
    });
  return chosen;
}
