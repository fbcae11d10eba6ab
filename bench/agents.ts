/**
 * Agent benchmarks (loopback only, no model): per-question latency of the offline planner over a
 * seeded day in DynamoDB Local, in process and through the local AgentCore endpoint with the real
 * SDK client; the input tokens of the Bedrock Converse request each specialist would send for a
 * simple status question, with the share before the cache point; and, per specialist and model
 * family, whether that cache point is effective (the prefix before it at or above the family's
 * minimum, from the capability table).
 *
 * Tokens are counted with the cl100k_base BPE (gpt-tokenizer, bundled, no download) as a proxy:
 * Anthropic does not publish the tokenizer of its current models. The chars/4 estimate the offline
 * planner uses is shown beside it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { createAgentService } from '../src/agents/agent-service.ts';
import { routeByRules, SPECIALISTS } from '../src/agents/agents.ts';
import { runtimeSessionId } from '../src/agents/client/index.ts';
import {
  describeRates,
  ScreenCorpus,
  screenLatency,
  screenRates,
} from '../src/agents/guardrails/screen-evaluation.ts';
import { toConverseInput } from '../src/agents/model/bedrock-converse.ts';
import { capabilitiesFor } from '../src/agents/model/model-capabilities.ts';
import { OfflinePlanner } from '../src/agents/model/offline-planner.ts';
import { TOOL_CATALOG, toolSpecs } from '../src/agents/tools/catalog.ts';
import { InMemoryTraceStore } from '../src/agents/traces/index.ts';
import { createModelClient } from '../src/app/agent.ts';
import { startLocalAgentStack } from '../src/app/local-agent-stack.ts';
import { loadConfig } from '../src/config.ts';
import { LOCAL_ADMIN } from '../src/identity/index.ts';
import { ensureDynamoDbLocal } from '../src/local/dynamodb-local/artifact.ts';
import { startDynamoDbLocal } from '../src/local/dynamodb-local/launcher.ts';
import { silentLogger } from '../src/logger.ts';
import { generateSettlementDay } from '../src/seed/index.ts';
import { CalendarRegistry } from '../src/settlement/calendar.ts';
import { buildMatchingPolicy } from '../src/settlement/matching/index.ts';
import type { SettlementDeps } from '../src/settlement/services/deps.ts';
import { ingestTrades } from '../src/settlement/services/ingest-trades.ts';
import {
  REFRESH_OLDER_THAN_MS,
  refreshReportSnapshots,
} from '../src/settlement/services/refresh-report-snapshots.ts';
import { sweepSla } from '../src/settlement/services/sweep-sla.ts';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../src/settlement/sla-policy.ts';
import { createDynamoDbClients } from '../src/settlement/store/dynamodb-client.ts';
import { DynamoDbSettlementStore } from '../src/settlement/store/dynamodb-settlement-store.ts';
import { ensureTable } from '../src/settlement/store/table.ts';
import { agentMemoryOn, operatorIdentity } from '../test/support/agent-stack.ts';
import { ask } from '../test/support/ask-turn.ts';
import {
  HIDDEN_ASKED_AT,
  HIDDEN_INGESTED_AT,
  HIDDEN_SWEEPS,
  hiddenCaseDay,
} from '../test/support/hidden-case-day.ts';
import { type EvalSet, fillPlaceholders, judge } from '../test/support/ops-eval.ts';
import { summary } from './stats.ts';

const TRADE_DATE = '2026-11-24';
const QUESTIONS = 300;

export async function runAgentBench(options: { readonly evaluationOnly?: boolean } = {}): Promise<string> {
  const lines: string[] = [];
  lines.push(...injectionScreenReport());
  lines.push('');
  if (options.evaluationOnly !== true) {
    lines.push(...tokenReport());
    lines.push('');
    lines.push(...(await latencyReport()));
    lines.push('');
  }
  lines.push(...(await evaluationReport()));
  return lines.join('\n');
}

/** The injection screen's rates on its corpora and its time per question. */
export function injectionScreenReport(): string[] {
  const load = (name: string) =>
    ScreenCorpus.parse(
      JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), 'utf8')),
    );
  const tuning = load('injection-corpus');
  const heldOut = load('injection-heldout');
  const texts = [tuning, heldOut].flatMap((c) => [...c.injections, ...c.benign].map((x) => x.text));
  const t = screenLatency(texts, 50);
  const held = screenRates(heldOut);
  return [
    'Prompt-injection screen (normalise, then score; threshold 0.5):',
    `  tuning corpus (test/fixtures/injection-corpus.json):   ${describeRates(screenRates(tuning))}`,
    `  held-out set (written before tuning, never tuned on): ${describeRates(held)}`,
    ...held.missed.map((m) => `    missed: ${JSON.stringify(m)}`),
    ...held.refused.map((m) => `    refused: ${JSON.stringify(m)}`),
    `  time per question over ${t.samples} screenings: p50 ${t.p50.toFixed(1)} µs, p95 ${t.p95.toFixed(1)} µs, p99 ${t.p99.toFixed(1)} µs, max ${t.max.toFixed(1)} µs`,
  ];
}

