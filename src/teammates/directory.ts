/**
 * The port through which the record service learns about Slack users (who exists, who is an
 * admin, which time zone they live in). The Slack implementation calls users.info; tests and the
 * sandbox go through the same implementation against the offline Slack.
 */
export interface DirectoryUser {
  id: string;
  name: string;
  tz: string | null;
  /** A Slack workspace admin or owner. */
  slackAdmin: boolean;
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
}
