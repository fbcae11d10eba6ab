export {
  DEMO_PRINCIPALS,
  DEMO_SLACK_TEAM,
  type DemoPrincipalOutcome,
  enrolDemoPrincipals,
} from './demo-principals.ts';
export {
  ALL_SCENARIOS_FROM,
  type GenerateDayOptions,
  generateSettlementDay,
  SCENARIO_REASON_CODES,
  SCENARIO_SHARES,
  Scenario,
  type ScenarioEntry,
  SEED_TIME_ZONE,
  type SettlementDay,
  seedToday,
} from './generate-day.ts';
export { Prng } from './prng.ts';
export {
  COUNTERPARTY_BICS,
  DESKS,
  type DeskId,
  type DeskRef,
  SECURITIES,
  type SecurityRef,
} from './reference-data.ts';
export { type ToCsvOptions, toCsv } from './to-csv.ts';
