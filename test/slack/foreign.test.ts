import { describe, expect, it } from 'vitest';
import type { Identity } from '../../src/slack/installation.js';
import { foreignRequestCheck, type RequestOrigin } from '../../src/slack/middleware/foreign.js';

const OURS = 'T0OURS0001';
const ORG = 'E0ORG00001';
const APP = 'A0RIPPLE01';
const identity: Identity = {
  teamId: OURS,
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  appId: APP,
  teamName: 'Acme',
  enterpriseId: ORG,
};
const ours: RequestOrigin = { kind: 'ours', teamId: OURS };
const outsider: RequestOrigin = { kind: 'outsider', teamName: 'Acme' };
const refused: RequestOrigin = { kind: 'refused' };

const auth = (team: string | null, enterprise: string | null = ORG) => ({
  enterprise_id: enterprise,
  team_id: team,
  user_id: 'U0BOT',
  is_bot: true,
  is_enterprise_install: team === null,
});

describe('where a request comes from', () => {
  const check = foreignRequestCheck(() => identity, { warn: () => undefined });
  it.each<[string, Record<string, unknown>, RequestOrigin]>([
    ['a command from our workspace', { command: '/career', team_id: OURS, api_app_id: APP, enterprise_id: '' }, ours],
    [
      'a command from our workspace in Grid',
      { command: '/career', team_id: OURS, api_app_id: APP, enterprise_id: ORG },
      ours,
    ],
    [
      'a command from a sibling workspace of our org',
      { command: '/career', team_id: 'T0SIB', enterprise_id: ORG },
      outsider,
    ],
    [
      'a command from a workspace of another org',
      { command: '/career', team_id: 'T0SIB', enterprise_id: 'E0X' },
      refused,
    ],
    [
      'a command from a workspace with no tie to ours',
      { command: '/career', team_id: 'T0X', enterprise_id: '' },
      refused,
    ],
    ['a command for another app', { command: '/career', team_id: OURS, api_app_id: 'A0OTHER' }, refused],
    ['a click by one of us', { type: 'block_actions', team: { id: OURS }, user: { id: 'U1', team_id: OURS } }, ours],
    [
      'a click by a Slack Connect partner',
      { type: 'block_actions', team: { id: OURS }, user: { id: 'U1', team_id: 'T0P' } },
      outsider,
    ],
    [
      'a modal opened through our installation from a shared channel',
      { type: 'view_submission', team: { id: 'T0P' }, user: { team_id: OURS }, view: { app_installed_team_id: OURS } },
      ours,
    ],
    [
      'an event for several installations, ours among them',
      { type: 'event_callback', team_id: 'T0SIB', authorizations: [auth('T0SIB'), auth(OURS)], event: { type: 'x' } },
      ours,
    ],
    [
      'an event for other installations only',
      { type: 'event_callback', team_id: 'T0X', authorizations: [auth('T0X', null)], event: { type: 'x' } },
      refused,
    ],
    [
      'a user_change about a partner, through our installation',
      { type: 'event_callback', team_id: OURS, event: { type: 'user_change', user: { id: 'U1', team_id: 'T0P' } } },
      outsider,
    ],
    [
      'a DM from a person of a sibling workspace',
      { type: 'event_callback', team_id: OURS, event: { type: 'message', user: 'U1', team: 'T0SIB' } },
      outsider,
    ],
    [
      'an org-wide uninstall of our org',
      { type: 'event_callback', enterprise_id: ORG, authorizations: [auth(null)], event: { type: 'app_uninstalled' } },
      ours,
    ],
    [
      'an org-wide uninstall of another org',
      { type: 'event_callback', enterprise_id: 'E0X', event: { type: 'app_uninstalled' } },
      refused,
    ],
  ])('%s', (_label, body, expected) => {
    expect(check(body)).toEqual(expected);
  });

  it('lets everything through until Slack has accepted the token (authorize refuses it then)', () => {
    const early = foreignRequestCheck(() => undefined, { warn: () => undefined });
    expect(early({ command: '/career', team_id: 'T0X' })).toEqual({ kind: 'ours', teamId: undefined });
  });

  it('logs a refused workspace once', () => {
    const lines: string[] = [];
    const logging = foreignRequestCheck(() => identity, { warn: (line: string) => lines.push(line) });
    logging({ command: '/career', team_id: 'T0X' });
    logging({ command: '/career', team_id: 'T0X' });
    expect(lines).toEqual(['Refused requests from workspace T0X: not this installation']);
  });
});
