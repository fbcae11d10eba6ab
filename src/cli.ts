import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { createAgentRuntimeInvoker } from './agents/client/agent-runtime-invoker.ts';
import { createAgentCoreClient } from './agents/client/agentcore-client.ts';
import { runtimeSessionId } from './agents/client/session-id.ts';
import type { AgentEvent, AgentRequest, AgentResponse, AgentService } from './agents/contract.ts';
import { LOCAL_ADMIN, type Principal, Role } from './agents/principal.ts';
import { type AgentServiceFactory, loadAgentServiceFactory } from './agents/runtime/agent-service-factory.ts';
import { createRuntimeApp } from './agents/runtime/runtime-app.ts';
import type { ToolReviewRow } from './agents/tools/catalog.ts';
import { DynamoDbTraceStore } from './agents/traces/dynamodb-trace-store.ts';
import { createJsonLogger, type Logger } from './agents/traces/logger.ts';
import type { Trace } from './agents/traces/trace.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { detectFormat, formatParseErrors, parseTradeFile } from './ingest/index.ts';
import { startLocalAgentStack } from './local/agentcore/local-agent-stack.ts';
import { runDemoDay } from './local/demo-day.ts';
import { ensureDynamoDbLocal } from './local/dynamodb-local/artifact.ts';
import { JavaMissingError } from './local/dynamodb-local/launcher.ts';
import { openSettlementRuntime, type SettlementRuntime } from './local/settlement-runtime.ts';
import { generateSettlementDay, toCsv } from './seed/index.ts';
import { buildReport, formatReport } from './settlement/report.ts';
import { verifyAllAudit, verifyEntityAudit } from './settlement/services/audit-verify.ts';
import { decideReview } from './settlement/services/decide-review.ts';
import {
  auditIntact,
  formatAuditVerification,
  formatDigestOutcome,
  formatEntityVerification,
} from './settlement/services/format-audit.ts';
import { formatTradeView } from './settlement/services/format-trade-view.ts';
import { ingestTrades } from './settlement/services/ingest-trades.ts';
import type { MatchTally } from './settlement/services/match-trade.ts';
import { sweepSla } from './settlement/services/sweep-sla.ts';
import { viewTrade } from './settlement/services/trade-view.ts';
import { writeAuditDigest } from './settlement/services/write-audit-digest.ts';
import { createDynamoDbClients } from './settlement/store/dynamodb-client.ts';

const HELP = `settleops — trade-settlement operations

Usage: settleops <command> [options]

Commands:
  start [--trades N] [--seed S] [--speed X] [--once]
                           run the embedded stack: DynamoDB Local, a seeded settlement day fed in
                           over a simulated clock, matching and the SLA sweeper, printed as it happens
  ingest FILE [--json] [--as PRINCIPAL] [--progress]
                           store and match trades from a CSV, JSON or NDJSON file
  seed [--trades N] [--seed S] [--date D] [--out DIR]
                           load a deterministic settlement day (or write it as CSV files to DIR)
  report [--date D] [--desk X] [--json]
                           the day's settlement picture
  trade ID [--json]        one trade with its match, exceptions and audit trail
  review approve|reject MATCH_ID --as PRINCIPAL [--reason TEXT]
                           decide a match waiting for review (four eyes)
  sweep [--json]           one pass of the SLA sweeper
  audit verify [--entity ID] [--json]
                           check the audit chains, their signatures, each entity's state, the
                           references between entities and the digests
  audit digest [--json]    sign and append a digest of every chain head (run periodically)
  setup                    fetch and verify DynamoDB Local (also run by npm install)
  ask "QUESTION" [--principal ID] [--role R ...] [--desk D ...] [--json] [--stream]
                           ask the agent through AgentCore (the local endpoint and runtime unless
                           AGENT_RUNTIME_ARN is set), as a local administrator unless told otherwise
  tools [--json]           the agent's tool catalog with its governance metadata (security review)
  trace ID [--json]        what one agent invocation did: steps, tokens, estimated cost
  agent [--port P]         run the AgentCore runtime app (the container's command; port 8080)

Configuration comes from the environment: see README.md.`;

