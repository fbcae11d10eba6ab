import { z } from 'zod';
import { scoreInjection } from './injection-screen.ts';

/*
 * Measures the injection screen against a labelled corpus (test/fixtures/injection-*.json): the
 * detection rate over the injections, the false-positive rate over the benign questions and the
 * time per question. Used by the screen's tests and by `npm run bench`.
 */

/** A labelled corpus: known injections (by family) and benign operations questions. */
export const ScreenCorpus = z.object({
  description: z.string(),
  injections: z.array(z.object({ family: z.string().min(1), text: z.string().min(1) })).min(1),
  benign: z.array(z.object({ text: z.string().min(1) })).min(1),
});
export type ScreenCorpus = z.infer<typeof ScreenCorpus>;

export interface ScreenRates {
  readonly injections: number;
  readonly detected: number;
  /** detected / injections. */
  readonly detectionRate: number;
  readonly benign: number;
  readonly falsePositives: number;
  /** falsePositives / benign. */
  readonly falsePositiveRate: number;
  /** The injections let through and the benign questions refused, for a reader to judge. */
  readonly missed: readonly string[];
  readonly refused: readonly string[];
}

const flagged = (text: string): boolean => {
  const s = scoreInjection(text);
  return s.score >= s.threshold;
};

/** Detection and false-positive rates of the screen over a corpus. */
export function screenRates(corpus: ScreenCorpus): ScreenRates {
  const missed = corpus.injections.filter((i) => !flagged(i.text)).map((i) => i.text);
  const refused = corpus.benign.filter((b) => flagged(b.text)).map((b) => b.text);
  const detected = corpus.injections.length - missed.length;
  return {
    injections: corpus.injections.length,
    detected,
    detectionRate: detected / corpus.injections.length,
    benign: corpus.benign.length,
    falsePositives: refused.length,
    falsePositiveRate: refused.length / corpus.benign.length,
    missed,
    refused,
  };
}

/** `detection 58/58 (100.0 %), false positives 0/58 (0.0 %)`. */
export function describeRates(r: ScreenRates): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return `detection ${r.detected}/${r.injections} (${pct(r.detectionRate)}), false positives ${r.falsePositives}/${r.benign} (${pct(r.falsePositiveRate)})`;
}

/** Microseconds per screened question: p50, p95, p99 and max over `rounds` passes of every text. */
export function screenLatency(
  texts: readonly string[],
  rounds = 20,
): {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
} {
  for (const t of texts) scoreInjection(t);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      const t0 = process.hrtime.bigint();
      scoreInjection(t);
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), samples: times.length };
}
