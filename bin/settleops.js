#!/usr/bin/env node
// The `settleops` command: compiled JavaScript in dist/ (`npm run build`; `npm ci` builds it).
import { runCli } from '../dist/cli/main.js';

await runCli(process.argv.slice(2));
