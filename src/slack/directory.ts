import type { webApi } from '@slack/bolt';
import { isAdmin } from '../career/roles.js';
import type { Directory, DirectoryLookup, DirectoryUser, MembersPage } from '../teammates/directory.js';

/** Members asked for per page of users.list: Slack's advice (at most 200), and what one record check takes. */
const MEMBERS_PAGE = 200;

type WebClient = webApi.WebClient;

function platformError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The fields of a Slack user object (users.info, user_change) the directory keeps. */
export interface SlackUserObject {
  id?: string;
  name?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  deleted?: boolean;
  is_bot?: boolean;
}

export function toDirectoryUser(u: SlackUserObject & { id: string }): DirectoryUser {
  return {
    id: u.id,
    name: u.name ?? u.id,
    tz: u.tz ?? null,
    // As Slack gave them: what they mean is isAdmin's decision (career/roles), and only there.
    roles: { is_admin: u.is_admin, is_owner: u.is_owner, is_primary_owner: u.is_primary_owner },
    deleted: u.deleted === true,
    isBot: u.is_bot === true || u.id === 'USLACKBOT',
  };
}

/** A member who is a person and still here: not a bot, not Slackbot, not deactivated. */
function isActiveHuman(u: SlackUserObject): u is SlackUserObject & { id: string } {
  return Boolean(u.id) && !u.deleted && !u.is_bot && u.id !== 'USLACKBOT';
}

/** The directory port on Slack's users.info: one call per lookup (wrap it in `cachedDirectory`). */
export function slackDirectory(client: WebClient, token: string): Directory {
  return {
    async user(userId): Promise<DirectoryLookup> {
      try {
        const res = await client.users.info({ token, user: userId });
        const u = res.user;
        if (!u?.id) return { ok: false, reason: 'not-found' };
        return { ok: true, user: toDirectoryUser({ ...u, id: u.id }) };
      } catch (err) {
        const code = platformError(err);
        if (code === 'user_not_found' || code === 'users_not_found') return { ok: false, reason: 'not-found' };
        return { ok: false, reason: 'unavailable', detail: code ?? (err as Error).message };
      }
    },
    async membersPage(cursor): Promise<MembersPage> {
      try {
        const page = await client.users.list({ token, limit: MEMBERS_PAGE, ...(cursor ? { cursor } : {}) });
        const members = page.members ?? [];
        return {
          ok: true,
          humans: members.filter(isActiveHuman).map((u) => u.id),
          checked: members.length,
          nextCursor: page.response_metadata?.next_cursor || null,
        };
      } catch (err) {
        const code = platformError(err);
        if (code === 'invalid_cursor') return { ok: false, reason: 'invalid-cursor', detail: code };
        return { ok: false, reason: 'unavailable', detail: code ?? (err as Error).message };
      }
    },
    async workspaceAdmins() {
      const admins: string[] = [];
      try {
        let cursor: string | undefined;
        do {
          const page = await client.users.list({ token, limit: 200, ...(cursor ? { cursor } : {}) });
          for (const u of page.members ?? []) {
            if (!isActiveHuman(u)) continue;
            if (isAdmin({ userId: u.id, configuredAdmins: [], slackUser: u })) admins.push(u.id);
          }
          cursor = page.response_metadata?.next_cursor || undefined;
        } while (cursor);
      } catch {
        return null;
      }
      return admins;
    },
  };
}
