/** The q-th percentile (nearest rank) of `times`, in their unit. */
export function quantile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** `p50 … ms, p95 … ms[, p99 … ms], max … ms`. */
export function summary(times: readonly number[], percentiles: readonly number[] = [50, 95]): string {
  return [
    ...percentiles.map((p) => `p${p} ${quantile(times, p).toFixed(1)} ms`),
    `max ${quantile(times, 100).toFixed(1)} ms`,
  ].join(', ');
}
