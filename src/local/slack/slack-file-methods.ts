import { fail, int, json, missing, ok, str } from './slack-api-params.ts';
import type { MethodHandler } from './slack-chat-methods.ts';
import type { SlackEmulatorState } from './slack-emulator-state.ts';
import type { UploadedFile } from './slack-emulator-types.ts';

const UPLOAD_PATH = /^\/upload\/v1\/([A-Z0-9]+)$/;

const getUploadUrl: MethodHandler = (state, params) => {
  const filename = str(params, 'filename');
  if (filename === undefined) return missing('filename');
  const length = int(params, 'length');
  if (length === undefined || length < 0) return missing('length');
  const id = state.nextId('F');
  state.uploads.set(id, { id, name: filename, length });
  return ok({ upload_url: `${state.baseUrl}/upload/v1/${id}`, file_id: id });
};

const completeUpload: MethodHandler = (state, params) => {
  const parsed = json(params, 'files');
  if (parsed === undefined) return missing('files');
  if ('invalid' in parsed || !Array.isArray(parsed.value) || parsed.value.length === 0)
    return fail('invalid_arguments', ['files must be a non-empty array [json-pointer:/files]']);
  const channel = str(params, 'channel_id') ?? str(params, 'channels');
  if (channel !== undefined && !state.channelExists(channel)) return fail('channel_not_found');
  const wanted = parsed.value.map((f: unknown) => {
    const entry = (typeof f === 'object' && f !== null ? f : {}) as { id?: unknown; title?: unknown };
    return { id: typeof entry.id === 'string' ? entry.id : '', title: entry.title };
  });
  // Nothing is shared unless every file was uploaded: fail before changing anything.
  for (const w of wanted) if (state.uploads.get(w.id)?.bytes === undefined) return fail('file_not_found');

  const initialComment = str(params, 'initial_comment');
  const threadTs = str(params, 'thread_ts');
  const done: UploadedFile[] = wanted.map((w) => {
    const upload = state.uploads.get(w.id);
    const bytes = upload?.bytes ?? new Uint8Array();
    state.uploads.delete(w.id);
    return {
      id: w.id,
      name: upload?.name ?? w.id,
      title: typeof w.title === 'string' ? w.title : (upload?.name ?? w.id),
      content: Buffer.from(bytes).toString('utf8'),
      bytes,
      ...(channel === undefined ? {} : { channel }),
      ...(initialComment === undefined ? {} : { initial_comment: initialComment }),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    };
  });
  state.files.push(...done);
  const created = Math.floor(state.now().getTime() / 1000);
  if (channel !== undefined) {
    const message = state.botMessage(channel, {
      text: initialComment ?? '',
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    });
    message.files = done.map((f) => ({ id: f.id, name: f.name, title: f.title }));
  }
  return ok({
    files: done.map((f) => ({
      id: f.id,
      created,
      timestamp: created,
      name: f.name,
      title: f.title,
      size: f.bytes.byteLength,
      user: state.identity.botUserId,
      channels: channel === undefined ? [] : [channel],
    })),
  });
};

export const FILE_METHODS: Readonly<Record<string, MethodHandler>> = {
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
};

/** The file id an upload URL path names, if it is one. */
export function uploadTarget(path: string): string | undefined {
  return UPLOAD_PATH.exec(path)?.[1];
}

/** Takes the bytes POSTed to an upload URL: raw, or the first file of a multipart form (as the SDK sends). */
export async function receiveUpload(
  state: SlackEmulatorState,
  fileId: string,
  body: Buffer,
  contentType: string | undefined,
): Promise<{ status: number; text: string }> {
  const upload = state.uploads.get(fileId);
  if (upload === undefined) return { status: 404, text: 'file_not_found' };
  let bytes: Uint8Array = body;
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const file = [...form.values()].find((v) => typeof v !== 'string');
    if (file === undefined || typeof file === 'string') return { status: 400, text: 'no file in the form' };
    bytes = new Uint8Array(await file.arrayBuffer());
  }
  upload.bytes = bytes;
  return { status: 200, text: `OK - ${bytes.byteLength}` };
}
