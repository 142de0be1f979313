/**
 * Who is a Ripple admin. A manager is not a role: it is a relation to one record (see
 * permissions.ts), so only admins are decided here.
 */

/** The fields of a users.info `user` that make someone an admin; all optional, as Slack omits them. */
export interface SlackUserRoles {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

/**
 * An admin is a user listed in CAREER_ADMINS, or a Slack workspace admin or owner. Without
 * `slackUser` (users.info not fetched or failed) only the configured list counts: the safe side.
 */
export function isAdmin({
  userId,
  configuredAdmins,
  slackUser,
}: {
  userId: string;
  configuredAdmins: Iterable<string>;
  slackUser?: SlackUserRoles | undefined;
}): boolean {
  for (const admin of configuredAdmins) if (admin === userId) return true;
  return slackUser?.is_admin === true || slackUser?.is_owner === true || slackUser?.is_primary_owner === true;
}

/**
 * The rule of {@link isAdmin}, in words: said by `/career help` and in the README's Permissions
 * section (a test keeps both to this sentence).
 */
export const ADMIN_RULE =
  "Ripple admins are this workspace's Slack admins and owners, plus anyone listed in the server's CAREER_ADMINS setting.";

/** A Slack user id: U… or W… (Enterprise Grid), uppercase letters and digits. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export type AdminListResult = { ok: true; admins: string[] } | { ok: false; invalid: string[] };

/**
 * Parses CAREER_ADMINS: user ids separated by commas or spaces. Accepts a pasted mention
 * (`<@U123ABC>` or `<@U123ABC|name>`) too. Names such as `@sam` cannot be resolved without Slack and
 * are reported as invalid, so a typo does not silently leave the workspace without its admin.
 */
export function parseAdminList(value: string | undefined): AdminListResult {
  const entries = (value ?? '').split(/[\s,]+/).filter((e) => e !== '');
  const admins: string[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const id = /^<@([^|>]+)(?:\|[^>]*)?>$/.exec(entry)?.[1] ?? entry;
    if (SLACK_USER_ID.test(id)) {
      if (!admins.includes(id)) admins.push(id);
    } else invalid.push(entry);
  }
  return invalid.length > 0 ? { ok: false, invalid } : { ok: true, admins };
}
