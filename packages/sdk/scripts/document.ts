import { startTestServer } from '../../server/test/harness.js';

/**
 * The server's OpenAPI document, built in process (no port): the app is assembled over an
 * in-memory database exactly as `merx start` assembles it, so every registered route is in it.
 */
export async function serverDocument(): Promise<Record<string, unknown>> {
  const server = await startTestServer();
  try {
    return server.app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await server.close();
  }
}