function loadSet(name: string): EvalSet {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8')) as EvalSet;
}

/**
 * Issue 12's evaluation set and held-out paraphrases over the hidden-case day (ids like H4-INT, desk
 * EQ-UK) at 2,000 trades a side, asked the next afternoon as the local administrator, each through
 * the product's turn loop (`runTurn`, the specialist the rules router picks): accuracy and latency.
 */
async function evaluationReport(): Promise<string[]> {
  const config = loadConfig();
  const engine = await startDynamoDbLocal({
    engineDir: await ensureDynamoDbLocal(config.cacheDir),
    storage: { kind: 'memory' },
  });
  const clients = createDynamoDbClients({ endpoint: engine.endpoint, region: 'us-east-1', local: true });
  try {
    await ensureTable(clients.client, 'bench-agents-ops');
    const calendars = new CalendarRegistry();
    let now = Date.parse(HIDDEN_INGESTED_AT);
    const deps: SettlementDeps = {
      store: new DynamoDbSettlementStore(clients.doc, 'bench-agents-ops'),
      now: () => new Date(now),
      matching: buildMatchingPolicy({}),
      calendars,
      sla: new SlaPolicy(DEFAULT_SLA_POLICY, calendars),
    };
    const day = hiddenCaseDay(2000, 42);
    await ingestTrades(
      deps,
      [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 2, input })),
    );
    let openDates: readonly string[] = [];
    for (const at of [...HIDDEN_SWEEPS, HIDDEN_ASKED_AT]) {
      now = Date.parse(at);
      openDates = (await sweepSla(deps)).tradeDates;
    }
    // In production the sweep schedule keeps the day report snapshots warm (settleops start checks
    // every 10 s and rebuilds those older than 45 s; settleops sweep and the sweeper Lambda after each
    // pass): one refresh here, at the time the questions are asked, is what an asker finds.
    const t0 = performance.now();
    const refresh = await refreshReportSnapshots(deps, { tradeDates: openDates });
    const refreshMs = performance.now() - t0;
    const planner = new OfflinePlanner();
    const ctx = {
      principal: LOCAL_ADMIN,
      settlement: deps,
      sessionId: 'bench-session-00000000000000000000000000',
      traceId: 'bench',
    };
    const lines = [
      "Offline planner on issue 12's evaluation set, hidden-case day (H4-INT, EQ-UK) of 2,000 trades a side, asked the next afternoon, through runTurn (goal: accuracy ≥ 95 %, p95 ≤ 150 ms):",
      `  ${loadLine()} at the start`,
      `  report snapshots warm, as the sweep schedule keeps them in production (rebuilt when older than ${REFRESH_OLDER_THAN_MS / 1000} s): one refresh before the questions rebuilt ${refresh.refreshed.join(', ')} in ${refreshMs.toFixed(0)} ms`,
    ];
    const all: number[] = [];
    const byIntent = new Map<string, number[]>();
    const slowestOf = new Map<string, [number, string]>();
    for (const name of ['ops-questions.json', 'ops-questions-heldout.json']) {
      const set = loadSet(name);
      const questions = set.questions.map((q) => fillPlaceholders(q, day));
      // Warm-up: JIT and the engine's first queries.
      for (const q of questions.slice(0, 10)) await ask(planner, q.question, ctx);
      const times: number[] = [];
      let right = 0;
      const slow: Array<[number, string]> = [];
      for (const q of questions) {
        const t0 = performance.now();
        const turn = await ask(planner, q.question, ctx);
        const ms = performance.now() - t0;
        times.push(ms);
        slow.push([ms, q.question]);
        byIntent.set(q.intent, [...(byIntent.get(q.intent) ?? []), ms]);
        if (ms > (slowestOf.get(q.intent)?.[0] ?? -1)) slowestOf.set(q.intent, [ms, q.question]);
        if ((await judge(q, { answer: turn.answer, messages: turn.result.messages }, deps, day)).ok) right++;
      }
      all.push(...times);
      slow.sort((a, b) => b[0] - a[0]);
      lines.push(
        `  ${name.padEnd(28)} ${right}/${questions.length} right (${((100 * right) / questions.length).toFixed(1)} %), ${summary(times)}`,
        `    slowest: ${slow
          .slice(0, 3)
          .map(([ms, q]) => `${ms.toFixed(0)} ms "${q}"`)
          .join('; ')}`,
      );
    }
    lines.push(`  both sets:                   ${summary(all)}`, '  by intent (both sets):');
    for (const [intent, times] of [...byIntent].sort((a, b) => b[1].length - a[1].length))
      lines.push(
        `    ${intent.padEnd(18)} ${String(times.length).padStart(3)}  ${summary(times)}  (slowest "${slowestOf.get(intent)?.[1] ?? ''}")`,
      );
    // For the record: the all-desk report when nothing kept its snapshot warm (older than a minute).
    now += 2 * 60_000;
    const c0 = performance.now();
    await ask(planner, "yesterday's report", ctx);
    lines.push(
      `  cold all-desk report, once (no snapshot younger than a minute: the whole day read and every desk's snapshot stored): ${(performance.now() - c0).toFixed(0)} ms`,
      `  ${loadLine()} at the end`,
    );
    return lines;
  } finally {
    clients.client.destroy();
    await engine.stop();
  }
}

