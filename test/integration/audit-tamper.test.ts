import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/seed/index.ts';
import { type AuditContent, chainHash } from '../../src/settlement/audit-chain.ts';
import { keys } from '../../src/settlement/store/items.ts';
import { type CliResult, runCli } from '../support/cli.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { aCounterpartyRecordOf, aTrade, type TradeRecord } from '../support/trade-factory.ts';

/*
 * The tamper suite: each edit a forger with write access to the table (but neither the audit key
 * nor the digest log) could make, done directly with a raw DynamoDB client, then caught by the real
 * `settleops audit verify`. Every scene is a pair of its own (its own ISIN, so scenes never meet in
 * matching); they are booked, decided and digested through the real command, verified intact, then
 * all tampered with, and verified once (each command costs seconds here).
 */

const SCENES = {
  price: 'US0378331005',
  lastChangedBy: 'US5949181045',
  decider: 'US0231351067',
  rewritten: 'US67066G1040',
  stripped: 'US02079K3059',
  rolledBack: 'US30303M1027',
  deleted: 'US46625H1005',
} as const;
type Scene = keyof typeof SCENES;
/** Scenes whose pair waits for review (a counterparty BIC branch differs), then is approved. */
const REVIEWED: readonly Scene[] = ['lastChangedBy', 'decider', 'rewritten', 'stripped', 'rolledBack'];

const ours = (s: Scene) => `INTERNAL#T-${s}`;
const theirs = (s: Scene) => `COUNTERPARTY#C-T-${s}`;

interface Finding {
  readonly code: string;
  readonly message: string;
  readonly fields?: readonly string[];
}
interface VerifyReport {
  readonly keyed: boolean;
  readonly legacy: readonly string[];
  readonly failures: ReadonlyArray<{ entityId: string; findings: readonly Finding[] }>;
  readonly digest?: { digests: number; problems: readonly string[] };
}

let table: TestTable;
let dir: string;
let env: Record<string, string>;
const matchIds = new Map<Scene, string>();
let intact: { code: number | null; report: VerifyReport };
let tampered: { code: number | null; report: VerifyReport };
let text: CliResult;
let digested: CliResult;

function pair(scene: Scene): TradeRecord[] {
  const reviewed = REVIEWED.includes(scene);
  const trade = aTrade({
    tradeId: `T-${scene}`,
    isin: SCENES[scene],
    ...(reviewed ? { counterpartyBic: 'DEUTDEFF500' } : {}),
  });
  return [trade, aCounterpartyRecordOf(trade, reviewed ? { counterpartyBic: 'DEUTDEFF600' } : {})];
}

async function verify(): Promise<{ code: number | null; report: VerifyReport }> {
  const result = await runCli(['audit', 'verify', '--json'], env);
  return { code: result.code, report: JSON.parse(result.stdout) as VerifyReport };
}

async function item(key: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  const out = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key }));
  if (out.Item === undefined) throw new Error(`no item ${key.pk}`);
  return out.Item;
}

async function update(
  key: { pk: string; sk: string },
  expression: string,
  values: Record<string, unknown> = {},
  names: Record<string, string> = {},
): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: key,
      UpdateExpression: expression,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    }),
  );
}

async function remove(key: { pk: string; sk: string }): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: key }));
}

async function put(record: Record<string, unknown>): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.tableName, Item: record }));
}

/** Record 3 of our trade (its approval) rewritten to name another approver, hash recomputed, head moved. */
async function rewriteApproval(scene: Scene, record: Record<string, unknown>): Promise<void> {
  const forged = { ...record, actor: 'principal:ops-zed' };
  const hash = chainHash(String(record.prevHash), forged as unknown as AuditContent);
  await put({ ...forged, hash });
  await update(keys.trade(ours(scene)), 'SET auditHash = :h', { ':h': hash });
}