/** A failure the user can act on: printed without a stack trace. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Out = { json: boolean };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'setup':
      await ensureDynamoDbLocal(config.cacheDir, (m) => console.log(m));
      console.log('DynamoDB Local is ready.');
      return 0;
    case 'start':
      return start(config, rest);
    case 'ingest':
      return withRuntime(config, (rt) => ingest(rt, rest));
    case 'seed':
      return seed(config, rest);
    case 'report':
      return withRuntime(config, (rt) => report(rt, rest));
    case 'trade':
      return withRuntime(config, (rt) => trade(rt, rest));
    case 'review':
      return withRuntime(config, (rt) => review(rt, rest));
    case 'sweep':
      return withRuntime(config, (rt) => sweep(rt, rest));
    case 'audit':
      return withRuntime(config, (rt) => audit(rt, rest));
    case 'ask':
      return ask(config, rest);
    case 'tools':
      return tools(rest);
    case 'trace':
      return withRuntime(config, (rt) => showTrace(config, rt, rest));
    case 'agent':
      return agent(config, rest);
    default:
      throw new UsageError(`unknown command "${command}". Run \`settleops help\` for the list.`);
  }
}

async function withRuntime<T>(config: Config, run: (rt: SettlementRuntime) => Promise<T>): Promise<T> {
  const rt = await openSettlementRuntime(config, { log: (m) => console.error(m) });
  try {
    return await run(rt);
  } finally {
    await rt.close();
  }
}

function args<const T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  positionals = 0,
) {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}

function isoDate(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UsageError(`--${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

function print(out: Out, value: unknown, text: () => string): void {
  console.log(out.json ? JSON.stringify(value, null, 2) : text());
}

async function start(config: Config, argv: readonly string[]): Promise<number> {
  const { values } = args(argv, {
    trades: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    once: { type: 'boolean' },
  });
  return runDemoDay(config, {
    trades: positiveInt(values.trades, 'trades', 2000),
    seed: positiveInt(values.seed, 'seed', 42),
    speed: positiveInt(values.speed, 'speed', 120),
    once: values.once === true,
  });
}

async function ingest(rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(
    argv,
    { json: { type: 'boolean' }, as: { type: 'string' }, progress: { type: 'boolean' } },
    1,
  );
  const file = positionals[0];
  if (file === undefined) throw new UsageError('ingest needs a FILE (CSV, JSON or NDJSON)');
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const parsed = parseTradeFile(content, detectFormat(file, content));
  const rejectedLines = new Set(parsed.errors.map((e) => e.line));
  const actor = values.as === undefined ? undefined : `principal:${values.as}`;
  const progress =
    values.progress === true || process.stderr.isTTY
      ? (phase: string, done: number, total: number) => process.stderr.write(`${phase} ${done}/${total}\n`)
      : undefined;
  const summary = await ingestTrades(rt.deps, parsed.rows, {
    ...(actor === undefined ? {} : { actor }),
    ...(progress === undefined ? {} : { onProgress: progress }),
  });
  const result = {
    file,
    format: parsed.format,
    ingested: summary.ingested,
    unchanged: summary.unchanged,
    amended: summary.amended,
    rejected: rejectedLines.size,
    conflicts: summary.conflicts,
    matching: summary.matching,
    errors: formatParseErrors(parsed),
  };
  print({ json: values.json === true }, result, () => {
    const m = summary.matching;
    return [
      ...result.errors,
      `${file}: ${result.ingested} ingested, ${result.unchanged} unchanged, ${result.amended} amended, ${result.rejected} rejected` +
        (result.conflicts > 0 ? `, ${result.conflicts} not written (concurrent changes; run again)` : ''),
      `matching: ${m.AUTO_MATCHED} auto-matched, ${m.PENDING_REVIEW} to review, ${m.EXCEPTION} exceptions, ${m.NO_CANDIDATE} awaiting a counterpart`,
    ].join('\n');
  });
  return result.rejected > 0 || result.conflicts > 0 ? 1 : 0;
}

async function seed(config: Config, argv: readonly string[]): Promise<number> {
  const { values } = args(argv, {
    trades: { type: 'string' },
    seed: { type: 'string' },
    date: { type: 'string' },
    out: { type: 'string' },
  });
  const date = isoDate(values.date, 'date');
  const day = generateSettlementDay({
    trades: positiveInt(values.trades, 'trades', 2000),
    seed: positiveInt(values.seed, 'seed', 42),
    ...(date === undefined ? {} : { date }),
    today: new Date().toISOString().slice(0, 10),
  });
  if (values.out !== undefined) {
    const internalFile = `${values.out}/internal-${day.tradeDate}.csv`;
    const counterpartyFile = `${values.out}/counterparty-${day.tradeDate}.csv`;
    await writeFile(internalFile, toCsv(day.internal));
    await writeFile(counterpartyFile, toCsv(day.counterparty));
    console.log(`wrote ${day.internal.length} internal trades to ${internalFile}`);
    console.log(`wrote ${day.counterparty.length} counterparty records to ${counterpartyFile}`);
    return 0;
  }
  return withRuntime(config, async (rt) => {
    const rows = [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 1, input }));
    const s = await ingestTrades(rt.deps, rows);
    console.log(
      `trade date ${day.tradeDate}: ${s.ingested} records ingested, ${s.unchanged} already there; ` +
        `${s.matching.AUTO_MATCHED} auto-matched, ${s.matching.PENDING_REVIEW} to review, ${s.matching.EXCEPTION} exceptions`,
    );
    return 0;
  });
}

async function report(rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values } = args(argv, {
    date: { type: 'string' },
    desk: { type: 'string' },
    json: { type: 'boolean' },
  });
  const now = rt.deps.now().toISOString();
  const tradeDate = isoDate(values.date, 'date') ?? now.slice(0, 10);
  const day = await rt.store.listDay(tradeDate, values.desk);
  const r = buildReport(day, { tradeDate, now, ...(values.desk === undefined ? {} : { desk: values.desk }) });
  print({ json: values.json === true }, r, () =>
    r.trades.internal + r.trades.counterparty === 0
      ? `No trades for trade date ${tradeDate}${values.desk === undefined ? '' : ` on desk ${values.desk}`}.`
      : formatReport(r),
  );
  return 0;
}

async function trade(rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(argv, { json: { type: 'boolean' } }, 1);
  const id = positionals[0];
  if (id === undefined) throw new UsageError('trade needs a trade ID, e.g. `settleops trade T-10042`');
  const views = await viewTrade(rt.store, id);
  if (views.length === 0) {
    console.error(`No trade ${id}.`);
    return 1;
  }
  print({ json: values.json === true }, views, () => views.map(formatTradeView).join('\n\n'));
  return 0;
}

async function review(rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(
    argv,
    { as: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    2,
  );
  const [verb, matchId] = positionals;
  if ((verb !== 'approve' && verb !== 'reject') || matchId === undefined) {
    throw new UsageError('usage: settleops review approve|reject MATCH_ID --as PRINCIPAL [--reason TEXT]');
  }
  if (values.as === undefined)
    throw new UsageError('review needs --as PRINCIPAL (who decides; four eyes are checked)');
  const outcome = await decideReview(rt.deps, {
    matchId,
    decision: verb === 'approve' ? 'APPROVE' : 'REJECT',
    principalId: values.as,
    ...(values.reason === undefined ? {} : { reason: values.reason }),
  });
  print({ json: values.json === true }, outcome, () => {
    switch (outcome.kind) {
      case 'DECIDED':
        return `${matchId}: ${outcome.match.status} by ${outcome.match.decision?.by} at ${outcome.match.decision?.at}${rematchedText(outcome.rematched)}`;
      case 'ALREADY_DECIDED':
        return `${matchId} was already ${outcome.match.status}${outcome.match.decision === undefined ? '' : ` by ${outcome.match.decision.by} at ${outcome.match.decision.at}`}; nothing changed.`;
      case 'SAME_PERSON':
        return `${values.as} booked or amended one of these trades and cannot also decide the match (four eyes).`;
      case 'NOT_FOUND':
        return `No match ${matchId}.`;
      case 'CONFLICT':
        return `${matchId} kept changing while deciding; try again.`;
    }
  });
  return outcome.kind === 'DECIDED' ? 0 : 1;
}

function rematchedText(r: MatchTally | { failed: string } | undefined): string {
  if (r === undefined) return '';
  if ('failed' in r) return `\nMatching both trades again failed (${r.failed}); the SLA sweeper retries.`;
  const parts = Object.entries(r)
    .filter(([kind, n]) => n > 0 && kind !== 'NOT_OPEN' && kind !== 'UP_TO_DATE')
    .map(([kind, n]) => `${n} ${kind.toLowerCase().replaceAll('_', ' ')}`);
  return parts.length === 0
    ? ''
    : `\nMatched both trades again without the rejected pair: ${parts.join(', ')}.`;
}

async function sweep(rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' } });
  const r = await sweepSla(rt.deps);
  print(
    { json: values.json === true },
    r,
    () =>
      `SLA sweep: ${r.missingCounterparty} missing counterparty records raised, ${r.warned} warnings, ${r.breached} breaches` +
      (r.matchedAtDeadline > 0 ? `, ${r.matchedAtDeadline} matched at their deadline instead` : '') +
      (r.skipped > 0 ? ` (${r.skipped} already handled by another sweeper)` : ''),
  );
  return 0;
}

async function audit(rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(argv, { entity: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const out = { json: values.json === true };
  if (positionals[0] === 'digest') {
    const o = await writeAuditDigest(rt.store, rt.audit, rt.deps.now().toISOString());
    print(out, o, () => formatDigestOutcome(o));
    return o.kind === 'WRITTEN' ? 0 : 1;
  }
  if (positionals[0] !== 'verify')
    throw new UsageError('usage: settleops audit verify [--entity ID] [--json] | audit digest [--json]');
  if (values.entity !== undefined) {
    const entityId =
      values.entity.includes('#') || values.entity.includes('|')
        ? values.entity
        : `INTERNAL#${values.entity}`;
    const v = await verifyEntityAudit(rt.store, entityId, rt.audit);
    if (v === undefined) {
      console.error(`No entity ${entityId} and no audit records for it.`);
      return 1;
    }
    print(out, v, () => formatEntityVerification(v));
    return v.problems.length === 0 ? 0 : 1;
  }
  const all = await verifyAllAudit(rt.store, rt.audit);
  print(out, all, () => formatAuditVerification(all));
  return auditIntact(all) ? 0 : 1;
}

/** Trace store in the settlement table, on the DynamoDB the settlement runtime picked. */
function traceStoreFor(
  config: Config,
  rt: SettlementRuntime,
): { store: DynamoDbTraceStore; close: () => void } {
  const endpoint = rt.dynamodb.endpoint;
  const local =
    rt.dynamodb.embedded !== 'none' || (endpoint !== undefined && /\/\/(localhost|127\.)/.test(endpoint));
  const clients = createDynamoDbClients({ endpoint, region: config.dynamodb.region, local });
  return {
    store: new DynamoDbTraceStore(clients.doc, config.dynamodb.table, rt.deps.now),
    close: () => clients.client.destroy(),
  };
}

