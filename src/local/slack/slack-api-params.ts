/** Parameters of a Web API call: JSON values, or strings from a form body. */
export type Params = Readonly<Record<string, unknown>>;

/** What a method answers: a JSON body, HTTP 200 unless said otherwise. */
export interface Reply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
}

export const ok = (body: Record<string, unknown> = {}): Reply => ({ body: { ok: true, ...body } });

/** Slack's way of failing: HTTP 200, `ok: false`, an error code, sometimes `response_metadata.messages`. */
export const fail = (error: string, messages?: readonly string[]): Reply => ({
  body:
    messages === undefined || messages.length === 0
      ? { ok: false, error }
      : { ok: false, error, response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } },
});

export const missing = (field: string): Reply =>
  fail('invalid_arguments', [`missing required field: ${field}`]);

export function str(params: Params, name: string): string | undefined {
  const v = params[name];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function bool(params: Params, name: string): boolean {
  const v = params[name];
  return v === true || v === 'true' || v === '1' || v === 1;
}

export function int(params: Params, name: string): number | undefined {
  const v = params[name];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** A structured parameter: given as JSON in a JSON body, or as a JSON string in a form body. */
export function json(params: Params, name: string): { value: unknown } | { invalid: true } | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return { value: v };
  try {
    return { value: JSON.parse(v) as unknown };
  } catch {
    return { invalid: true };
  }
}
