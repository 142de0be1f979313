/**
 * Interaction and event payloads in the shapes Slack really sends (as in Slack's API docs and the
 * request fixtures of @slack/bolt's tests): every field a real view_submission, view_closed and
 * file_share message carries, not only the ones Ripple reads, so a parser that trips on a real
 * field is caught here.
 */

export interface PayloadContext {
  teamId: string;
  teamDomain: string;
  appId: string;
  botId: string;
  userId: string;
  userName: string;
}

/** A `static_select` answer in `state.values`, as Slack fills it in. */
export function selected(text: string, value: string) {
  return {
    type: 'static_select',
    selected_option: { text: { type: 'plain_text', text, emoji: true }, value },
  };
}

/** A `plain_text_input` in `state.values`. */
export function typed(value: string) {
  return { type: 'plain_text_input', value };
}

function view(c: PayloadContext, callbackId: string, privateMetadata: string, values: Record<string, unknown>) {
  return {
    id: 'V0A1B2C3D4E',
    team_id: c.teamId,
    type: 'modal',
    blocks: [],
    private_metadata: privateMetadata,
    callback_id: callbackId,
    state: { values },
    hash: '1764428400.Xz9WbPq1',
    title: { type: 'plain_text', text: 'Add evidence', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: { type: 'plain_text', text: 'Cancel', emoji: true },
    submit: { type: 'plain_text', text: 'Save', emoji: true },
    previous_view_id: null,
    root_view_id: 'V0A1B2C3D4E',
    app_id: c.appId,
    external_id: '',
    app_installed_team_id: c.teamId,
    bot_id: c.botId,
  };
}

function common(c: PayloadContext) {
  return {
    team: { id: c.teamId, domain: c.teamDomain },
    user: { id: c.userId, username: c.userName, name: c.userName, team_id: c.teamId },
    api_app_id: c.appId,
    token: 'fake-verification-token',
  };
}

/** A modal submitted: `view_submission`, with `response_urls` (empty: no input asks for one), the view's hash. */
export function viewSubmission(
  c: PayloadContext,
  callbackId: string,
  privateMetadata: string,
  values: Record<string, Record<string, unknown>>,
) {
  return {
    type: 'view_submission',
    ...common(c),
    trigger_id: '1764428400.1234567890.abcdef0123456789abcdef0123456789',
    view: view(c, callbackId, privateMetadata, values),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A modal closed with Cancel or ×: `view_closed` carries the view with what was typed in it. */
export function viewClosed(
  c: PayloadContext,
  callbackId: string,
  privateMetadata: string,
  values: Record<string, Record<string, unknown>>,
) {
  return {
    type: 'view_closed',
    ...common(c),
    view: view(c, callbackId, privateMetadata, values),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A file shared in a DM: a `message` event with subtype `file_share`, its words in `text` (maybe empty). */
export function fileShare(
  c: PayloadContext,
  channel: string,
  text: string,
  file: { id: string; name: string; mimetype: string; filetype: string; preview?: string },
) {
  const permalink = `https://${c.teamDomain}.slack.com/files/${c.userId}/${file.id}/${file.name}`;
  return {
    type: 'message',
    subtype: 'file_share',
    text,
    files: [
      {
        id: file.id,
        created: 1764428400,
        timestamp: 1764428400,
        name: file.name,
        title: file.name,
        mimetype: file.mimetype,
        filetype: file.filetype,
        pretty_type: file.filetype.toUpperCase(),
        user: c.userId,
        user_team: c.teamId,
        editable: file.preview !== undefined,
        size: 48213,
        mode: file.preview !== undefined ? 'snippet' : 'hosted',
        is_external: false,
        external_type: '',
        is_public: false,
        public_url_shared: false,
        display_as_bot: false,
        username: '',
        url_private: `https://files.slack.com/files-pri/${c.teamId}-${file.id}/${file.name}`,
        url_private_download: `https://files.slack.com/files-pri/${c.teamId}-${file.id}/download/${file.name}`,
        permalink,
        permalink_public: `https://slack-files.com/${c.teamId}-${file.id}-0a1b2c3d4e`,
        ...(file.preview !== undefined ? { preview: file.preview, preview_is_truncated: false, lines: 1 } : {}),
        has_rich_preview: false,
        file_access: 'visible',
      },
    ],
    upload: false,
    user: c.userId,
    display_as_bot: false,
    ts: '1764428460.000200',
    blocks: text
      ? [
          {
            type: 'rich_text',
            block_id: 'Ab1',
            elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
          },
        ]
      : [],
    client_msg_id: '5b7c0c4e-0d0a-4a57-9b3e-0e1f2a3b4c5d',
    channel,
    channel_type: 'im',
  };
}

/** A button pressed in an ephemeral message (the reply to `/career checkin`): `block_actions`. */
export function ephemeralButton(
  c: PayloadContext,
  channel: string,
  actionId: string,
  value: string,
  responseUrl: string,
) {
  return {
    type: 'block_actions',
    ...common(c),
    container: { type: 'message', message_ts: '1764428400.000300', channel_id: channel, is_ephemeral: true },
    trigger_id: '1764428400.1234567890.0123456789abcdef0123456789abcdef',
    channel: { id: channel, name: 'directmessage' },
    is_enterprise_install: false,
    enterprise: null,
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'Qx7',
        text: { type: 'plain_text', text: 'Continue', emoji: true },
        value,
        style: 'primary',
        type: 'button',
        action_ts: '1764428401.000400',
      },
    ],
  };
}