const tampering: Record<Scene, () => Promise<void>> = {
  price: () =>
    update(keys.trade(ours('price')), 'SET price = :p, account = :a', { ':p': '99.00', ':a': 'ACC-666' }),
  lastChangedBy: () =>
    update(keys.trade(ours('lastChangedBy')), 'SET lastChangedBy = :m', { ':m': 'principal:ops-zed' }),
  decider: () =>
    update(
      keys.match(matchIds.get('decider') ?? ''),
      'SET decision.#by = :b',
      { ':b': 'principal:ops-zed' },
      { '#by': 'by' },
    ),
  rewritten: async () => rewriteApproval('rewritten', await item(keys.audit(ours('rewritten'), 3))),
  stripped: async () => {
    // Every signature of the chain stripped, then rewritten and recomputed: it now looks legacy.
    const receiptId = String((await item(keys.trade(ours('stripped')))).auditReceipt);
    const records = (await item(keys.receipt(receiptId))).records as Array<Record<string, unknown>>;
    const first = records.findIndex((r) => r.entityId === ours('stripped'));
    await update(keys.receipt(receiptId), `REMOVE records[${first}].mac`);
    await update(keys.audit(ours('stripped'), 2), 'REMOVE mac');
    const { mac: _mac, ...unsigned } = await item(keys.audit(ours('stripped'), 3));
    await rewriteApproval('stripped', unsigned);
  },
  rolledBack: async () => {}, // done around the approval (see beforeAll)
  deleted: async () => {
    const matchId = matchIds.get('deleted') ?? '';
    const audit = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition(matchId) },
      }),
    );
    for (const r of audit.Items ?? []) await remove({ pk: String(r.pk), sk: String(r.sk) });
    await remove(keys.match(matchId));
  },
};

beforeAll(async () => {
  table = await createTestTable();
  dir = await mkdtemp(join(tmpdir(), 'settleops-tamper-'));
  env = { DYNAMODB_ENDPOINT: table.endpoint, SETTLEOPS_TABLE: table.tableName, SETTLEOPS_DATA_DIR: dir };
  const file = join(dir, 'day.csv');
  await writeFile(file, toCsv((Object.keys(SCENES) as Scene[]).flatMap(pair)));
  expect((await runCli(['ingest', file, '--as', 'ops-ann'], env)).code).toBe(0);
  // The reviewer is a known approver of every desk, enrolled through the real command (so signed).
  const enrolled = await runCli(
    ['users', 'add', '--slack-team', 'T0TAMPER', '--slack-user', 'U0BEN', '--principal', 'ops-ben'].concat([
      '--role',
      'approver',
      '--desk',
      '*',
    ]),
    env,
  );
  expect(enrolled.code).toBe(0);

  for (const scene of Object.keys(SCENES) as Scene[])
    matchIds.set(scene, String((await item(keys.trade(ours(scene)))).matchId));
  const rolledBack = matchIds.get('rolledBack') ?? '';
  const beforeApproval = await Promise.all([
    item(keys.trade(ours('rolledBack'))),
    item(keys.trade(theirs('rolledBack'))),
    item(keys.match(rolledBack)),
  ]);
  const approvals = await Promise.all(
    REVIEWED.map((scene) => runCli(['review', 'approve', matchIds.get(scene) ?? '', '--as', 'ops-ben'], env)),
  );
  expect(approvals.map((a) => a.code)).toStrictEqual(REVIEWED.map(() => 0));

  digested = await runCli(['audit', 'digest'], env);
  intact = await verify();

  for (const tamper of Object.values(tampering)) await tamper();
  // Cut back: the approval's records and instruction removed, every item put back as it was.
  await Promise.all([
    remove(keys.audit(ours('rolledBack'), 3)),
    remove(keys.audit(theirs('rolledBack'), 3)),
    remove(keys.audit(rolledBack, 2)),
    remove(keys.instruction(`SI|${rolledBack}`)),
  ]);
  for (const snapshot of beforeApproval) await put(snapshot);

  tampered = await verify();
  text = await runCli(['audit', 'verify'], env);
}, 180_000);

function findingsOf(entityId: string): readonly Finding[] {
  return tampered.report.failures.find((f) => f.entityId === entityId)?.findings ?? [];
}

