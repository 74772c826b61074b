#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx: no build step between
// `git clone` and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
