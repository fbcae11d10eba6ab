import { DateTime } from 'luxon';
import { openSettlement, type SettlementRuntime } from '../app/settlement.ts';
import type { Config } from '../config.ts';
import { generateSettlementDay } from '../seed/index.ts';
import type { OutboxRecord } from '../settlement/index.ts';
import {
  buildReport,
  CalendarRegistry,
  type IngestSummary,
  ingestTrades,
  sweepSla,
  writeAuditDigest,
} from '../settlement/index.ts';
import { formatDigestOutcome } from './format/audit.ts';
import { formatReport } from './format/report.ts';

export interface DemoOptions {
  readonly trades: number;
  readonly seed: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  /** Run the day without waiting (the simulated clock jumps), print the report and exit. */
  readonly once: boolean;
}

const NEW_YORK = 'America/New_York';
const WAVES = 12;
const SIM_START = { hour: 16, minute: 0 };
const SIM_END = { hour: 21, minute: 30 };
const TICK_SIM_MINUTES = 5;
/** How often the sweeper also signs a digest of every audit chain head (CloudTrail writes one an hour). */
const DIGEST_SIM_MINUTES = 60;

/**
 * `settleops start`: the settlement core on embedded defaults. Internal bookings are loaded at
 * 16:00 New York time on the trade date; counterparty confirmations arrive in waves over a
 * simulated clock; matching and the SLA sweeper run as they would on the day, and every alert the
 * outbox holds is printed once (the Slack notifier takes over this job in a later step).
 */
export async function runDemoDay(config: Config, options: DemoOptions): Promise<number> {
  const calendars = new CalendarRegistry();
  const tradeDate = lastUsBusinessDay(calendars);
  const start = DateTime.fromISO(`${tradeDate}T00:00`, { zone: NEW_YORK }).set(SIM_START);
  const end = DateTime.fromISO(`${tradeDate}T00:00`, { zone: NEW_YORK }).set(SIM_END);
  const clock = new SimClock(start.toMillis(), options.once ? 0 : options.speed);
  const say = (message: string) => console.log(`${clock.label()}  ${message}`);

  console.log('SettleOps — embedded mode (DynamoDB Local, no Slack or AWS account needed)');
  const rt = await openSettlement(config, {
    now: () => clock.now(),
    log: (m) => console.log(m),
    share: true,
  });
  console.log(
    `DynamoDB: ${rt.dynamodb.endpoint ?? 'AWS'} (${rt.dynamodb.embedded === 'none' ? 'configured' : 'embedded'}), data in ${config.dataDir}`,
  );

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const day = generateSettlementDay({ trades: options.trades, seed: options.seed, date: tradeDate });
    const existing = await rt.store.listDay(tradeDate);
    if (existing.trades.length > 0) {
      say(
        `trade date ${tradeDate} already has ${existing.trades.length} records in the store: resuming, not seeding`,
      );
    }
    say(`trade date ${tradeDate}: booking ${day.internal.length} internal trades`);
    report(say, 'bookings', await ingestTrades(rt.deps, rows(day.internal)));
    await deliverAlerts(rt, say);

    const waves = chunk(day.counterparty, WAVES);
    const waveEvery = Math.floor(end.diff(start, 'minutes').minutes / (WAVES + 2));
    let nextWave = 0;
    let nextWaveAt = start.plus({ minutes: TICK_SIM_MINUTES }).toMillis();
    let nextDigestAt = start.plus({ minutes: DIGEST_SIM_MINUTES }).toMillis();
    for (;;) {
      if (nextWave < waves.length && clock.now().getTime() >= nextWaveAt) {
        const wave = waves[nextWave++] ?? [];
        say(`${wave.length} counterparty confirmations arrive (wave ${nextWave}/${waves.length})`);
        report(say, 'confirmations', await ingestTrades(rt.deps, rows(wave)));
        nextWaveAt += waveEvery * 60_000;
      }
      const swept = await sweepSla(rt.deps);
      if (swept.missingCounterparty + swept.warned + swept.breached > 0) {
        say(
          `SLA sweeper: ${swept.missingCounterparty} missing confirmations (CMIS, or DELN/DSEC/DTRD for ${swept.nearMisses} found with a wrong key field), ${swept.warned} warnings, ${swept.breached} breaches`,
        );
      }
      await deliverAlerts(rt, say);
      const last = clock.now().getTime() >= end.toMillis();
      if (last || clock.now().getTime() >= nextDigestAt) {
        say(formatDigestOutcome(await writeAuditDigest(rt.store, rt.audit, clock.now().toISOString())));
        nextDigestAt += DIGEST_SIM_MINUTES * 60_000;
      }
      if (last) break;
      if (stopping) return 130;
      await clock.advance(TICK_SIM_MINUTES * 60_000);
    }

    const r = buildReport(await rt.store.listDay(tradeDate), {
      tradeDate,
      now: clock.now().toISOString(),
      dateBasis: `today in ${NEW_YORK} (demo day)`,
    });
    console.log(`\n${formatReport(r)}\n`);
    if (options.once) return 0;
    console.log(
      'The day is done; the store is kept. In another terminal (sharing this DynamoDB Local):\n' +
        `  npx settleops report --date ${tradeDate}\n  npx settleops trade T-10000\n  npx settleops audit verify\n` +
        'Press Ctrl-C to stop.',
    );
    while (!stopping) await new Promise((r) => setTimeout(r, 250));
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await rt.close();
  }
}

