import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  authorize,
  can,
  PERMISSION_TABLE,
  permissionTableMarkdown,
  RELATIONS,
  type Relation,
  relationOf,
  relationsOf,
} from '../../src/career/permissions.js';

// Written out by hand, not derived from PERMISSION_TABLE: a change to the table must change this too.
//                                     self   manager admin  other
const EXPECTED: [Action, boolean, boolean, boolean, boolean][] = [
  ['read-record', true, true, true, false],
  ['set-record', false, true, true, false],
  ['pause-self', true, false, false, false],
  ['export-self', true, false, false, false],
  ['forget-self', true, false, false, false],
  ['forget-other', false, false, true, false],
  ['checkin-self', true, false, false, false],
  ['read-checkin-answers', true, true, false, false],
  ['rate-checkin', false, true, false, false],
  ['read-checkin-counts', true, true, true, false],
  ['read-team', true, false, true, false],
  ['celebrate-self', true, false, false, false],
  ['admin-growth', false, false, true, false],
  ['admin-people', false, false, true, false],
  ['ask-colleague', true, false, false, false],
  ['answer-ask', false, true, true, true],
  ['propose-promotion', false, true, true, false],
  ['read-case', true, true, true, false],
  ['decide-case', false, false, true, false],
  ['save-evidence', true, false, false, false],
  ['read-evidence', true, false, false, false],
];

const cells = EXPECTED.flatMap(([action, self, manager, admin, other]) =>
  (
    [
      ['self', self],
      ['manager', manager],
      ['admin', admin],
      ['other', other],
    ] as [Relation, boolean][]
  ).map(([relation, allowed]) => ({ action, relation, allowed })),
);

describe('PERMISSION_TABLE', () => {
  it.each(cells)('$action by $relation: $allowed', ({ action, relation, allowed }) => {
    expect(can(action, relation)).toBe(allowed);
  });

  it('has exactly the expected actions and relations', () => {
    expect(Object.keys(PERMISSION_TABLE)).toEqual(EXPECTED.map(([action]) => action));
    expect([...ACTIONS]).toEqual(EXPECTED.map(([action]) => action));
    expect([...RELATIONS]).toEqual(['self', 'manager', 'admin', 'other']);
    expect(cells).toHaveLength(84);
  });
});

describe('relations', () => {
  const alice = { userId: 'U0ALICE', managerId: 'U0MANAGER', status: 'active' as const };

  it.each([
    ['the person', { userId: 'U0ALICE', isAdmin: false }, ['self'], 'self'],
    ['their manager', { userId: 'U0MANAGER', isAdmin: false }, ['manager'], 'manager'],
    ['an admin', { userId: 'U0ADMIN', isAdmin: true }, ['admin'], 'admin'],
    ['the person, who is an admin', { userId: 'U0ALICE', isAdmin: true }, ['self', 'admin'], 'admin'],
    ['their manager, who is an admin', { userId: 'U0MANAGER', isAdmin: true }, ['manager', 'admin'], 'admin'],
    ['someone else', { userId: 'U0BOB', isAdmin: false }, ['other'], 'other'],
  ] as const)('%s', (_title, actor, relations, strongest) => {
    expect(relationsOf(actor, alice)).toEqual(relations);
    expect(relationOf(actor, alice)).toBe(strongest);
  });

  it('finds no manager on a record without one', () => {
    expect(relationOf({ userId: 'U0BOB', isAdmin: false }, { userId: 'U0ALICE', managerId: null })).toBe('other');
  });
});

describe('check-in privacy', () => {
  const checkin = { userId: 'U0ALICE', managerId: 'U0MANAGER', status: 'active' as const };
  const shared = { ...checkin, sharedWith: 'U0MANAGER' };
  const self = { userId: 'U0ALICE', isAdmin: false };
  const manager = { userId: 'U0MANAGER', isAdmin: false };
  const admin = { userId: 'U0ADMIN', isAdmin: true };
  const other = { userId: 'U0BOB', isAdmin: false };

  // One cell per (role × thing), before and after sharing.
  it.each([
    ['the person', self, 'read-checkin-answers', false, true],
    ['the person', self, 'read-checkin-counts', false, true],
    ['the person', self, 'rate-checkin', false, false],
    ['their manager', manager, 'read-checkin-answers', false, false],
    ['their manager', manager, 'read-checkin-answers', true, true],
    ['their manager', manager, 'rate-checkin', false, false],
    ['their manager', manager, 'rate-checkin', true, true],
    ['their manager', manager, 'read-checkin-counts', false, true],
    ['an admin', admin, 'read-checkin-answers', true, false],
    ['an admin', admin, 'rate-checkin', true, false],
    ['an admin', admin, 'read-checkin-counts', false, true],
    ['someone else', other, 'read-checkin-answers', true, false],
    ['someone else', other, 'read-checkin-counts', true, false],
  ] as const)('%s · %s · shared %s → %s', (_who, actor, action, isShared, allowed) => {
    expect(authorize(action, actor, isShared ? shared : checkin).allowed).toBe(allowed);
  });

  it('a manager is refused as "not shared" before sharing', () => {
    expect(authorize('read-checkin-answers', manager, checkin)).toEqual({ allowed: false, reason: 'not-shared' });
  });

  it('sharing with one manager does not open it to the next manager of record', () => {
    const moved = { ...shared, managerId: 'U0NEWBOSS' };
    expect(authorize('read-checkin-answers', { userId: 'U0NEWBOSS', isAdmin: false }, moved).allowed).toBe(false);
  });
});

