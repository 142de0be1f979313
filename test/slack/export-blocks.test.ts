import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { exportMessages, exportSummaryMessage } from '../../src/slack/blocks/records.js';
import { checkMessage } from '../../src/slack/limits.js';
import type { TeammateExport } from '../../src/store/types.js';
import { peopleIn, readableExport } from '../../src/teammates/export.js';
import { visibleText } from '../support/blocks.js';

const catalog = new Catalog(loadFrameworks('frameworks'));
const AT = '2026-11-29T15:00:00.000Z';
const readable = (data: TeammateExport) => readableExport(data, catalog, new Map([['U0ADMIN001', 'ana']]), AT);

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
      title: null,
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
    const messages = exportMessages(readable(data));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(checkMessage(m)).toEqual([]);
    const json = messages
      .map((m) => visibleText(m))
      .join('\n')
      .split('```')
      .filter((_, i) => i % 2 === 1)
      .join('');
    expect(JSON.parse(json)).toEqual(readable(data));
  });

  it('fits a small export in one message', () => {
    const messages = exportMessages(readable(exportWith(['first record'])));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe('Your Ripple data export, as JSON');
  });
});

describe('the readable export', () => {
  it('names teams, levels and people, and keeps no internal id but the person’s own', () => {
    const data = exportWith(['first record']);
    expect(peopleIn(data)).toEqual(['U0ADMIN001']);
    const doc = readable(data);
    const json = JSON.stringify(doc);
    expect(doc.person).toBe('U0BEN00001');
    expect(doc.record).toMatchObject({ team: 'Marketing', level: 'Level 2 · Strategist', manager: null });
    expect(doc.history[0]).toMatchObject({ changed: 'level', to: 'Level 2 · Strategist', by: '@ana' });
    for (const internal of ['T0TEAM0001', 'U0ADMIN001', '"id"', 'level-2', 'marketing"'])
      expect(json).not.toContain(internal);
  });

  it('summarizes in a few lines', () => {
    const summary = exportSummaryMessage(readable(exportWith(['a', 'b'])));
    expect(checkMessage(summary)).toEqual([]);
    const text = visibleText(summary);
    expect(text).toContain('*Record:* Marketing · Level 2 · Strategist since 2026-01-15');
    expect(text).toContain('*History:* 2 changes, the latest on 2026-11-29 (level)');
    expect(text).toContain('*Asks to colleagues:* none · *Promotion cases:* none');
    expect(text.split('\n').length).toBeLessThanOrEqual(8);
  });
});
