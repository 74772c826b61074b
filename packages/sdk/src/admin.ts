import { createTypedClient, type TypedClient } from './client.js';
import type { RetryPolicy } from './transport.js';

export type AdminClientOptions = {
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  retry?: Partial<RetryPolicy>;
} & ({ secretKey: string; staffToken?: never } | { staffToken: string; secretKey?: never });

export interface AdminClient extends TypedClient {
  /** Switches to another staff session (e.g. after `POST /admin/v1/staff/login`). */
  setStaffToken(token: string): void;
}

/**
 * A client for `/admin/v1`: with a secret key (`sk_…`, for servers and scripts, never in a
 * browser) or a staff session token (`st_…`, what the dashboard gets at login).
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  let credential = options.secretKey ?? options.staffToken;
  const core = createTypedClient({
    ...options,
    headers: () => ({ authorization: `Bearer ${credential}` }),
  });
  return {
    ...core,
    setStaffToken(token) {
      credential = token;
    },
  };
}
