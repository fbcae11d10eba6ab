import { type AgentEvent, agentRequestProblem } from '../../agents/index.ts';
import { askAgent } from '../../app/ask.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { LOCAL_ADMIN, type Principal, Role } from '../../identity/index.ts';
import { args } from '../args.ts';

/** `settleops ask "QUESTION"`: one question to the agent through AgentCore. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
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
  const stream = values.stream === true;
  const json = values.json === true;
  const onEvent = stream
    ? (e: AgentEvent) => {
        if (e.type === 'progress') process.stderr.write(`… ${e.message}\n`);
        else if (e.type === 'text' && !json) process.stdout.write(e.delta);
      }
    : undefined;
  const request = { question, principal: principalFrom(values) };
  const refused = agentRequestProblem(request);
  if (refused !== undefined) throw new UsageError(`ask: ${refused}`);
  const response = await askAgent(config, {
    request,
    stream,
    ...(onEvent === undefined ? {} : { onEvent }),
  });
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