/** The real agent, built by src/agents/agent-service.ts over the settlement runtime. */
async function withAgentService<T>(
  config: Config,
  logger: Logger,
  run: (service: AgentService) => Promise<T>,
): Promise<T> {
  const factory: AgentServiceFactory = await loadAgentServiceFactory();
  return withRuntime(config, async (rt) => {
    const traces = traceStoreFor(config, rt);
    try {
      const service = await factory({ config, settlement: rt.deps, traces: traces.store, logger });
      return await run(service);
    } finally {
      traces.close();
    }
  });
}

function principalFrom(values: { principal?: string; role?: string[]; desk?: string[] }): Principal {
  const roles = (values.role ?? []).map((r) => {
    const parsed = Role.safeParse(r);
    if (!parsed.success) throw new UsageError(`--role must be one of ${Role.options.join(', ')}, got "${r}"`);
    return parsed.data;
  });
  const desks = values.desk ?? [];
  if (values.principal === undefined) {
    return {
      ...LOCAL_ADMIN,
      ...(roles.length === 0 ? {} : { roles }),
      ...(desks.length === 0 ? {} : { desks, accounts: [] }),
    };
  }
  // A named principal sees only the desks it is given (none by default): fail closed.
  return {
    principalId: values.principal,
    roles: roles.length === 0 ? ['viewer'] : roles,
    desks,
    accounts: [],
  };
}

