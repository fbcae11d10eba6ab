#!/usr/bin/env node
import { resolve } from 'node:path';
// `node bin/run-ts.js file.ts [args…]`: runs a TypeScript entry point through tsx (used by npm scripts).
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const [entry, ...rest] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: run-ts.js FILE.ts [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
register();
await import(pathToFileURL(resolve(entry)).href);
