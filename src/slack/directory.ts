import type { webApi } from '@slack/bolt';
import type { Directory, DirectoryLookup } from '../teammates/directory.js';

type WebClient = webApi.WebClient;

function platformError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The directory port on Slack's users.info. One client call per lookup; memoized per request. */
export function slackDirectory(client: WebClient): Directory {
  const seen = new Map<string, Promise<DirectoryLookup>>();
  const fetchUser = async (userId: string): Promise<DirectoryLookup> => {
    try {
      const res = await client.users.info({ user: userId });
      const u = res.user;
      if (!u?.id) return { ok: false, reason: 'not-found' };
      return {
        ok: true,
        user: {
          id: u.id,
          name: u.name ?? u.id,
          tz: u.tz ?? null,
          slackAdmin: u.is_admin === true || u.is_owner === true || u.is_primary_owner === true,
          deleted: u.deleted === true,
          isBot: u.is_bot === true || u.id === 'USLACKBOT',
        },
      };
    } catch (err) {
      const code = platformError(err);
      if (code === 'user_not_found' || code === 'users_not_found') return { ok: false, reason: 'not-found' };
      return { ok: false, reason: 'unavailable', detail: code ?? (err as Error).message };
    }
  };
  return {
    user(userId) {
      let found = seen.get(userId);
      if (!found) {
        found = fetchUser(userId);
        seen.set(userId, found);
      }
      return found;
    },
  };
}
