export type { FittedHistory, HistoryLimits } from './history.ts';
export { fitHistory, wholeTurns } from './history.ts';
export type { RunTurnOptions, TurnEvent, TurnProgress, TurnResult, TurnStopReason } from './run-turn.ts';
export { BLOCKED_QUESTION, runTurn, streamTurn } from './run-turn.ts';
export { describeIssues, progressMessage, toolSpecOf } from './tool-specs.ts';
export type { GuardrailKind, LimitKind, TracedArgs, TraceEvent, TraceLimit, TraceSink } from './trace.ts';
export { MemoryTraceSink, NOOP_TRACE_SINK, traceArgs } from './trace.ts';
