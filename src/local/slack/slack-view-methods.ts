import { slackBlockKitProblems } from './block-kit-limits.ts';
import { fail, json, missing, ok, str } from './slack-api-params.ts';
import type { MethodHandler } from './slack-chat-methods.ts';
import { snapshot } from './slack-emulator-state.ts';

/** How long a trigger_id can be exchanged for a modal. */
export const TRIGGER_TTL_MS = 3000;

const open: MethodHandler = (state, params) => {
  const triggerId = str(params, 'trigger_id');
  if (triggerId === undefined) return missing('trigger_id');
  const parsed = json(params, 'view');
  if (parsed === undefined) return missing('view');
  if ('invalid' in parsed || typeof parsed.value !== 'object' || parsed.value === null)
    return fail('invalid_arguments', ['view must be a JSON object [json-pointer:/view]']);
  const view = parsed.value as Record<string, unknown>;
  if (view.type !== 'modal')
    return fail('invalid_arguments', ['view type must be modal [json-pointer:/view/type]']);
  const problems = slackBlockKitProblems(view).map((p) =>
    p.replace('[json-pointer:/', '[json-pointer:/view/'),
  );
  if (problems.length > 0) return fail('invalid_blocks', problems);

  const trigger = state.triggers.get(triggerId);
  if (trigger === undefined) return fail('invalid_trigger_id');
  if (trigger.used) return fail('exchanged_trigger_id');
  const now = state.now().getTime();
  if (now - trigger.issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');
  trigger.used = true;

  const id = state.nextId('V');
  const opened = {
    ...view,
    id,
    team_id: state.identity.teamId,
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    external_id: typeof view.external_id === 'string' ? view.external_id : '',
    state: { values: {} },
    hash: `${Math.floor(now / 1000)}.${id.toLowerCase()}`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    app_id: state.identity.apiAppId,
    bot_id: state.identity.botId,
  };
  state.views.push({
    id,
    trigger_id: triggerId,
    ...(trigger.user === undefined ? {} : { user: trigger.user }),
    view: snapshot(opened),
    at: new Date(now),
  });
  return ok({ view: opened });
};

export const VIEW_METHODS: Readonly<Record<string, MethodHandler>> = { 'views.open': open };