async function ask(config: Config, argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(
    argv,
    {
      principal: { type: 'string' },
      role: { type: 'string', multiple: true },
      desk: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      stream: { type: 'boolean' },
    },
    1,
  );
  const question = positionals[0];
  if (question === undefined || question.trim() === '')
    throw new UsageError('ask needs a question, e.g. `settleops ask "what is the status of T-10042?"`');
  const principal = principalFrom(values);
  const request: AgentRequest = { question, principal };
  // One session per command: `ask` has no thread to continue.
  const sessionId = runtimeSessionId('cli', principal.principalId, 'cli', randomUUID());
  const stream = values.stream === true;
  const json = values.json === true;
  const onEvent = stream
    ? (e: AgentEvent) => {
        if (e.type === 'progress') process.stderr.write(`… ${e.message}\n`);
        else if (e.type === 'text' && !json) process.stdout.write(e.delta);
      }
    : undefined;
  const opts = {
    runtimeSessionId: sessionId,
    runtimeUserId: principal.principalId,
    stream,
    ...(onEvent === undefined ? {} : { onEvent }),
  };
  const logger = createJsonLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });

  let response: AgentResponse;
  if (config.agentcore.runtimeArn !== undefined) {
    const client = createAgentCoreClient({
      region: config.dynamodb.region,
      ...(config.agentcore.endpoint === undefined ? {} : { endpoint: config.agentcore.endpoint }),
    });
    try {
      response = await createAgentRuntimeInvoker({
        client,
        agentRuntimeArn: config.agentcore.runtimeArn,
      }).ask(request, opts);
    } finally {
      client.destroy();
    }
  } else {
    response = await withAgentService(config, logger, async (service) => {
      const stack = await startLocalAgentStack(service, { region: config.dynamodb.region, logger });
      try {
        return await stack.invoker.ask(request, opts);
      } finally {
        await stack.close();
      }
    });
  }
  if (json) {
    console.log(JSON.stringify(response, null, 2));
    return 0;
  }
  if (stream) process.stdout.write('\n');
  else console.log(response.answer);
  const records = response.records.map((r) => `${r.kind} ${r.id}`).join(', ');
  console.log(`\nrecords: ${records === '' ? 'none' : records}`);
  console.log(
    `answered by: ${response.answeredBy}${response.stoppedBy === undefined ? '' : ` (stopped by ${response.stoppedBy})`}`,
  );
  console.log(`trace: ${response.traceId}  (settleops trace ${response.traceId})`);
  return 0;
}

