export {
  actorProblem,
  MAX_PRINCIPAL_ID_LENGTH,
  normalisePrincipalId,
  PRINCIPAL_ID_PATTERN,
  principalIdProblem,
} from './actor.ts';
export { GENESIS_HASH, sealAuditRecord } from './audit-chain.ts';
export type { AuditDigestLog } from './audit-digest.ts';
export { type BusinessCalendar, CalendarRegistry, marketOfPlaceOfSettlement, shiftDays } from './calendar.ts';
export { type ChainKey, hmacChainKey, recordMacMessage } from './chain-key.ts';
export { minorUnits } from './currency.ts';
export { DECIMAL_STRING, Dec, dec, scaleOf } from './decimal.ts';
export { bicInstitution, isValidBic, isValidIsin } from './identifiers.ts';
export { makersOf } from './makers.ts';
export { marketDay, reportDate } from './market-day.ts';
export {
  buildMatchingPolicy,
  compareTrades,
  decisionKind,
  type MatchingThresholds,
} from './matching/index.ts';
export { DEFAULT_MATCHING_POLICY, toleranceFor } from './matching/policy.ts';
export {
  type AuditRecord,
  ExceptionType,
  type FieldResult,
  Identifier,
  Isin,
  IsoDate,
  IsoDateTime,
  MAX_REVIEW_REASON_LENGTH,
  type Match,
  type OutboxRecord,
  ReasonCode,
  type SettlementException,
  type Side,
  type Trade,
  TradeFields,
  TradeInput,
  TradeStatus,
  tradeRef,
  tradeRefsOf,
} from './model.ts';
export { loadSlaPolicyConfig, readJsonFile } from './policy-files.ts';
export { buildReport, type SettlementReport } from './report.ts';
export {
  type AuditVerification,
  type EntityVerification,
  verifyAllAudit,
  verifyEntityAudit,
} from './services/audit-verify.ts';
export { dayReport } from './services/day-report.ts';
export {
  type ApprovalCheck,
  type ApprovalGate,
  decideReview,
  type ReviewDecisionOutcome,
  reviewRequestProblem,
} from './services/decide-review.ts';
export type { SettlementDeps } from './services/deps.ts';
export { exceptionsOfTrade, isOpen } from './services/exception-sync.ts';
export { type IngestSummary, ingestTrades } from './services/ingest-trades.ts';
export { type MatchTally, matchTrade } from './services/match-trade.ts';
export {
  MAX_REFRESH_DATES,
  REFRESH_OLDER_THAN_MS,
  type ReportRefresh,
  refreshReportSnapshots,
  reportDatesThatMatter,
} from './services/refresh-report-snapshots.ts';
export {
  ALL_DESKS,
  REPORT_MAX_AGE_MS,
  snapshotDeskReports,
  snapshotReport,
} from './services/report-snapshots.ts';
export { type SweepResult, sweepSla } from './services/sweep-sla.ts';
export { type TradeView, viewTrade } from './services/trade-view.ts';
export { type DigestOutcome, writeAuditDigest } from './services/write-audit-digest.ts';
export { DEFAULT_SETTLEMENT_CYCLES, standardCycle } from './settlement-cycle.ts';
export { SlaPolicy } from './sla-policy.ts';
export { createDynamoDbClients } from './store/dynamodb-client.ts';
export { DynamoDbSettlementStore } from './store/dynamodb-settlement-store.ts';
export { auditItem, fromItem, type Item, ROOT_SK } from './store/items.ts';
export type {
  DayQuery,
  DayRecords,
  OutboxClaim,
  Page,
  SettlementStore,
  TradeHeader,
} from './store/settlement-store.ts';
export { ensureTable, TTL_ATTRIBUTE } from './store/table.ts';
