import type { MrkdwnElement, PlainTextElement } from '@slack/types';
import { truncateText } from './truncate.ts';

/**
 * Data (user text, trade fields, agent answers) made inert for mrkdwn: `&`, `<` and `>` become
 * entities, so `<!channel>` or `<@U123>` in data is shown, never parsed as a mention or a link, and the
 * bare broadcast words get a zero-width joiner after `@` so no client links them either.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}

/** Escaped and shortened to `max` characters before escaping (so an entity is never cut). */
export function safe(text: string, max: number): string {
  return escapeMrkdwn(truncateText(text, max));
}

/**
 * A mrkdwn text object for text that is already escaped. `verbatim` stops Slack's own pre-processing
 * (auto-linking channel names and bare mentions) on top of the escaping.
 */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/**
 * A plain_text object, shortened to `max` characters. Slack does not parse plain text for mentions,
 * but whether it decodes entities there is not documented, so rather than escape, `<` and `>` from data
 * are shown as `‹` and `›`: a header can never carry a working `<!channel>` whatever a client does.
 */
export function plainText(text: string, max: number): PlainTextElement {
  const trimmed = text.trim().replaceAll('<', '‹').replaceAll('>', '›');
  return { type: 'plain_text', text: truncateText(trimmed === '' ? '–' : trimmed, max), emoji: true };
}