async function tools(argv: readonly string[]): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' } });
  // Loaded on demand like the agent: the catalog pulls in the tools and their dependencies.
  const { catalogForReview } = await import('./agents/tools/catalog.ts');
  const catalog = catalogForReview();
  print({ json: values.json === true }, catalog, () => formatCatalog(catalog));
  return 0;
}

function formatCatalog(catalog: readonly ToolReviewRow[]): string {
  return catalog
    .map((t) =>
      [
        `${t.name}  [${t.risk}, role ${t.requiredRole}, ${t.sessionCallCap} calls/session, audit ${t.auditLevel}]`,
        `  ${t.description}`,
      ].join('\n'),
    )
    .join('\n');
}

async function showTrace(config: Config, rt: SettlementRuntime, argv: readonly string[]): Promise<number> {
  const { values, positionals } = args(argv, { json: { type: 'boolean' } }, 1);
  const id = positionals[0];
  if (id === undefined)
    throw new UsageError('trace needs a trace ID, e.g. `settleops trace tr-…` (printed by ask)');
  const traces = traceStoreFor(config, rt);
  try {
    const t = await traces.store.get(id);
    if (t === undefined) {
      console.error(`No trace ${id} (traces are kept 30 days).`);
      return 1;
    }
    print({ json: values.json === true }, t, () => formatTrace(t));
    return 0;
  } finally {
    traces.close();
  }
}

