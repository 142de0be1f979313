import { readFileSync } from 'node:fs';
import type { Reply } from '../../src/offline-slack/driver.js';
import type { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import type { TestApp } from './app.js';

/** The request shapes in test/fixtures/slack-requests/, filled in and sent signed through the app. */

const DIR = new URL('../fixtures/slack-requests/', import.meta.url);

interface Fixture {
  kind: 'command' | 'interaction' | 'event';
  body: Record<string, unknown>;
}

/** Values for the fixtures' placeholders; the rest come from the app under test. */
export interface RequestVars {
  user?: string;
  enterprise?: string;
  sibling?: string;
  partner?: string;
  otherEnterprise?: string;
  eventId?: string;
}

let counter = 0;

function fill(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return value in vars ? vars[value] : value;
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

/** The fixture's body with every placeholder replaced. */
export function slackRequest(t: Pick<TestApp, 'api'>, name: string, vars: RequestVars = {}): Fixture {
  const fixture = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as Fixture;
  counter += 1;
  const now = Math.floor(Date.now() / 1000);
  const values: Record<string, unknown> = {
    $TEAM: t.api.teamId,
    $SIBLING: vars.sibling ?? 'T0SIBLING01',
    $PARTNER: vars.partner ?? 'T0PARTNER01',
    $ENTERPRISE: vars.enterprise ?? 'E0RIPPLEORG',
    $OTHER_ENTERPRISE: vars.otherEnterprise ?? 'E0OTHERORG1',
    $APP: t.api.appId,
    $BOT_USER: t.api.botUserId,
    $BOT_ID: t.api.botId,
    $USER: vars.user ?? 'W0PERSON001',
    $RESPONSE_URL: t.api.responseUrl(),
    $TRIGGER: t.api.issueTriggerId(),
    $EVENT_ID: vars.eventId ?? `Ev0FIXTURE${String(counter).padStart(4, '0')}`,
    $NOW: now,
    $TS: `${now}.${String(counter).padStart(6, '0')}`,
  };
  return { kind: fixture.kind, body: fill(fixture.body, values) as Record<string, unknown> };
}

/** Sends the fixture as Slack would encode it, signed; resolves with what the app did. */
export function sendSlackRequest(t: Pick<TestApp, 'api' | 'driver'>, name: string, vars?: RequestVars): Promise<Reply> {
  const { kind, body } = slackRequest(t, name, vars);
  switch (kind) {
    case 'command':
      return t.driver.post(
        new URLSearchParams(body as Record<string, string>).toString(),
        'application/x-www-form-urlencoded',
      );
    case 'interaction':
      return t.driver.post(
        new URLSearchParams({ payload: JSON.stringify(body) }).toString(),
        'application/x-www-form-urlencoded',
      );
    case 'event':
      return t.driver.post(JSON.stringify(body), 'application/json');
  }
}

/** The Enterprise Grid org the test workspace belongs to, when a test puts it in one ({@link inGridOrg}). */
export const ORG = 'E0RIPPLEORG';

/** Makes auth.test answer as Slack does for a workspace of the Enterprise Grid org {@link ORG}. */
export const inGridOrg = (api: FakeSlackApi) =>
  api.on('auth.test', () => ({
    url: `https://${api.teamDomain}.slack.com/`,
    team: api.teamName,
    user: 'ripple',
    team_id: api.teamId,
    user_id: api.botUserId,
    bot_id: api.botId,
    enterprise_id: ORG,
    is_enterprise_install: false,
  }));
