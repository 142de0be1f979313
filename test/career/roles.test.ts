import { describe, expect, it } from 'vitest';
import { isAdmin, parseAdminList } from '../../src/career/roles.js';

describe('isAdmin', () => {
  const configuredAdmins = ['U0ADMIN'];
  it.each([
    ['listed in CAREER_ADMINS', 'U0ADMIN', undefined, true],
    ['listed, whatever Slack says', 'U0ADMIN', { is_admin: false }, true],
    ['a workspace admin', 'U0BOB', { is_admin: true }, true],
    ['a workspace owner', 'U0BOB', { is_owner: true }, true],
    ['the primary owner', 'U0BOB', { is_primary_owner: true }, true],
    ['a member', 'U0BOB', { is_admin: false, is_owner: false, is_primary_owner: false }, false],
    ['a member Slack says nothing about', 'U0BOB', {}, false],
    ['unknown to Slack (users.info failed)', 'U0BOB', undefined, false],
  ])('%s → %s', (_title, userId, slackUser, expected) => {
    expect(isAdmin({ userId, configuredAdmins, slackUser })).toBe(expected);
  });

  it('takes any iterable of ids', () => {
    expect(isAdmin({ userId: 'U0ADMIN', configuredAdmins: new Set(['U0ADMIN']) })).toBe(true);
  });
});

describe('parseAdminList', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['U0ADMIN', ['U0ADMIN']],
    ['U0ADMIN, W0GRID  U0OTHER', ['U0ADMIN', 'W0GRID', 'U0OTHER']],
    ['<@U0ADMIN>,<@U0OTHER|sam>', ['U0ADMIN', 'U0OTHER']],
    ['U0ADMIN,U0ADMIN', ['U0ADMIN']],
  ])('%j → %j', (value, admins) => {
    expect(parseAdminList(value)).toEqual({ ok: true, admins });
  });

  it('reports what is not a user id', () => {
    expect(parseAdminList('U0ADMIN, @sam, u0lower, T0TEAM')).toEqual({
      ok: false,
      invalid: ['@sam', 'u0lower', 'T0TEAM'],
    });
  });
});
