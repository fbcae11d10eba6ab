import { readFileSync } from 'node:fs';
import { ConfigFileError } from '../errors.ts';
import { DEFAULT_SLA_POLICY, SlaPolicyConfig } from './sla-policy.ts';

/** Reads a JSON configuration file, naming the file in any error. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The SLA policy: defaults, with a JSON file's top-level keys laid over them; `markets`,
 * `notionalBands` and `deskTimeZones` merge entry by entry, `settlementCycles` rules are added after
 * the defaults (a rule for the same market, class and date replaces the default's).
 */
export function loadSlaPolicyConfig(path: string | undefined): SlaPolicyConfig {
  if (path === undefined) return DEFAULT_SLA_POLICY;
  const raw = readJsonFile(path);
  const overrides = SlaPolicyConfig.partial().safeParse(raw);
  if (!overrides.success) {
    const problems = overrides.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigFileError(`${path}: invalid SLA policy:\n  - ${problems.join('\n  - ')}`);
  }
  const o = overrides.data;
  return SlaPolicyConfig.parse({
    ...DEFAULT_SLA_POLICY,
    ...o,
    markets: { ...DEFAULT_SLA_POLICY.markets, ...(o.markets ?? {}) },
    notionalBands: { ...DEFAULT_SLA_POLICY.notionalBands, ...(o.notionalBands ?? {}) },
    deskTimeZones: { ...DEFAULT_SLA_POLICY.deskTimeZones, ...(o.deskTimeZones ?? {}) },
    // A file's cycle rules come after the defaults: an equal rule (market, class, from) replaces one.
    settlementCycles: [...DEFAULT_SLA_POLICY.settlementCycles, ...(o.settlementCycles ?? [])],
  });
}
