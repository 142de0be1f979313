import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize } from '../../src/commands/grammar.js';
import { parseTime, parseWeekday } from '../../src/commands/growth-grammar.js';

describe('the growth commands', () => {
  it.each([
    [
      'admin channel <#C0GROWTH01|growth>',
      { kind: 'admin', action: 'channel', channel: { id: 'C0GROWTH01', name: 'growth' } },
    ],
    [
      'admin channel <#C0GROWTH01> fri 10:00',
      { kind: 'admin', action: 'channel', channel: { id: 'C0GROWTH01' }, weekday: 5, time: '10:00' },
    ],
    [
      'ADMIN Channel <#G0PRIVATE1|x> 3:30pm Tuesday',
      { kind: 'admin', action: 'channel', channel: { id: 'G0PRIVATE1', name: 'x' }, weekday: 2, time: '15:30' },
    ],
    ['admin channel off', { kind: 'admin', action: 'channel-off' }],
    ['admin nudge-now', { kind: 'admin', action: 'nudge-now' }],
    ['admin nudge now', { kind: 'admin', action: 'nudge-now' }],
    ['admin schedule', { kind: 'admin', action: 'schedule' }],
    ['admin people', { kind: 'admin', action: 'people' }],
    ['Admin PEOPLE', { kind: 'admin', action: 'people' }],
    ['celebrate', { kind: 'celebrate' }],
    ['celebrate ON', { kind: 'celebrate', turn: 'on' }],
    ['digest', { kind: 'digest' }],
    ['digest off', { kind: 'digest', turn: 'off' }],
    ['Digest ON', { kind: 'digest', turn: 'on' }],
    ['nudges optional off', { kind: 'nudges', turn: 'off', optional: true }],
    ['nudges off', { kind: 'nudges', turn: 'off' }],
  ])('%s', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each([
    'admin',
    'admin channel',
    'admin channel #growth',
    'admin channel <#C0GROWTH01|growth> fri fri',
    'admin channel <#C0GROWTH01|growth> 24:00',
    'admin nudge-now please',
    'admin nudge',
    'admin people @ana',
    'celebrate yes',
    'digest maybe',
    'digest off now',
    'nudges optional',
    'nudges optional maybe',
  ])('refuses "%s" with a usage line', (text) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.usage).toMatch(/^\/career /);
  });

  it('keeps channel links whole only when asked', () => {
    expect(tokenize('<#C0GROWTH01|growth>')).toEqual(['#growth']);
    expect(tokenize('<#C0GROWTH01|growth>', { keepChannels: true })).toEqual(['<#C0GROWTH01|growth>']);
  });

  it.each([
    ['mon', 1],
    ['Thurs', 4],
    ['sunday', 7],
    ['su', undefined],
    ['fridays', undefined],
  ])('reads the day %s as %s', (word, day) => {
    expect(parseWeekday(word)).toBe(day);
  });

  it.each([
    ['10:00', '10:00'],
    ['9:05', '09:05'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['3pm', '15:00'],
    ['10', undefined],
    ['13pm', undefined],
    ['24:00', undefined],
  ])('reads the time %s as %s', (word, time) => {
    expect(parseTime(word)).toBe(time);
  });
});
