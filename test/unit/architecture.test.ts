import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of docs/architecture.md, checked on the sources: composition roots are the only
 * places that pick adapters, product code reads no environment, modules meet at their index.ts.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(SRC).map((path) => ({
  path: relative(SRC, path).split(sep).join('/'),
  text: readFileSync(path, 'utf8'),
}));

/** Lines of `text` matching `pattern`, as `file:line: text`, comments left out. */
function occurrences(pattern: RegExp, accept: (path: string) => boolean): string[] {
  return FILES.filter((f) => !accept(f.path)).flatMap((f) =>
    f.text
      .split('\n')
      .map((line, i) => ({ line, n: i + 1 }))
      .filter(({ line }) => pattern.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line))
      .map(({ line, n }) => `${f.path}:${n}: ${line.trim()}`),
  );
}

describe('the architecture', () => {
  it('reads process.env only in src/config.ts', () => {
    expect(occurrences(/process\.env\b/, (p) => p === 'config.ts')).toStrictEqual([]);
  });

  it('constructs AWS SDK clients only in composition roots (app/) and adapters’ own client factories', () => {
    const constructed = FILES.filter(
      (f) => !f.path.startsWith('app/') && f.path !== 'settlement/store/dynamodb-client.ts',
    ).flatMap((f) => {
      const sdkNames = [...f.text.matchAll(/import \{([^}]*)\} from '@aws-sdk\/[^']+'/g)].flatMap((m) =>
        (m[1] ?? '').split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()),
      );
      return sdkNames
        .filter((n) => n.endsWith('Client') && f.text.includes(`new ${n}(`))
        .map((n) => `${f.path}: new ${n}(`);
    });
    expect(constructed).toStrictEqual([]);
  });

  it('keeps every file of the CLI under 250 lines', () => {
    const long = FILES.filter((f) => f.path.startsWith('cli/'))
      .map((f) => ({ path: f.path, lines: f.text.split('\n').length }))
      .filter((f) => f.lines > 250);
    expect(long).toStrictEqual([]);
  });

  it('imports another module only through its index.ts (composition roots and the CLI excepted)', () => {
    const deep: string[] = [];
    for (const f of FILES) {
      const from = f.path.split('/')[0];
      for (const m of f.text.matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(SRC, resolve(SRC, dirname(f.path), m[1] ?? '')).split(sep);
        const to = target[0];
        if (target.length < 2 || to === from || to === 'app' || to === 'cli') continue;
        if (target.slice(1).join('/') !== 'index.ts') deep.push(`${f.path} → ${target.join('/')}`);
      }
    }
    expect(deep).toStrictEqual([]);
  });

  it('lets product modules pick no adapter: only app/ imports the local/ embedded defaults', () => {
    const product = ['settlement/', 'agents/', 'identity/', 'ingest/', 'seed/'];
    const offenders = FILES.filter((f) => product.some((p) => f.path.startsWith(p)))
      .filter((f) => /from '(\.\.\/)+local\//.test(f.text))
      .map((f) => f.path);
    expect(offenders).toStrictEqual([]);
  });
});
