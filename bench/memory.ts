/**
 * Memory benchmark (loopback only): what long-term memory retrieval adds to an offline answer.
 * A principal with a full memory (50 facts, the per-person limit) asks the same settlement and
 * memory questions twice through the agent service — once with the DynamoDB memory as wired in the
 * product, once with retrieval answering nothing without I/O — on a 500-a-side day in DynamoDB
 * Local. Reported: retrieval alone (p50/p95), answer latency both ways, and the p95 difference
 * (goal: retrieval adds ≤ 20 ms p95).
 */
import { pathToFileURL } from 'node:url';
import { createAgentService } from '../src/agents/agent-service.ts';
import { runtimeSessionId } from '../src/agents/client/index.ts';
import { OfflinePlanner } from '../src/agents/model/offline-planner.ts';
import { InMemoryTraceStore } from '../src/agents/traces/index.ts';
import { loadConfig } from '../src/config.ts';
import type { Principal } from '../src/identity/index.ts';
import { ensureDynamoDbLocal } from '../src/local/dynamodb-local/artifact.ts';
import { startDynamoDbLocal } from '../src/local/dynamodb-local/launcher.ts';
import { silentLogger } from '../src/logger.ts';
import {
  DynamoDbLongTermMemory,
  FACT_TTL_DAYS,
  type FactWrite,
  type LongTermMemory,
} from '../src/memory/index.ts';
import { generateSettlementDay } from '../src/seed/index.ts';
import { CalendarRegistry } from '../src/settlement/calendar.ts';
import { buildMatchingPolicy } from '../src/settlement/matching/index.ts';
import type { SettlementDeps } from '../src/settlement/services/deps.ts';
import { ingestTrades } from '../src/settlement/services/ingest-trades.ts';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../src/settlement/sla-policy.ts';
import { createDynamoDbClients } from '../src/settlement/store/dynamodb-client.ts';
import { DynamoDbSettlementStore } from '../src/settlement/store/dynamodb-settlement-store.ts';
import { ensureTable } from '../src/settlement/store/table.ts';
import { agentMemoryOn } from '../test/support/agent-stack.ts';
import { quantile, summary } from './stats.ts';

const TABLE = 'bench-memory';
const DATE = '2026-11-24';
const ROUNDS = 200;
const ASKER: Principal = { principalId: 'bench-analyst', roles: ['viewer'], desks: '*', accounts: [] };

const TOPICS = [
  'the EUR repo desk on Fridays',
  'equities settlements on Mondays',
  'the FI desk in London',
  'answers in bullet points',
  'amounts in EUR',
  'SLA deadlines in New York time',
  'DEUTDEFF confirmations arriving late',
  'BNPAFRPP needing a call before cut-off',
  'the APAC equities book during the Tokyo holiday',
  'the repo desk handover at 18:00',
];

export async function runMemoryBench(): Promise<string> {
  const config = loadConfig();
  const engine = await startDynamoDbLocal({
    engineDir: await ensureDynamoDbLocal(config.cacheDir),
    storage: { kind: 'memory' },
  });
  const clients = createDynamoDbClients({ endpoint: engine.endpoint, region: 'us-east-1', local: true });
  try {
    await ensureTable(clients.client, TABLE);
    const calendars = new CalendarRegistry();
    const now = () => new Date(`${DATE}T23:30:00Z`);
    const deps: SettlementDeps = {
      store: new DynamoDbSettlementStore(clients.doc, TABLE),
      now,
      matching: buildMatchingPolicy({}),
      calendars,
      sla: new SlaPolicy(DEFAULT_SLA_POLICY, calendars),
    };
    const day = generateSettlementDay({ trades: 500, seed: 7, date: DATE });
    await ingestTrades(
      deps,
      [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 2, input })),
    );
    const facts = new DynamoDbLongTermMemory(clients.doc, TABLE, { now });
    const writes: FactWrite[] = Array.from({ length: 50 }, (_, i) => ({
      factId: `f-bench${String(i).padStart(21, '0')}`,
      category: i % 2 === 0 ? 'responsibility' : 'preference',
      text: `You look after ${TOPICS[i % TOPICS.length]} (note ${i}).`,
      source: { sessionId: 'so-bench', eventId: `e${i}` },
      createdAt: `${DATE}T08:00:00.000Z`,
      updatedAt: `${DATE}T08:00:00.000Z`,
      expiresAt: new Date(Date.parse(DATE) + FACT_TTL_DAYS.responsibility * 86_400_000).toISOString(),
    }));
    await facts.put(ASKER.principalId, writes);

    const ids = day.internal.map((t) => t.tradeId);
    const questions = Array.from({ length: ROUNDS }, (_, i) => {
      const id = ids[(i * 13) % ids.length] ?? 'T-10000';
      return [
        `what's the status of ${id}?`,
        'which desk do I cover on Fridays?',
        'list the pending approvals',
        'what do you remember about me?',
      ][i % 4] as string;
    });

    const retrieval: number[] = [];
    for (let i = 0; i < 20; i++) await facts.retrieve(ASKER.principalId, questions[i] ?? '', 5);
    for (const q of questions) {
      const t0 = performance.now();
      await facts.retrieve(ASKER.principalId, q, 5);
      retrieval.push(performance.now() - t0);
    }

    const real = agentMemoryOn({ doc: clients.doc, tableName: TABLE }, now);
    // The baseline: the same memory, but retrieval answers nothing without touching the store.
    const none: LongTermMemory = {
      put: async () => {},
      list: async () => [],
      retrieve: async () => [],
      delete: async () => 0,
    };
    const serviceWith = (memory: typeof real) =>
      createAgentService({
        model: new OfflinePlanner(),
        settlement: deps,
        traces: new InMemoryTraceStore(),
        memory,
        logger: silentLogger,
      });
    const withMemory = serviceWith(real);
    const without = serviceWith({ ...real, facts: none });
    const time = async (service: typeof withMemory, tag: string) => {
      const out: number[] = [];
      for (let i = 0; i < questions.length + 20; i++) {
        const q = questions[i % questions.length] ?? '';
        const t0 = performance.now();
        await service.answer(
          { question: q },
          { sessionId: runtimeSessionId('bench', ASKER.principalId, tag, String(i)), principal: ASKER },
        );
        if (i >= 20) out.push(performance.now() - t0);
      }
      return out;
    };
    // Baseline first, then with memory: the same questions, the same warm engine.
    const baseline = await time(without, 'a');
    const measured = await time(withMemory, 'b');
    const p95 = (t: readonly number[]) => quantile(t, 95);
    return [
      `Long-term memory retrieval (DynamoDB Local, 50 facts, top 5, ${ROUNDS} queries): ${summary(retrieval)}`,
      `Offline answers without retrieval: ${summary(baseline)}`,
      `Offline answers with retrieval:    ${summary(measured)}`,
      `Added at p95: ${(p95(measured) - p95(baseline)).toFixed(1)} ms (goal ≤ 20 ms)`,
    ].join('\n');
  } finally {
    clients.client.destroy();
    await engine.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runMemoryBench());
}
