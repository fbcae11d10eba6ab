import { type AgentEvent, agentRequestProblem } from '../../agents/index.ts';
import { askAs } from '../../app/ask.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { checkPrincipalId } from '../../identity/index.ts';
import { args } from '../args.ts';

/**
 * `settleops ask "QUESTION" [--user ID]`: one question to the agent through AgentCore, as directory
 * principal ID (unknown or removed: refused, nothing asked) or, without --user, as the local
 * administrator.
 */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(
    argv,
    { user: { type: 'string' }, json: { type: 'boolean' }, stream: { type: 'boolean' } },
    1,
  );
  const question = positionals[0];
  if (question === undefined || question.trim() === '')
    throw new UsageError('ask needs a question, e.g. `settleops ask "what is the status of T-10042?"`');
  // The question is checked before anything is opened (the principal is looked up later).
  const refused = agentRequestProblem({ question });
  if (refused !== undefined) throw new UsageError(`ask: ${refused}`);
  const user = values.user === undefined ? undefined : checkPrincipalId(values.user);
  if (user?.ok === false) throw new UsageError(`ask: --user: principal id ${user.problem}`);
  const stream = values.stream === true;
  const json = values.json === true;
  const onEvent = stream
    ? (e: AgentEvent) => {
        if (e.type === 'progress') process.stderr.write(`… ${e.message}\n`);
        else if (e.type === 'text' && !json) process.stdout.write(e.delta);
      }
    : undefined;
  const outcome = await askAs(config, {
    question,
    ...(user?.ok === true ? { user: user.principalId } : {}),
    stream,
    ...(onEvent === undefined ? {} : { onEvent }),
  });
  if (outcome.kind === 'UNKNOWN_USER') {
    console.error(
      `settleops: ask: --user ${outcome.principalId} is not in the principal directory (or was removed); nothing asked`,
    );
    return 1;
  }
  const { response } = outcome;
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
