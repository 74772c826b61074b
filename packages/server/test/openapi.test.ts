import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../../..');

let server: TestServer;
let document: any;
beforeAll(async () => {
  server = await startTestServer();
  document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => server.close());

describe('OpenAPI document', () => {
  it('passes the Redocly linter with no errors', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'merx-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const cli = join(repoRoot, 'node_modules/@redocly/cli/bin/cli.js');
    const result = await run(
      process.execPath,
      [cli, 'lint', '--config', join(repoRoot, 'redocly.yaml'), '--format', 'json', file],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error) => error as { stdout: string; stderr: string; code: number });
    const report = JSON.parse(result.stdout);
    const errors = report.problems.filter((problem: { severity: string }) => problem.severity === 'error');
    expect(
      errors.map((e: { message: string; location: unknown }) => `${e.message} ${JSON.stringify(e.location)}`),
    ).toEqual([]);
  });

  it('describes every operation with a summary, a description and its error responses', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        if (!operation.summary || !operation.description) missing.push(`${method.toUpperCase()} ${path}`);
        const codes = Object.keys(operation.responses ?? {});
        if (!operation.tags?.includes('Operations') && !codes.some((code) => code.startsWith('4')))
          missing.push(`${method.toUpperCase()} ${path} has no 4xx`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('serves interactive docs at /docs', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });
});
