import type { AuditVerification, DigestOutcome, EntityVerification } from '../../settlement/index.ts';

/** True when nothing is wrong: no entity failed and the digest log (if any) verifies. */
export function auditIntact(v: AuditVerification): boolean {
  return v.failures.length === 0 && (v.digest?.problems.length ?? 0) === 0;
}

/** `settleops audit verify` over the whole store, for a terminal. */
export function formatAuditVerification(v: AuditVerification): string {
  const lines: string[] = [];
  lines.push(
    auditIntact(v)
      ? `audit intact: ${v.entities} entities, ${v.records} records`
      : `AUDIT BROKEN: ${v.failures.length} of ${v.entities} entities${(v.digest?.problems.length ?? 0) > 0 ? ', and the digest log' : ''}`,
  );
  lines.push(
    v.keyed ? '  signatures: checked with the audit key' : '  signatures: NOT checked (no audit key)',
  );
  if (v.digest !== undefined) {
    const d = v.digest;
    lines.push(
      d.latest === undefined
        ? `  digests: none yet in ${d.location} (run \`settleops audit digest\` so deleted entities are detected)`
        : `  digests: ${d.digests} in ${d.location}, latest #${d.latest.seq} at ${d.latest.at}`,
    );
    for (const p of d.problems) lines.push(`    - digest log: ${p}`);
  }
  if (v.legacy.length > 0)
    lines.push(
      `  legacy: ${v.legacy.length} entities have records from before chains were keyed or bound to state; their hashes and links are checked`,
    );
  for (const f of v.failures) {
    lines.push(`  ${f.entityId}:`);
    for (const finding of f.findings) lines.push(`    - [${finding.code}] ${finding.message}`);
  }
  return lines.join('\n');
}

/** `settleops audit verify --entity ID`, for a terminal. */
export function formatEntityVerification(v: EntityVerification): string {
  if (v.findings.length === 0) {
    const notes = [
      v.signing === 'keyed'
        ? 'signed'
        : v.signing === 'legacy'
          ? 'partly unsigned (legacy)'
          : 'signatures not checked',
      v.stateBound ? 'state bound' : 'state not bound (legacy)',
    ];
    return `${v.entityId}: audit chain intact (${v.trail.length} records; ${notes.join(', ')})`;
  }
  return [`${v.entityId}: AUDIT BROKEN`, ...v.findings.map((f) => `  - [${f.code}] ${f.message}`)].join('\n');
}

/** `settleops audit digest`, for a terminal. */
export function formatDigestOutcome(o: DigestOutcome): string {
  if (o.kind === 'WRITTEN')
    return `audit digest #${o.seq} written to ${o.location}: ${o.entities} chain heads, ${o.changed} changed since the previous digest`;
  if (o.kind === 'CONFLICT')
    return `NO DIGEST WRITTEN: other writers kept appending to ${o.location}; run it again`;
  return [
    `NO DIGEST WRITTEN: the digest log ${o.location} does not verify`,
    ...o.problems.map((p) => `  - ${p}`),
  ].join('\n');
}
