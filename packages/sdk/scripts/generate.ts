import { writeFileSync } from 'node:fs';
import { serverDocument } from './document.js';
import { renderSchema } from './render.js';

// Regenerates src/schema.d.ts from the server's current routes.
const started = Date.now();
const output = await renderSchema(await serverDocument());
writeFileSync(new URL('../src/schema.d.ts', import.meta.url), output);
console.log(`src/schema.d.ts: ${output.length} characters in ${Date.now() - started} ms`);