describe('promotion cases', () => {
  const draft = { userId: 'U0ALICE', managerId: 'U0MANAGER', caseSent: false };
  const sent = { ...draft, caseSent: true };
  const self = { userId: 'U0ALICE', isAdmin: false };
  const selfAdmin = { userId: 'U0ALICE', isAdmin: true };
  const manager = { userId: 'U0MANAGER', isAdmin: false };
  const admin = { userId: 'U0ADMIN', isAdmin: true };
  const other = { userId: 'U0BOB', isAdmin: false };

  // One cell per (role × action), before and after the person sends the case on. Deciding a draft is not a
  // permission: only a sent case can be decided at all (the store moves it from 'proposed' only).
  it.each([
    ['the person', self, 'propose-promotion', false, false],
    ['the person', self, 'read-case', false, true],
    ['the person', self, 'read-case', true, true],
    ['the person', self, 'decide-case', true, false],
    ['their manager', manager, 'propose-promotion', false, true],
    ['their manager', manager, 'read-case', false, true],
    ['their manager', manager, 'read-case', true, true],
    ['their manager', manager, 'decide-case', true, false],
    ['an admin', admin, 'propose-promotion', false, true],
    ['an admin', admin, 'read-case', false, false],
    ['an admin', admin, 'read-case', true, true],
    ['an admin', admin, 'decide-case', true, true],
    ['the person, who is an admin', selfAdmin, 'decide-case', true, false],
    ['the person, who is an admin', selfAdmin, 'propose-promotion', false, true],
    ['someone else', other, 'propose-promotion', false, false],
    ['someone else', other, 'read-case', true, false],
    ['someone else', other, 'decide-case', true, false],
  ] as const)('%s · %s · sent %s → %s', (_who, actor, action, isSent, allowed) => {
    expect(authorize(action, actor, isSent ? sent : draft).allowed).toBe(allowed);
  });

  it('says why: not sent yet, or their own case', () => {
    expect(authorize('read-case', admin, draft)).toEqual({ allowed: false, reason: 'case-not-sent' });
    expect(authorize('decide-case', selfAdmin, sent)).toEqual({ allowed: false, reason: 'own-case' });
  });
});

describe('authorize', () => {
  const alice = { userId: 'U0ALICE', managerId: 'U0MANAGER', status: 'active' as const };
  const self = { userId: 'U0ALICE', isAdmin: false };
  const manager = { userId: 'U0MANAGER', isAdmin: false };
  const admin = { userId: 'U0ADMIN', isAdmin: true };

  it('stops self-promotion', () => {
    expect(authorize('set-record', self, alice)).toEqual({ allowed: false, reason: 'not-permitted' });
  });

  it('lets an admin set their own record, as admin', () => {
    expect(authorize('set-record', { userId: 'U0ALICE', isAdmin: true }, alice)).toEqual({
      allowed: true,
      as: 'admin',
    });
  });

  it('lets an admin pause, export and forget themselves, as self', () => {
    const adminSelf = { userId: 'U0ALICE', isAdmin: true };
    for (const action of ['pause-self', 'export-self', 'forget-self'] as const) {
      expect(authorize(action, adminSelf, alice)).toEqual({ allowed: true, as: 'self' });
    }
  });

  it('lets a manager set a report’s record', () => {
    expect(authorize('set-record', manager, alice)).toEqual({ allowed: true, as: 'manager' });
  });

  it('lets only an admin create a record (no manager of record yet)', () => {
    const newcomer = { userId: 'U0NEW', managerId: null };
    expect(authorize('set-record', manager, newcomer).allowed).toBe(false);
    expect(authorize('set-record', admin, newcomer)).toEqual({ allowed: true, as: 'admin' });
  });

  it('lets an admin forget someone only once they have left', () => {
    expect(authorize('forget-other', admin, alice)).toEqual({ allowed: false, reason: 'target-has-not-left' });
    expect(authorize('forget-other', admin, { ...alice, status: 'paused' }).allowed).toBe(false);
    expect(authorize('forget-other', admin, { userId: 'U0ALICE', managerId: null }).allowed).toBe(false);
    expect(authorize('forget-other', admin, { ...alice, status: 'left' })).toEqual({ allowed: true, as: 'admin' });
    expect(authorize('forget-other', manager, { ...alice, status: 'left' })).toEqual({
      allowed: false,
      reason: 'not-permitted',
    });
  });
});

