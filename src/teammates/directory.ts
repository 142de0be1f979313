import type { SlackUserRoles } from '../career/roles.js';

/**
 * The port through which the record service learns about Slack users (who exists, who is an
 * admin, which time zone they live in). The Slack implementation calls users.info; tests and the
 * sandbox go through the same implementation against the offline Slack.
 */
export interface DirectoryUser {
  id: string;
  name: string;
  tz: string | null;
  /** Slack's role flags, as given: whether they make an admin is `isAdmin`'s decision (career/roles). */
  roles: SlackUserRoles;
  deleted: boolean;
  isBot: boolean;
}

export type DirectoryLookup =
  | { ok: true; user: DirectoryUser }
  | { ok: false; reason: 'not-found' }
  /** Slack could not answer (rate limited, down): say so, and change nothing. */
  | { ok: false; reason: 'unavailable'; detail: string };

export interface Directory {
  user(userId: string): Promise<DirectoryLookup>;
  /**
   * The workspace's active human members whose Slack roles make them Ripple admins by `isAdmin`
   * (admins and owners), for whom to ask when no CAREER_ADMINS are set; null when Slack cannot say.
   */
  workspaceAdmins(): Promise<string[] | null>;
  /**
   * One page of the workspace's members (users.list, `limit` 200, Tier 2: about 20 calls a minute), the active
   * humans only (no bots, Slackbot or deactivated accounts), from `cursor` (the first page when null). Never
   * cached: each page is read when asked for.
   */
  membersPage(cursor: string | null): Promise<MembersPage>;
}

export type MembersPage =
  /** `checked`: members Slack listed on the page, before bots and deactivated accounts were left out. */
  | { ok: true; humans: string[]; checked: number; nextCursor: string | null }
  | { ok: false; reason: 'unavailable' | 'invalid-cursor'; detail: string };

export interface CachedDirectory extends Directory {
  /** What Slack just told us about a person (`user_change`): replaces the cached entry. */
  remember(user: DirectoryUser): void;
  /** Drops a person from the cache, so the next lookup asks Slack. */
  forget(userId: string): void;
  /** The cached answer about a person if it is fresh, without asking Slack; undefined otherwise. */
  peek(userId: string): DirectoryLookup | undefined;
}

export interface CacheOptions {
  /** How long an answer is trusted; Slack also pushes changes through `user_change`. Default 1 hour. */
  ttlMs?: number;
  /**
   * How long the list of workspace admins and owners is trusted. Default 10 minutes: long enough that a
   * launch day's burst of "Ask for a record" pages through users.list (Tier 2, about 20 calls a minute)
   * once, short enough that a newly promoted admin is asked soon.
   */
  adminsTtlMs?: number;
  /** Entries kept; the oldest go first. Default 10,000. */
  maxEntries?: number;
  /** Real time in ms: cache freshness is an operational matter, not domain time. */
  now?: () => number;
}

/**
 * Caches what `users.info` says about people (time zone, admin flag, deactivated), so a burst of
 * commands costs one Slack call per person per hour instead of one per command, and stays far
 * below Slack's rate limit. Concurrent lookups of one person share one call. Failures are not
 * cached: the next lookup asks again.
 */
export function cachedDirectory(source: Directory, options: CacheOptions = {}): CachedDirectory {
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const adminsTtlMs = options.adminsTtlMs ?? 10 * 60 * 1000;
  const entries = new Map<string, { at: number; found: DirectoryLookup }>();
  const inFlight = new Map<string, Promise<DirectoryLookup>>();
  let admins: { at: number; list: string[] } | undefined;
  let adminsInFlight: Promise<string[] | null> | undefined;

  const keep = (userId: string, found: DirectoryLookup) => {
    entries.delete(userId);
    entries.set(userId, { at: now(), found });
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  };

  return {
    user(userId) {
      const cached = entries.get(userId);
      if (cached && now() - cached.at < ttlMs) return Promise.resolve(cached.found);
      let pending = inFlight.get(userId);
      if (!pending) {
        pending = source.user(userId).then(
          (found) => {
            inFlight.delete(userId);
            if (found.ok) keep(userId, found);
            return found;
          },
          (err: unknown) => {
            inFlight.delete(userId);
            throw err;
          },
        );
        inFlight.set(userId, pending);
      }
      return pending;
    },
    remember(user) {
      keep(user.id, { ok: true, user });
    },
    forget(userId) {
      entries.delete(userId);
    },
    peek(userId) {
      const cached = entries.get(userId);
      return cached && now() - cached.at < ttlMs ? cached.found : undefined;
    },
    membersPage(cursor) {
      return source.membersPage(cursor);
    },
    // One pass over users.list serves every ask for a while, and asks at the same time share it.
    // A failure (null) is not kept: the next ask tries Slack again.
    workspaceAdmins() {
      if (admins && now() - admins.at < adminsTtlMs) return Promise.resolve([...admins.list]);
      adminsInFlight ??= source.workspaceAdmins().then(
        (list) => {
          adminsInFlight = undefined;
          if (list !== null) admins = { at: now(), list };
          return list === null ? null : [...list];
        },
        (err: unknown) => {
          adminsInFlight = undefined;
          throw err;
        },
      );
      return adminsInFlight;
    },
  };
}
