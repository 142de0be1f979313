import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../src/offline-slack/fake-slack-api.js';
import { ACTIVE_KEPT_MS, slackNotifier } from '../../src/slack/notifier.js';

/**
 * Whether the workspace is still installed is read before every DM. The notifier that answers requests takes a
 * workspace found active as active for a second (a request from it has just proved the install), so a check-in
 * click's DM reads nothing more; the background notifier reads it every time, and an inactive answer is never kept.
 */

const TOKEN = 'xoxb-fake';
const TEAM = 'T0RIPPLE01';
const message = { text: 'Next question', blocks: [] };

let api: FakeSlackApi;
beforeEach(async () => {
  api = await FakeSlackApi.start();
  api.addUser({ id: 'U0BEN00001', name: 'ben' });
});
afterEach(async () => {
  await api.close();
});

function notifier(keepActiveMs: number | undefined) {
  const reads: string[] = [];
  const workspace = { active: true };
  let clock = 1_000;
  const client = new webApi.WebClient(undefined, { slackApiUrl: api.apiUrl, logLevel: webApi.LogLevel.ERROR });
  const n = slackNotifier({
    client,
    token: TOKEN,
    workspaces: {
      isActive: async (teamId) => {
        reads.push(teamId);
        return workspace.active;
      },
    },
    logger: { warn: () => undefined },
    reporting: client,
    ...(keepActiveMs === undefined ? {} : { keepActiveMs }),
    now: () => clock,
  });
  return {
    n,
    reads,
    workspace,
    later: (ms: number) => {
      clock += ms;
    },
  };
}

const posts = () => api.calls.filter((c) => c.method === 'chat.postMessage').length;

describe('the workspace check before a DM', () => {
  it('answering requests: read once, then taken as active for a second, then read again', async () => {
    const { n, reads, later } = notifier(ACTIVE_KEPT_MS);
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(true);
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(true);
    later(ACTIVE_KEPT_MS - 1);
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(true);
    expect(reads).toEqual([TEAM]);
    later(1);
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(true);
    expect(reads).toEqual([TEAM, TEAM]);
    expect(posts()).toBe(4);
  });

  it('an inactive workspace is never kept: nothing is sent, and the next DM reads it again', async () => {
    const { n, reads, workspace } = notifier(ACTIVE_KEPT_MS);
    workspace.active = false;
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(false);
    expect(posts()).toBe(0);
    workspace.active = true;
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(true);
    expect(reads).toEqual([TEAM, TEAM]);
    expect(posts()).toBe(1);
  });

  it('in the background (the default): read before every DM, so an uninstall stops the next one', async () => {
    const { n, reads, workspace } = notifier(undefined);
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(true);
    workspace.active = false;
    expect(await n.dm(TEAM, 'U0BEN00001', [message])).toBe(false);
    expect(reads).toEqual([TEAM, TEAM]);
    expect(posts()).toBe(1);
  });
});