describe('asks for an example (issue 17)', () => {
  const ben = { userId: 'U0BEN', managerId: 'U0MAYA', status: 'active' as const };
  const asked = (colleague: string) => ({ ...ben, askedColleague: colleague });
  const as = (userId: string, isAdmin = false) => ({ userId, isAdmin });

  // One cell per relation, with the colleague asked and with someone else.
  it.each([
    ['the person asks about their own record', 'ask-colleague', as('U0BEN'), ben, true],
    ['their manager cannot ask for them', 'ask-colleague', as('U0MAYA'), ben, false],
    ['an admin cannot ask for them', 'ask-colleague', as('U0ANA', true), ben, false],
    ['someone else cannot ask for them', 'ask-colleague', as('U0CHEN'), ben, false],
    ['the colleague asked answers', 'answer-ask', as('U0CHEN'), asked('U0CHEN'), true],
    ['someone else, not asked, does not', 'answer-ask', as('U0DEE'), asked('U0CHEN'), false],
    ['their manager, when asked, answers', 'answer-ask', as('U0MAYA'), asked('U0MAYA'), true],
    ['their manager, not asked, does not', 'answer-ask', as('U0MAYA'), asked('U0CHEN'), false],
    ['an admin, when asked, answers', 'answer-ask', as('U0ANA', true), asked('U0ANA'), true],
    ['an admin, not asked, does not', 'answer-ask', as('U0ANA', true), asked('U0CHEN'), false],
    ['the person never answers their own ask', 'answer-ask', as('U0BEN'), asked('U0BEN'), false],
    ['nobody answers an ask naming no colleague', 'answer-ask', as('U0CHEN'), ben, false],
  ] as const)('%s', (_title, action, actor, target, allowed) => {
    expect(authorize(action, actor, target).allowed).toBe(allowed);
  });

  it('refuses a colleague not asked as "not asked"', () => {
    expect(authorize('answer-ask', as('U0DEE'), asked('U0CHEN'))).toEqual({ allowed: false, reason: 'not-asked' });
  });
});

describe('permissionTableMarkdown', () => {
  it('renders every action as a row of the README table', () => {
    expect(permissionTableMarkdown()).toBe(
      [
        '| Action | What it is | The person | Their manager | Admin | Anyone else |',
        '|---|---|:---:|:---:|:---:|:---:|',
        '| `read-record` | Read a teammate record (`/career me`, `/career who`) | yes | yes | yes | — |',
        '| `set-record` | Set framework, level, since date or manager | — | yes | yes | — |',
        '| `pause-self` | Pause and resume (`/career pause`, `/career resume`) | yes | — | — | — |',
        '| `export-self` | Export your own data | yes | — | — | — |',
        '| `forget-self` | Delete your own data (`/career forget me`) | yes | — | — | — |',
        '| `forget-other` | Delete the data of someone who left | — | — | yes, only for someone whose status is "left" | — |',
        '| `checkin-self` | Start, answer and share a check-in; list your check-ins (`/career checkin`, `/career history`) | yes | — | — | — |',
        "| `read-checkin-answers` | See a check-in's answers and evidence | yes | yes, only after the person shares it with them | — | — |",
        "| `rate-checkin` | Add the manager's ratings to a shared check-in | — | yes, only after the person shares it with them | — | — |",
        '| `read-checkin-counts` | See how many check-ins someone has done, and when (no answers) | yes | yes | yes | — |',
        "| `read-team` | List a manager's reports with their levels and windows (`/career team`) | yes | — | yes | — |",
        '| `celebrate-self` | Let a level-up be celebrated by name in the growth channel (`/career celebrate`) | yes | — | — | — |',
        '| `admin-growth` | Set the growth channel, post a nudge now, see the next 7 days of reminders (`/career admin`) | — | — | yes | — |',
        '| `admin-people` | See the counts of records by team, who has no record (a page of Slack members at a time) and which shared check-ins wait for ratings (`/career admin people`) | — | — | yes | — |',
        '| `ask-colleague` | Ask a colleague for an example of one expectation (`/career ask`, Ask for an example) | yes | — | — | — |',
        '| `answer-ask` | Answer an ask for an example, or decline it | — | yes, only the colleague asked | yes, only the colleague asked | yes, only the colleague asked |',
        '| `propose-promotion` | Propose a promotion: a case for the next level (`/career propose`, Propose a promotion) | — | yes | yes | — |',
        '| `read-case` | See a promotion case: the ratings side by side, the evidence for each expectation and the notes | yes | yes | yes, only once the person sent it on | — |',
        '| `decide-case` | Approve or decline a promotion case; choose where cases go and the threshold (`/career admin promotions`) | — | — | yes, not a case about themselves | — |',
        '| `save-evidence` | Save evidence (Save as evidence on a message, `/career win`), and edit or delete your own entries | yes | — | — | — |',
        '| `read-evidence` | See an evidence log, grouped by expectation with its gaps (`/career evidence`) | yes | — | — | — |',
      ].join('\n'),
    );
  });
});