/** Model families the cache report covers: a representative id each (capabilities from the table). */
const CACHE_FAMILIES: ReadonlyArray<readonly [string, string]> = [
  ['Claude Sonnet 4 (3.7, 4.5 alike)', 'anthropic.claude-sonnet-4-20250514-v1:0'],
  ['Claude 3.5 Haiku', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
  ['Claude Haiku 4.5', 'anthropic.claude-haiku-4-5-20251001-v1:0'],
  ['Amazon Nova Pro (Lite, Micro alike)', 'amazon.nova-pro-v1:0'],
];

/**
 * Tokens before the request's cache point, in the order the cache reads the prefix: tool specs, then
 * system (Claude). Nova takes cache points in system and messages only, and its docs do not say the
 * tool configuration is part of the cached prefix, so only the system blocks are counted for it.
 */
function cachePrefix(
  input: ReturnType<typeof toConverseInput>,
  toolsInPrefix: boolean,
): { bpe: number; chars4: number } | undefined {
  const ordered: object[] = [
    ...(toolsInPrefix ? (input.toolConfig?.tools ?? []) : []),
    ...(input.system ?? []),
  ];
  const before: object[] = [];
  for (const block of ordered) {
    if ('cachePoint' in block && block.cachePoint !== undefined) {
      const text = before.map((b) => JSON.stringify(b)).join('');
      return { bpe: encode(text).length, chars4: Math.ceil(text.length / 4) };
    }
    before.push(block);
  }
  return undefined;
}

export function tokenReport(): string[] {
  const lines = ['Bedrock request size per specialist for "what\'s the status of T-10042?" (no memory yet):'];
  lines.push(
    '  specialist            tools  system  tool specs  question  total (cl100k)  cacheable  chars/4 total',
  );
  const question = "what's the status of T-10042?";
  const requests = Object.values(SPECIALISTS).map((s) => {
    const tools = TOOL_CATALOG.filter((t) => s.tools.includes(t.name));
    const request = {
      system: s.instructions,
      messages: [{ role: 'user' as const, content: [{ text: question }] }],
      tools: toolSpecs(tools),
      tier: s.tier,
      maxTokens: 1024,
    };
    return { specialist: s, tools, request };
  });
  for (const { specialist: s, tools, request } of requests) {
    const input = toConverseInput(CACHE_FAMILIES[0]?.[1] ?? 'model', request);
    const systemText = JSON.stringify(input.system);
    const toolsText = JSON.stringify(input.toolConfig);
    const messagesText = JSON.stringify(input.messages);
    const [sys, tls, msg] = [systemText, toolsText, messagesText].map((t) => encode(t).length) as [
      number,
      number,
      number,
    ];
    const total = sys + tls + msg;
    const chars4 = Math.ceil((systemText.length + toolsText.length + messagesText.length) / 4);
    lines.push(
      `  ${s.name.padEnd(20)}  ${String(tools.length).padStart(5)}  ${String(sys).padStart(6)}  ${String(tls).padStart(10)}  ${String(msg).padStart(8)}  ${String(total).padStart(14)}  ${((100 * (sys + tls)) / total).toFixed(1).padStart(8)} %  ${String(chars4).padStart(13)}`,
    );
  }
  const routed = routeByRules(question);
  lines.push(
    `  a status question is routed to ${routed} (goal: ≤ 3,000 input tokens, ≥ 70 % before the cache point)`,
    '',
    'Prompt cache per specialist and model family: tokens before the cache point (cl100k / chars÷4) against',
    "the family's minimum per checkpoint; below it Bedrock caches nothing and reports no cache reads.",
    'With BEDROCK_FAST_MODEL_ID unset every specialist runs on BEDROCK_MODEL_ID; otherwise the fast ones',
    '(settlement_qa, ingestion_help) on the fast model:',
  );
  for (const [family, modelId] of CACHE_FAMILIES) {
    const caps = capabilitiesFor(modelId);
    lines.push(
      `  ${family}: minimum ${caps.minCacheTokens.toLocaleString('en-US')} tokens, cache points in ${caps.cachePoints.join(', ')}`,
    );
    for (const { specialist: s, request } of requests) {
      const prefix = cachePrefix(
        toConverseInput(modelId, request, { capabilities: caps }),
        caps.family === 'claude',
      );
      const verdict =
        prefix === undefined
          ? 'no cache point sent'
          : Math.min(prefix.bpe, prefix.chars4) >= caps.minCacheTokens
            ? 'effective'
            : Math.max(prefix.bpe, prefix.chars4) >= caps.minCacheTokens
              ? 'borderline (the counts disagree)'
              : 'NOT effective (below the minimum)';
      const size =
        prefix === undefined
          ? ''
          : `${String(prefix.bpe).padStart(5)} / ${String(prefix.chars4).padStart(5)}`;
      lines.push(`    ${s.name.padEnd(22)} ${s.tier.padEnd(6)} ${size.padEnd(13)}  ${verdict}`);
    }
  }
  return lines;
}

async function latencyReport(): Promise<string[]> {
  const config = loadConfig();
  const engine = await startDynamoDbLocal({
    engineDir: await ensureDynamoDbLocal(config.cacheDir),
    storage: { kind: 'memory' },
  });
  const clients = createDynamoDbClients({ endpoint: engine.endpoint, region: 'us-east-1', local: true });
  try {
    await ensureTable(clients.client, 'bench-agents');
    const calendars = new CalendarRegistry();
    let now = Date.parse(`${TRADE_DATE}T20:00:00Z`);
    const deps: SettlementDeps = {
      store: new DynamoDbSettlementStore(clients.doc, 'bench-agents'),
      now: () => new Date(now),
      matching: buildMatchingPolicy({}),
      calendars,
      sla: new SlaPolicy(DEFAULT_SLA_POLICY, calendars),
    };
    const day = generateSettlementDay({ trades: 2000, seed: 42, date: TRADE_DATE });
    await ingestTrades(
      deps,
      [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 2, input })),
    );
    now = Date.parse(`${TRADE_DATE}T23:30:00Z`);
    await sweepSla(deps);

    const service = createAgentService({
      model: createModelClient(config),
      settlement: deps,
      traces: new InMemoryTraceStore(),
      memory: agentMemoryOn({ doc: clients.doc, tableName: 'bench-agents' }, deps.now),
      logger: silentLogger,
    });
    const ids = day.internal.map((t) => t.tradeId);
    const breaks = day.scenarios.filter((s) => s.scenario.endsWith('_BREAK')).map((s) => s.tradeId);
    const questions = Array.from({ length: QUESTIONS }, (_, i) => {
      const id = ids[(i * 37) % ids.length] ?? 'T-10000';
      const broken = breaks[i % Math.max(1, breaks.length)] ?? id;
      switch (i % 6) {
        case 0:
          return `what's the status of ${id}?`;
        case 1:
          return `why is ${broken} not matched?`;
        case 2:
          return 'which exceptions are open today?';
        case 3:
          return 'list the pending approvals';
        case 4:
          return "what is today's STP rate?";
        default:
          return `show the audit trail of ${id}`;
      }
    });

    const inProcess = await timeQuestions(questions, (q, i) =>
      service.answer(
        { question: q },
        { sessionId: runtimeSessionId('bench', 'admin', 'c', String(i)), principal: LOCAL_ADMIN },
      ),
    );
    // The same report question when its snapshot is older than a minute: rebuilt from the whole day.
    const cold: number[] = [];
    for (let i = 0; i < 10; i++) {
      now += 2 * 60_000;
      const t0 = performance.now();
      await service.answer(
        { question: "what is today's STP rate?" },
        { sessionId: runtimeSessionId('bench', 'admin', 'cold', String(i)), principal: LOCAL_ADMIN },
      );
      cold.push(performance.now() - t0);
    }
    const stack = await startLocalAgentStack(service, await operatorIdentity(deps.now, clients.doc));
    let viaAgentCore: number[];
    try {
      viaAgentCore = await timeQuestions(questions, (q, i) =>
        stack.invoker.ask(
          { question: q },
          {
            runtimeSessionId: runtimeSessionId('bench', 'admin', 'd', String(i)),
            runtimeUserId: LOCAL_ADMIN.principalId,
          },
        ),
      );
    } finally {
      await stack.close();
    }
    const kinds = [
      'status by id',
      'why not matched',
      'open exceptions today',
      'pending approvals',
      'STP rate (report)',
      'audit trail',
    ];
    const byKind = kinds.map(
      (k, j) => `    ${k.padEnd(24)} ${summary(inProcess.filter((_, i) => i % 6 === j))}`,
    );
    return [
      `Offline planner, ${QUESTIONS} questions (6 kinds) over a seeded day of 2,000 trades a side in DynamoDB Local (goal: p95 ≤ 150 ms):`,
      `  in process (service.answer):                 ${summary(inProcess)}`,
      `  through the local AgentCore endpoint (SDK):  ${summary(viaAgentCore)}`,
      '  in process, by kind of question:',
      ...byKind,
      `  report when its snapshot is older than a minute (rebuilt from the day's ~8,000 items): ${summary(cold)}`,
    ];
  } finally {
    clients.client.destroy();
    await engine.stop();
  }
}

async function timeQuestions(
  questions: readonly string[],
  ask: (question: string, i: number) => Promise<unknown>,
): Promise<number[]> {
  // Warm-up: JIT and the engine's first queries are not what an analyst waits for all day.
  for (let i = 0; i < 20; i++) await ask(questions[i % questions.length] ?? '', 10_000 + i);
  const times: number[] = [];
  for (let i = 0; i < questions.length; i++) {
    const t0 = performance.now();
    await ask(questions[i] ?? '', i);
    times.push(performance.now() - t0);
  }
  return times;
}

/** The machine's load, for reading the figures: the bench shares it with whatever else runs. */
function loadLine(): string {
  const [one, five] = loadavg();
  return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) on ${availableParallelism()} CPUs`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runAgentBench({ evaluationOnly: process.argv.includes('--evaluation-only') }));
}
