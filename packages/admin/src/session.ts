import { type AdminClient, createAdminClient } from '@merx/sdk';

const STORAGE_KEY = 'merx.admin.session';

export interface Session {
  token: string;
  email: string;
  name: string;
  role: string;
  scopes: string[];
}

/**
 * The dashboard talks to the API it is served by, with the staff member's session token.
 * A session that expired or was revoked (401 on any call) sends the merchant back to the login.
 */
export const createClient = (token: string, onExpired?: () => void): AdminClient =>
  createAdminClient({
    baseUrl: window.location.origin,
    staffToken: token,
    fetch: async (request) => {
      const response = await globalThis.fetch(request);
      if (response.status === 401 && token && onExpired) onExpired();
      return response;
    },
  });

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** Logs in and reads the role's scopes from the API (the source of truth for what to show). */
export async function logIn(email: string, password: string): Promise<Session> {
  const client = createClient('');
  const login = await client.post('/admin/v1/staff/login', { body: { email, password } });
  client.setStaffToken(login.token);
  const me = await client.get('/admin/v1/staff/me');
  return {
    token: login.token,
    email: login.staff.email,
    name: login.staff.name,
    role: login.staff.role,
    scopes: me.scopes,
  };
}
