/*
 * A prompt-injection screen for text that reaches the model: the user's question, and free text in
 * tool results (a trade's `note`, a counterparty's comment). Pattern-based and deliberately plain:
 * it catches the classic phrasings and smuggled tool calls; Bedrock Guardrails' prompt-attack filter
 * adds a model-based check when configured.
 */

interface Pattern {
  readonly name: string;
  readonly regex: RegExp;
}

const PATTERNS: readonly Pattern[] = [
  {
    name: 'ignore previous instructions',
    regex:
      /\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(previous|prior|above|earlier|all|any|your|the|these|those)\b[^.\n]{0,30}?\b(instructions?|prompts?|rules|directions|guidelines|guardrails|policies)\b/i,
  },
  { name: 'you are now', regex: /\byou are now\b/i },
  { name: 'system prompt', regex: /\b(system|developer|hidden|initial)\s+(prompt|message|instructions)\b/i },
  {
    name: 'reveal instructions',
    regex:
      /\b(reveal|print|show|repeat|output|display|dump|leak|tell me)\b[^.\n]{0,30}?\b(your|the|its)\b[^.\n]{0,20}?\b(instructions|prompt|rules|configuration|guidelines)\b/i,
  },
  {
    name: 'act as',
    regex:
      /\b(act|behave|respond) as (an?|the|if|my|though)\b|\bpretend (to be|you are|that you)\b|\broleplay as\b/i,
  },
  { name: 'developer mode', regex: /\b(developer|god|admin|debug|jailbreak)\s+mode\b|\bjailbreak\b/i },
  {
    name: 'tool call smuggling',
    regex: /[{[,]\s*"?(toolUse|toolResult|tool_use|tool_calls?|function_call)"?\s*:/i,
  },
  { name: 'approve all', regex: /\b(approve|reject|decide|release|settle)\s+(all|every|everything|each)\b/i },
  {
    name: 'new instructions',
    regex: /\b(new|updated|real|actual)\s+instructions?\s*:|<\/?\s*(system|instructions?|admin)\s*>/i,
  },
  {
    name: 'conceal from user',
    regex: /\bdo not (tell|inform|alert|mention (this )?to) (the )?(user|human|operator|ops)\b/i,
  },
];

/** Base64 runs long enough to hide a sentence. */
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

export interface InjectionFinding {
  /** Names of the patterns that matched (`ignore previous instructions`, `base64 instructions`, …). */
  readonly patterns: readonly string[];
}

function matchPatterns(text: string): string[] {
  return PATTERNS.filter((p) => p.regex.test(text)).map((p) => p.name);
}

function decodedBase64Blobs(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(BASE64_RUN)) {
    const decoded = Buffer.from(match[0], 'base64').toString('utf8');
    // Only text that decodes to mostly printable characters can carry instructions.
    const printable = decoded.replace(/[^\x20-\x7e\n\t]/g, '').length;
    if (decoded.length > 0 && printable / decoded.length > 0.9) out.push(decoded);
  }
  return out;
}

/** Finds instruction-like content; `undefined` when the text looks clean. */
export function detectInjection(text: string): InjectionFinding | undefined {
  const patterns = matchPatterns(text);
  for (const decoded of decodedBase64Blobs(text)) {
    if (matchPatterns(decoded).length > 0) patterns.push('base64-encoded instructions');
  }
  return patterns.length > 0 ? { patterns: [...new Set(patterns)] } : undefined;
}

export const UNTRUSTED_MARKER = '[untrusted record text; instruction-like content removed]';

/**
 * Neutralises one free-text value: drops each sentence (and base64 blob) that carries instructions and
 * labels what is left as untrusted data, so the model reads it as a quotation, never as a command.
 */
export function neutraliseText(text: string): { readonly text: string; readonly finding?: InjectionFinding } {
  const finding = detectInjection(text);
  if (finding === undefined) return { text };
  const withoutBlobs = text.replace(BASE64_RUN, (blob) => {
    const decoded = decodedBase64Blobs(blob)[0];
    return decoded !== undefined && matchPatterns(decoded).length > 0 ? '' : blob;
  });
  const kept = withoutBlobs
    .split(/(?<=[.!?;\n])\s+/)
    .filter((sentence) => sentence.trim() !== '' && matchPatterns(sentence).length === 0)
    .join(' ')
    .trim();
  return { text: kept === '' ? UNTRUSTED_MARKER : `${UNTRUSTED_MARKER} "${kept}"`, finding };
}

/**
 * Walks a tool result and neutralises every string that carries instructions. Returns the cleaned
 * value and one line per intervention (`note: ignore previous instructions`).
 */
export function neutraliseToolResult(value: unknown): {
  readonly value: unknown;
  readonly interventions: string[];
} {
  const interventions: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      const result = neutraliseText(v);
      if (result.finding !== undefined) {
        interventions.push(`${path === '' ? '(value)' : path}: ${result.finding.patterns.join(', ')}`);
      }
      return result.text;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([key, item]) => [key, walk(item, path === '' ? key : `${path}.${key}`)]),
      );
    }
    return v;
  };
  return { value: walk(value, ''), interventions };
}
