#!/usr/bin/env node
// Some npm registry mirrors (this project's CI among them) lack the platform binaries of a few
// packages for platforms other than the one at hand (e.g. @biomejs/cli-darwin-arm64). `npm install`
// then writes a lock without them, and `npm ci` refuses that lock as out of sync. This adds an
// entry (version, os, cpu, libc, optional) for each missing platform package named like
// `<scope>/cli-<os>-<cpu>[-musl]`; npm skips them on other platforms and fetches them on theirs.
// Run it after `npm install` changes package-lock.json.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] !== undefined) continue;
    const m = /\/cli-(android|darwin|linux|win32)-(arm64|x64)(-musl)?$/.exec(name);
    if (m === null) {
      console.warn(`${path}: optional ${name} is not in the lock and not a known platform package`);
      continue;
    }
    packages[key] = {
      version,
      cpu: [m[2]],
      ...(entry.dev === true ? { dev: true } : {}),
      ...(m[3] === undefined ? {} : { libc: ['musl'] }),
      optional: true,
      os: [m[1]],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`platform stubs added: ${added}`);