function codesOf(entityId: string): string[] {
  return findingsOf(entityId).map((f) => f.code);
}

describe('settleops audit verify before tampering', () => {
  it('reports every chain intact, signed, bound to state and agreeing with the digest', async () => {
    expect(digested.code).toBe(0);
    expect(digested.stdout).toMatch(/^audit digest #1 written to .*: 21 chain heads, 21 changed/);
    expect(intact.code).toBe(0);
    expect(intact.report).toMatchObject({
      keyed: true,
      legacy: [],
      failures: [],
      digest: { digests: 1, problems: [] },
    });
    expect((await stat(join(dir, 'keys', 'audit.key'))).mode & 0o777).toBe(0o600);
  });
});

describe('settleops audit verify against a forger with table access', () => {
  it('fails, and names no entity that was not tampered with or does not refer to one that was', () => {
    expect(tampered.code).toBe(1);
    const touched = (Object.keys(SCENES) as Scene[]).flatMap((s) => [
      ours(s),
      theirs(s),
      matchIds.get(s) ?? '',
      `SI|${matchIds.get(s)}`,
    ]);
    for (const f of tampered.report.failures) expect(touched).toContain(f.entityId);
  });

  it("detects a trade's price and account edited in the table, naming both fields", () => {
    const [finding] = findingsOf(ours('price'));
    expect(finding?.code).toBe('STATE_MISMATCH');
    expect(finding?.fields).toStrictEqual(['price', 'account']);
    expect(finding?.message).toContain('price is "99.00" (the audit trail says "101.25")');
  });

  it('detects lastChangedBy rewritten (to dodge four eyes)', () => {
    expect(findingsOf(ours('lastChangedBy'))).toStrictEqual([
      {
        code: 'STATE_MISMATCH',
        message:
          'its stored fields are not the state audit record 3 sealed: lastChangedBy is "principal:ops-zed" (the audit trail says "principal:ops-ann")',
        fields: ['lastChangedBy'],
      },
    ]);
  });

  it("detects a decision's decider rewritten", () => {
    expect(findingsOf(matchIds.get('decider') ?? '').map((f) => [f.code, f.fields])).toStrictEqual([
      ['STATE_MISMATCH', ['decision.by']],
    ]);
  });

  it('detects a chain rewritten with recomputed hashes and a matching head', () => {
    expect(codesOf(ours('rewritten'))).toStrictEqual(['SIGNATURE_INVALID', 'DIGEST_MISMATCH']);
  });

  it('detects a rewritten chain whose signatures were stripped, through the digest', () => {
    expect(codesOf(ours('stripped'))).toStrictEqual(['DIGEST_MISMATCH']);
  });

  it('detects chains cut back with their heads and state rolled back', () => {
    for (const entityId of [ours('rolledBack'), theirs('rolledBack'), matchIds.get('rolledBack') ?? ''])
      expect(codesOf(entityId)).toStrictEqual(['ROLLED_BACK']);
  });

  it('detects a whole match deleted with its audit partition', () => {
    const matchId = matchIds.get('deleted') ?? '';
    expect(codesOf(matchId)).toStrictEqual(['DELETED']);
    expect(findingsOf(ours('deleted'))).toStrictEqual([
      { code: 'REFERENCE', message: `it names match ${matchId}, which does not exist` },
    ]);
    expect(codesOf(theirs('deleted'))).toStrictEqual(['REFERENCE']);
    expect(codesOf(`SI|${matchId}`)).toStrictEqual(['REFERENCE']);
  });

  it('says in plain text which entity is wrong and how', () => {
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`AUDIT BROKEN: ${tampered.report.failures.length} of `);
    expect(text.stdout).toContain(
      `  ${ours('price')}:\n    - [STATE_MISMATCH] its stored fields are not the state audit record 2 sealed: price is "99.00" (the audit trail says "101.25"), account is "ACC-666" (the audit trail says "ACC-7")`,
    );
  });
});
