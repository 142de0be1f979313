import { describe, expect, it } from 'vitest';
import { type CareerCommand, isNudgesCommand, parseCommand } from '../../src/commands/grammar.js';

describe('/career nudges', () => {
  it.each<[string, CareerCommand]>([
    ['nudges', { kind: 'nudges' }],
    ['NUDGES off', { kind: 'nudges', turn: 'off' }],
    ['nudges On', { kind: 'nudges', turn: 'on' }],
    ['reminders', { kind: 'nudges' }],
  ])('%j', (text, expected) => {
    const parsed = parseCommand(text);
    expect(parsed).toEqual(expected);
    expect(isNudgesCommand(parsed)).toBe(true);
  });

  it.each(['nudges maybe', 'nudges off now'])('%j is refused with the usage', (text) => {
    expect(parseCommand(text)).toMatchObject({ kind: 'invalid', usage: '/career nudges [on|off]' });
  });
});
