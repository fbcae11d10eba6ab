export { type AuditTrail, type AuditTrailData, type AuditTrailEntry, getAuditTrail } from './audit-tools.ts';
export {
  catalogForReview,
  inputJsonSchema,
  TOOL_CATALOG,
  type ToolReviewRow,
  toolByName,
  toolSpecs,
} from './catalog.ts';
export { defineTool, isDefinedTool, type ToolDefinition } from './define-tool.ts';
export { deskTimeZone } from './desk-zones.ts';
export {
  type DeskScope,
  deskScope,
  maskAccount,
  maskAccountsIn,
  notFoundOrNotPermitted,
  readPermittedDay,
} from './entitlements.ts';
export { type EntityCandidates, entityCandidates } from './entity-candidates.ts';
export {
  type ExplainExceptionData,
  explainException,
  listOpenExceptions,
  type OpenExceptionsData,
  RESOLUTION_HINTS,
} from './exception-tools.ts';
export {
  type DecisionRule,
  decisionRule,
  type ExplainMatchData,
  explainMatch,
  listPendingReviews,
  type PendingReviewRow,
  type PendingReviewsData,
  type RerunMatchingData,
  rerunMatching,
} from './match-tools.ts';
export { type ApprovalRequest, Proposal, proposeResolution } from './propose-resolution.ts';
export {
  applyWithheld,
  collectReferences,
  decideWithheld,
  type References,
  redactReferences,
  refsToResolve,
  stringsOf,
  type TradeLookup,
  WITHHELD,
  type Withheld,
} from './reference-redactor.ts';
export {
  getSlaStatus,
  type SettlementReportData,
  type SlaStatusData,
  settlementReport,
} from './report-tools.ts';
export { type ResolvedEntitiesData, type ResolvedTrade, resolveEntities } from './resolve-entities.ts';
export { type Instant, instant, NEW_YORK, newYorkDate } from './time.ts';
export type { AgentTool, RecordRef, ToolContext, ToolOutcome } from './tool.ts';
export {
  businessDaysTo,
  type FindTradesData,
  type FindTradesDay,
  findTrades,
  getTradeStatus,
  MAX_SEARCH_BUSINESS_DAYS,
  type TradeStatusData,
  type TradeStatusRecord,
} from './trade-tools.ts';
export type {
  ExceptionRow,
  FieldRow,
  MatchBrief,
  SlaState,
  TradeListRow,
  TradeRow,
} from './views.ts';
