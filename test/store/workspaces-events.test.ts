import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/store/index.js';
import { AT, fakeDatabase, LATER, T } from './fixtures.js';

describe('workspaces', () => {
  it('counts a workspace never heard of as active', async () => {
    const { stores } = fakeDatabase();
    expect(await stores.workspaces.isActive(T)).toBe(true);
  });

  it('stops a workspace on uninstall and starts it again on reinstall', async () => {
    const { db, stores } = fakeDatabase();
    const row = () =>
      db.prepare('SELECT active, installed_at, uninstalled_at FROM workspaces WHERE team_id = ?').get(T);

    await stores.workspaces.markActive(T, AT);
    expect(await stores.workspaces.isActive(T)).toBe(true);
    expect(row()).toEqual({ active: 1, installed_at: AT, uninstalled_at: null });

    await stores.workspaces.markInactive(T, LATER);
    expect(await stores.workspaces.isActive(T)).toBe(false);
    expect(row()).toEqual({ active: 0, installed_at: AT, uninstalled_at: LATER });

    await stores.workspaces.markActive(T, '2026-03-01T00:00:00.000Z');
    expect(await stores.workspaces.isActive(T)).toBe(true);
    expect(row()).toEqual({ active: 1, installed_at: '2026-03-01T00:00:00.000Z', uninstalled_at: LATER });
  });

  it('takes app_uninstalled then tokens_revoked as one uninstall', async () => {
    const { db, stores } = fakeDatabase();
    await stores.workspaces.markActive(T, AT);
    await stores.workspaces.markInactive(T, LATER);
    await stores.workspaces.markInactive(T, '2026-02-01T10:00:01.000Z');
    await stores.workspaces.markActive(T, AT);
    await stores.workspaces.markActive(T, LATER);
    expect(db.prepare('SELECT uninstalled_at, installed_at FROM workspaces').get()).toEqual({
      uninstalled_at: LATER,
      installed_at: AT,
    });
  });

  it('remembers an uninstall of a workspace it had not seen', async () => {
    const { stores } = fakeDatabase();
    await stores.workspaces.markInactive(T, AT);
    expect(await stores.workspaces.isActive(T)).toBe(false);
  });

  it('reactivates only an inactive workspace, and writes nothing for an active or unknown one', async () => {
    const { db, stores } = fakeDatabase();
    const rows = () => db.prepare('SELECT team_id, active, installed_at, uninstalled_at FROM workspaces').all();
    expect(await stores.workspaces.reactivate(T, AT)).toBe(false);
    expect(rows()).toEqual([]);
    await stores.workspaces.markInactive(T, AT);
    expect(await stores.workspaces.reactivate(T, LATER)).toBe(true);
    expect(rows()).toEqual([{ team_id: T, active: 1, installed_at: LATER, uninstalled_at: AT }]);
    expect(await stores.workspaces.reactivate(T, '2026-03-01T00:00:00.000Z')).toBe(false);
    expect(rows()).toEqual([{ team_id: T, active: 1, installed_at: LATER, uninstalled_at: AT }]);
  });

  it('refuses a bad timestamp', async () => {
    const { stores } = fakeDatabase();
    await expect(async () => await stores.workspaces.markInactive(T, 'now')).rejects.toThrow(InvalidInputError);
  });
});

describe('processed events', () => {
  it('says first time exactly once per event id', async () => {
    const { stores } = fakeDatabase();
    expect(await stores.events.firstTime('Ev01', AT)).toBe(true);
    expect(await stores.events.firstTime('Ev01', LATER)).toBe(false);
    expect(await stores.events.firstTime('Ev01', LATER)).toBe(false);
    expect(await stores.events.firstTime('Ev02', LATER)).toBe(true);
  });

  it('prunes ids received before a cut-off', async () => {
    const { stores } = fakeDatabase();
    await stores.events.firstTime('Ev01', AT);
    await stores.events.firstTime('Ev02', LATER);
    expect(await stores.events.prune('2026-01-20T00:00:00.000Z')).toBe(1);
    expect(await stores.events.firstTime('Ev01', LATER)).toBe(true);
    expect(await stores.events.firstTime('Ev02', LATER)).toBe(false);
  });

  it('refuses an empty event id', async () => {
    const { stores } = fakeDatabase();
    await expect(async () => await stores.events.firstTime('', AT)).rejects.toThrow(InvalidInputError);
  });
});
