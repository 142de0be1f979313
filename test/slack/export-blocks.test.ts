import { describe, expect, it } from 'vitest';
import { exportMessages } from '../../src/slack/blocks/records.js';
import { checkMessage } from '../../src/slack/limits.js';
import type { TeammateExport } from '../../src/store/types.js';
import { visibleText } from '../support/blocks.js';

function exportWith(notes: string[]): TeammateExport {
  const at = '2026-11-29T15:00:00.000Z';
  return {
    record: {
      teamId: 'T0TEAM0001',
      userId: 'U0BEN00001',
      frameworkId: 'marketing',
      levelId: 'level-2',
      since: '2026-01-15',
      managerId: null,
      status: 'active',
      pausedUntil: null,
      tz: null,
      tzFetchedAt: null,
      nudges: 'dm',
      createdAt: at,
      updatedAt: at,
    },
    history: notes.map((note, i) => ({
      id: i + 1,
      teamId: 'T0TEAM0001',
      userId: 'U0BEN00001',
      field: 'level',
      from: null,
      to: 'level-2',
      changedBy: 'U0ADMIN001',
      changedAt: at,
      note,
    })),
    pauses: [],
    checkins: [],
  };
}

describe('exportMessages', () => {
  it('round-trips the JSON even when escaping makes it longer (& and < in notes)', () => {
    // Each note grows fivefold when escaped: measured before escaping, blocks would be cut.
    const data = exportWith(Array.from({ length: 60 }, (_, i) => `${i} ${'&<>'.repeat(150)}`));
    const messages = exportMessages(data, '2026-11-29T15:00:00.000Z');
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(checkMessage(m)).toEqual([]);
    const json = messages
      .map((m) => visibleText(m))
      .join('\n')
      .split('```')
      .filter((_, i) => i % 2 === 1)
      .join('');
    expect(JSON.parse(json)).toEqual({ exportedAt: '2026-11-29T15:00:00.000Z', ...data });
  });

  it('fits a small export in one message', () => {
    const messages = exportMessages(exportWith(['first record']), '2026-11-29T15:00:00.000Z');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe('Your Ripple data export');
  });
});
