import { describe, expect, it } from 'vitest';
import { asQuestion, readTypedAnswer } from '../../src/checkins/ask.js';

describe('an expectation asked as a question', () => {
  it.each([
    ['Are self-directed in your learning process.', 'Are you self-directed in your learning process?'],
    [
      'Are sought out by others on the team as a resource for your area of expertise.',
      'Are you sought out by others on the team as a resource for your area of expertise?',
    ],
    ['Be the go-to person for your area.', 'Are you the go-to person for your area?'],
    ['Ship regularly, with guidance and oversight.', 'Do you ship regularly, with guidance and oversight?'],
    ['Make steady progress on tasks within the area', 'Do you make steady progress on tasks within the area?'],
    [
      'Have a consistent record of ownership. You are accountable for results.',
      'Do you have a consistent record of ownership? You are accountable for results.',
    ],
  ])('%s → %s', (expectation, question) => {
    expect(asQuestion(expectation)).toBe(question);
  });
});

describe('a rating typed in the DM', () => {
  it.each([
    ['consistently', 'consistently'],
    ['Consistently!', 'consistently'],
    ['3', 'consistently'],
    ['1', 'not-yet'],
    ['not yet', 'not-yet'],
    ['Not yet.', 'not-yet'],
    ['skip', 'skip'],
    ['4', 'skip'],
    ['sometimes', 'sometimes'],
    ['consistantly', 'consistently'],
    ['somtimes', 'sometimes'],
    ['sometims', 'sometimes'],
  ])('"%s" answers %s', (line, rating) => {
    expect(readTypedAnswer(line)).toEqual({ kind: 'rating', rating });
  });

  it.each([['sometimes consistently'], ['consistently sometimes']])('"%s" asks which', (line) => {
    expect(readTypedAnswer(line)).toEqual({ kind: 'ambiguous', candidates: ['sometimes', 'consistently'] });
  });

  it.each([['I ran the spring launch'], ['5'], ['12'], ['ok'], ['stuff'], ['https://example.com/doc'], ['']])(
    '"%s" is evidence',
    (line) => {
      expect(readTypedAnswer(line)).toEqual({ kind: 'evidence' });
    },
  );
});