function rows<T>(inputs: readonly T[]) {
  return inputs.map((input, i) => ({ line: i + 1, input }));
}

function chunk<T>(list: readonly T[], parts: number): T[][] {
  const size = Math.ceil(list.length / parts);
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function report(say: (m: string) => void, what: string, s: IngestSummary): void {
  const m = s.matching;
  say(
    `  ${what}: ${s.ingested} new, ${s.unchanged} unchanged, ${s.amended} amended → ` +
      `${m.AUTO_MATCHED} auto-matched, ${m.PENDING_REVIEW} for review, ${m.EXCEPTION} exceptions, ${m.NO_CANDIDATE} waiting`,
  );
}

/** Prints each pending alert once and marks it delivered (the console stands in for Slack here). */
async function deliverAlerts(rt: SettlementRuntime, say: (m: string) => void): Promise<void> {
  for (;;) {
    const page = await rt.store.listPendingOutbox({ limit: 100 });
    if (page.items.length === 0) return;
    for (const o of page.items) {
      if (
        await rt.store.markOutboxDelivered(o.outboxId, { channel: 'console' }, rt.deps.now().toISOString())
      ) {
        say(`  ALERT ${describeAlert(o)}`);
      }
    }
  }
}

function describeAlert(o: OutboxRecord): string {
  const p = o.payload;
  switch (o.kind) {
    case 'REVIEW_REQUESTED': {
      const rivals = Array.isArray(p.ambiguousWith) ? p.ambiguousWith.map(String) : [];
      const why = rivals.length > 0 ? `, equally good: ${rivals.join(', ')}` : '';
      return `[review] ${String(p.internal)} ↔ ${String(p.counterparty)} confidence ${String(p.confidence)}${why} — Approve / Reject`;
    }
    case 'REVIEW_DECIDED':
      return `[decided] ${String(p.matchId)} ${String(p.status)}`;
    case 'EXCEPTIONS_RAISED':
      return `[exception] ${String(p.tradeRef)}: ${(p.exceptionIds as string[]).map((id) => id.split('|').at(-1)).join(', ')}`;
    case 'SLA_WARNING':
      return `[SLA warning] ${String(p.tradeRef)} ${String(p.reasonCode)} due ${newYork(String(p.deadline))} (${String(p.priority)})`;
    case 'SLA_BREACH':
      return `[SLA BREACH] ${String(p.tradeRef)} ${String(p.reasonCode)} was due ${newYork(String(p.deadline))}`;
    case 'EXCEPTION_RESOLVED':
      return `[resolved] ${String(p.tradeRef)}: ${String(p.exceptionId).split('|').at(-1)}`;
    case 'INSTRUCTION_CREATED':
      return `[instruction] ${o.entityId}`;
    case 'INSTRUCTION_CANCELLED':
      return `[instruction cancelled] ${o.entityId} (${String(p.reason)})`;
    case 'INSTRUCTION_REPLACED':
      return `[instruction replaced] ${o.entityId} by ${String(p.replacedBy)}`;
  }
}

/** An instant as New York wall-clock time with the date, e.g. `Tue 24 Nov 21:00 ET`. */
function newYork(iso: string): string {
  return `${DateTime.fromISO(iso, { zone: NEW_YORK }).toFormat('ccc d LLL HH:mm')} ET`;
}

/** The most recent US settlement business day, counted in New York. */
function lastUsBusinessDay(calendars: CalendarRegistry): string {
  const us = calendars.forMarket('US');
  let d = DateTime.now().setZone(NEW_YORK).toISODate() ?? new Date().toISOString().slice(0, 10);
  while (!us.isBusinessDay(d)) d = DateTime.fromISO(d).minus({ days: 1 }).toISODate() ?? d;
  return d;
}

/** A clock that starts at a chosen instant and runs `speed` times faster than real time. */
class SimClock {
  #sim: number;
  constructor(
    start: number,
    private readonly speed: number,
  ) {
    this.#sim = start;
  }
  now(): Date {
    return new Date(this.#sim);
  }
  label(): string {
    return `${DateTime.fromMillis(this.#sim, { zone: NEW_YORK }).toFormat('HH:mm')} ET`;
  }
  async advance(ms: number): Promise<void> {
    if (this.speed > 0) await new Promise((r) => setTimeout(r, ms / this.speed));
    this.#sim += ms;
  }
}
