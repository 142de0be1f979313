import { describe, expect, it } from 'vitest';
import { SqliteReminderStore } from '../../src/store/reminder-ledger.js';
import { ALICE, AT, aChange, BOB, fakeDatabase, T } from './fixtures.js';

const key = { teamId: T, userId: ALICE, kind: 'heads-up', windowKey: 'marketing/strategist/2026-01-15' };

function setup() {
  const { db, stores } = fakeDatabase();
  return { db, stores, reminders: new SqliteReminderStore(db) };
}

describe('the reminder ledger', () => {
  it('claims a key once: a second claim (a restart, another instance) gets false', () => {
    const { reminders } = setup();
    expect(reminders.claim(key, '2026-06-17', AT)).toBe(true);
    expect(reminders.claim(key, '2026-06-18', AT)).toBe(false);
    expect(reminders.kinds(T, ALICE, key.windowKey)).toEqual(new Set(['heads-up']));
  });

  it('allows one reminder a day per person, whatever the kind', () => {
    const { reminders } = setup();
    expect(reminders.claim(key, '2026-07-15', AT)).toBe(true);
    expect(reminders.claim({ ...key, kind: 'open' }, '2026-07-15', AT)).toBe(false);
    expect(reminders.claim({ ...key, kind: 'open' }, '2026-07-16', AT)).toBe(true);
    expect(reminders.claim({ ...key, userId: BOB }, '2026-07-15', AT)).toBe(true);
    expect(reminders.lastLocalDate(T, ALICE)).toBe('2026-07-16');
  });

  it('a released claim can be taken again; a sent or undeliverable one cannot be released', () => {
    const { reminders } = setup();
    reminders.claim(key, '2026-06-17', AT);
    reminders.release(key);
    expect(reminders.claim(key, '2026-06-17', AT)).toBe(true);
    reminders.markSent(key, AT);
    reminders.release(key);
    expect(reminders.entries(T, ALICE)).toMatchObject([{ kind: 'heads-up', status: 'sent', sentAt: AT }]);
    const other = { ...key, kind: 'open' };
    reminders.claim(other, '2026-07-15', AT);
    reminders.markUndeliverable(other, 'account_inactive', AT);
    reminders.release(other);
    expect(reminders.entries(T, ALICE)[1]).toMatchObject({ status: 'undeliverable', error: 'account_inactive' });
  });

  it('reads what is due through the partial index on due_at, earliest first', () => {
    const { db, reminders } = setup();
    const plan = (userId: string, dueAt: string | null) =>
      reminders.setPlan({ teamId: T, userId, dueAt, kind: 'open', windowKey: 'w', plannedAt: AT });
    plan('U1', '2026-07-15T10:00:00.000Z');
    plan('U2', '2026-07-14T10:00:00.000Z');
    plan('U3', null);
    plan('U4', '2026-07-16T10:00:00.000Z');
    expect(reminders.due('2026-07-15T10:00:00Z', 10).map((r) => r.userId)).toEqual(['U2', 'U1']);
    expect(reminders.due('2026-07-15T10:00:00Z', 1).map((r) => r.userId)).toEqual(['U2']);
    const detail = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM reminder_plan WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?',
      )
      .all('x', 1)
      .map((r) => (r as { detail: string }).detail)
      .join(' ');
    expect(detail).toContain('reminder_plan_due');
  });

  it('pages through changed teammates by (updated_at, team, user), even when many share a timestamp', async () => {
    const { stores, reminders } = setup();
    const rows = ['U1', 'U2', 'U3'].map((userId) => ({
      teamId: T,
      userId,
      frameworkId: 'marketing',
      levelId: 'strategist',
      since: '2026-01-15',
    }));
    await stores.teammates.importMany(rows, 'admin', AT);
    const first = reminders.changedSince('updated_at', null, 2);
    expect(first.map((r) => r.userId)).toEqual(['U1', 'U2']);
    const last = first[1] as { teamId: string; userId: string; at: string };
    expect(reminders.changedSince('updated_at', last, 2).map((r) => r.userId)).toEqual(['U3']);
  });

  it('forgetting a person deletes their plan and ledger rows', async () => {
    const { stores, reminders } = setup();
    await stores.teammates.upsert(aChange());
    reminders.claim(key, '2026-06-17', AT);
    reminders.setPlan({ teamId: T, userId: ALICE, dueAt: null, kind: null, windowKey: null, plannedAt: AT });
    await stores.teammates.forget(T, ALICE);
    expect(reminders.entries(T, ALICE)).toEqual([]);
    expect(reminders.getPlan(T, ALICE)).toBeNull();
  });

  it('refuses a malformed key before writing', () => {
    const { reminders } = setup();
    expect(() => reminders.claim({ ...key, kind: 'Heads Up' }, '2026-06-17', AT)).toThrow(/reminder kind/);
    expect(() => reminders.claim(key, '2026-02-30', AT)).toThrow();
  });
});
