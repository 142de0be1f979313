import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

// Slack's schema is vendored (see ORIGIN.md there), so the test reads nothing outside the repository;
// paths are taken from this file rather than from the working directory vitest happens to run in.
const schemaDir = new URL('./fixtures/slack-manifest-schema/', import.meta.url);
const manifestUrl = new URL('../manifest.yml', import.meta.url);

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8'));
}

/**
 * The bot scopes Ripple asks for. Exact on purpose: adding (or dropping) a scope changes what a
 * workspace admin approves at install, so it must be a deliberate edit here and in the README.
 */
const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'im:history',
  'users:read',
  'users:read.email',
  'files:write',
  'groups:read',
];

/** The bot events the app has listeners for; Slack delivering any other event would be wasted work. */
const HANDLED_BOT_EVENTS = ['app_home_opened', 'message.im', 'user_change', 'app_uninstalled', 'tokens_revoked'];

/** Slack refuses to subscribe an event unless the app also holds its scope. */
const SCOPE_REQUIRED_BY_EVENT: Record<string, string | undefined> = {
  app_home_opened: undefined,
  'message.im': 'im:history',
  user_change: 'users:read',
  app_uninstalled: undefined,
  tokens_revoked: undefined,
};

interface Manifest {
  _metadata?: { major_version?: number };
  display_information: { name: string; description?: string; background_color?: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    slash_commands: { command: string; usage_hint?: string; should_escape?: boolean; url?: string }[];
  };
  oauth_config: { scopes: { bot?: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { bot_events?: string[]; user_events?: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
    org_deploy_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

function loadManifest(): Manifest {
  const doc = parseDocument(readFileSync(manifestUrl, 'utf8'), { uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  expect(doc.warnings.map((e) => e.message)).toEqual([]);
  return doc.toJS() as Manifest;
}

function compileManifestSchema(): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    // ajv-formats is not installed, and the only format in the schema is `uri` on the manifest's own
    // optional `$schema` key, which Ripple's manifest does not use: skip format checks.
    validateFormats: false,
    // Upstream quirks, not ours: `minItems` on string items and a union `type` in the workflow
    // step schema. Strict mode stays on for everything else (unknown keywords still throw).
    strictTypes: false,
    allowUnionTypes: true,
  });
  // Upstream annotates some fields with `_note`: a comment, nothing to check.
  ajv.addKeyword({ keyword: '_note' });
  // Upstream writes `regex` where JSON Schema says `pattern` (on background_color), so a plain
  // validator would skip it silently; check it as intended.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  // The root manifest.schema.json picks a version through remote $refs; offline, the versioned file
  // for `_metadata.major_version: 2` is validated against directly (see ORIGIN.md).
  return ajv.compile(readJson('manifest.schema.2.0.0.json') as object);
}

let validate: ValidateFunction;
let manifest: Manifest;

beforeAll(() => {
  validate = compileManifestSchema();
  manifest = loadManifest();
});

function errorsOf(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

describe('the validator', () => {
  it('accepts upstream manifest.valid.json', () => {
    expect(errorsOf(readJson('manifest.valid.json'))).toEqual([]);
  });

  it('rejects upstream manifest.invalid.json', () => {
    expect(errorsOf(readJson('manifest.invalid.json'))).toEqual([
      "/workflows/time_off_request/input_parameters must have required property 'properties'",
    ]);
  });

  it.each([
    {
      name: 'an unknown key',
      patch: { display_information: { name: 'Ripple', colour: '#fff' } },
      error: '/display_information must NOT have additional properties',
    },
    {
      name: 'a name over 35 characters',
      patch: { display_information: { name: 'R'.repeat(36) } },
      error: '/display_information/name must NOT have more than 35 characters',
    },
    {
      // Four characters, so only the `regex` keyword registered above can catch it.
      name: 'a background colour that is not hex',
      patch: { display_information: { name: 'Ripple', background_color: 'navy' } },
      error: '/display_information/background_color must pass "regex" keyword validation',
    },
  ])('rejects $name', ({ patch, error }) => {
    expect(errorsOf({ ...structuredClone(manifest), ...patch })).toEqual([error]);
  });
});

describe('manifest.yml', () => {
  it('is a valid version 2 manifest', () => {
    expect(manifest._metadata?.major_version).toBe(2);
    expect(errorsOf(manifest)).toEqual([]);
  });

  it('has /career with mentions escaped to user ids', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({ command: '/career', should_escape: true });
  });

  it('asks for exactly the allowed bot scopes and no user scopes', () => {
    expect([...(manifest.oauth_config.scopes.bot ?? [])].sort()).toEqual([...BOT_SCOPES].sort());
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('subscribes to exactly the bot events the app handles, and no user events', () => {
    expect([...(manifest.settings.event_subscriptions.bot_events ?? [])].sort()).toEqual(
      [...HANDLED_BOT_EVENTS].sort(),
    );
    expect(manifest.settings.event_subscriptions.user_events ?? []).toEqual([]);
  });

  it('holds the scope each subscribed event requires', () => {
    for (const event of manifest.settings.event_subscriptions.bot_events ?? []) {
      expect(Object.keys(SCOPE_REQUIRED_BY_EVENT)).toContain(event);
      const scope = SCOPE_REQUIRED_BY_EVENT[event];
      if (scope) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
  });

  it('lets people reply in the DM and see the Home tab', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('uses Socket Mode with no request URLs baked in', () => {
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: true,
      org_deploy_enabled: false,
      token_rotation_enabled: false,
      interactivity: { is_enabled: true },
    });
    // A host in the committed manifest would be someone's tunnel; HTTP deployments add their own.
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
    expect(manifest.features.slash_commands.map((c) => c.url)).toEqual([undefined]);
  });
});