function formatTrace(t: Trace): string {
  const ms = Date.parse(t.finishedAt) - Date.parse(t.startedAt);
  const lines = [
    `trace ${t.traceId}  session ${t.sessionId}  principal ${t.principalId}`,
    `question: ${t.question}`,
    `${t.startedAt} → ${t.finishedAt} (${ms} ms), answered by ${t.answeredBy}${t.stoppedBy === undefined ? '' : `, stopped by ${t.stoppedBy}`}`,
    `tokens: ${t.totals.inputTokens} in, ${t.totals.outputTokens} out, ${t.totals.cacheRead} cache read, ${t.totals.cacheWrite} cache write; estimated cost $${t.estimatedCostUsd.toFixed(6)}` +
      (t.unpricedModels === undefined ? '' : ` (no price for ${t.unpricedModels.join(', ')})`),
    'steps:',
  ];
  t.steps.forEach((s, i) => {
    const n = `${i + 1}.`.padEnd(4);
    switch (s.kind) {
      case 'model':
        lines.push(
          `  ${n}model ${s.modelId} → ${s.stopReason}, ${s.tokens.inputTokens} in / ${s.tokens.outputTokens} out${s.estimated ? ' (estimated)' : ''}, ${s.latencyMs} ms`,
        );
        break;
      case 'tool':
        lines.push(
          `  ${n}tool ${s.name}(${s.arguments === undefined ? (s.argumentNames ?? []).join(', ') : JSON.stringify(s.arguments)}) → ${s.outcome}, ${s.resultSize} chars, ${s.latencyMs} ms`,
        );
        break;
      case 'guardrail':
        lines.push(`  ${n}guardrail ${s.guardrail} on ${s.stage}: ${s.detail}`);
        break;
      case 'limit':
        lines.push(`  ${n}limit ${s.limit}: ${s.detail}`);
        break;
    }
  });
  return lines.join('\n');
}

async function agent(config: Config, argv: readonly string[]): Promise<number> {
  const { values } = args(argv, { port: { type: 'string' }, host: { type: 'string' } });
  const port =
    values.port === undefined ? config.agentcore.agentPort : positiveInt(values.port, 'port', 8080);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const logger = createJsonLogger({ level: config.logLevel });
  return withAgentService(config, logger, async (service) => {
    const runtime = createRuntimeApp(service, { logger });
    await runtime.start({ port, host: values.host ?? '0.0.0.0' });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info('stopping', { signal });
    await runtime.stop();
    return 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof JavaMissingError) {
      console.error(`settleops: ${error.message}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
