import type { ToolReviewRow } from '../../agents/index.ts';

/** The tool catalog for a security review, one tool a paragraph. */
export function formatCatalog(catalog: readonly ToolReviewRow[]): string {
  return catalog
    .map((t) =>
      [
        `${t.name}  [${t.risk}, role ${t.requiredRole}, ${t.sessionCallCap} calls/session, audit ${t.auditLevel}]`,
        `  ${t.description}`,
      ].join('\n'),
    )
    .join('\n');
}
