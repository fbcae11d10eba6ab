import { createNotifier, DynamoDbAlertMessages, notifierSlackClient } from '../../bot/index.ts';
import { loadConfig } from '../../config.ts';
import { principalDirectory } from '../identity.ts';
import { coldStart, functionLogger, openFunctionSettlement, readSlackSecrets } from '../serverless.ts';

/**
 * The outbox notifier as a Lambda function: woken by the table's stream (outbox items only) or by its
 * safety schedule, it runs one notifier pass — every pending alert posted once, updated alerts edited in
 * place — exactly what `settleops start` runs every two seconds. The stream records only wake it: the
 * pass reads the outbox itself, so a record seen twice posts nothing twice.
 */
const boot = coldStart(async () => {
  const config = loadConfig();
  const logger = functionLogger(config, 'notifier');
  const rt = await openFunctionSettlement(config, logger);
  const slack = await readSlackSecrets(config, { signing: false });
  const notifier = createNotifier({
    slack: notifierSlackClient(
      slack.botToken,
      slack.apiUrl === undefined ? {} : { slackApiUrl: slack.apiUrl },
    ),
    messages: new DynamoDbAlertMessages(rt.doc, rt.table),
    settlement: rt.deps,
    directory: principalDirectory(rt),
    channel: slack.alertChannel,
    logger,
  });
  return { notifier, logger };
});

export async function handler(event: { readonly Records?: readonly unknown[] }): Promise<void> {
  const { notifier, logger } = await boot();
  const pass = await notifier.runOnce();
  logger.info('notifier pass', { ...pass, trigger: event.Records === undefined ? 'schedule' : 'stream' });
}
