import { parse } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { isWellFormedSlackBody } from '../../src/slack/receiver.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** The rule as Bolt reads a form (`querystring.parse`): every field once, and a payload that is a JSON object. */
function byFullParse(raw: string): boolean {
  try {
    const fields = parse(raw);
    if (Object.values(fields).some((v) => Array.isArray(v))) return false;
    const payload = fields.payload;
    if (payload === undefined) return true;
    const value = JSON.parse(payload as string);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

describe('isWellFormedSlackBody', () => {
  it.each([
    ['a slash command', 'token=x&team_id=T1&user_id=U1&command=%2Fcareer&text=level+3+marketing', true],
    ['an empty form', '', true],
    ['empty pairs between fields', 'text=me&&user_id=U1&', true],
    ['a field without a value', 'text&user_id=U1', true],
    ['a value with = and encoded &', 'text=a%3Db%26c=d&user_id=U1', true],
    ['a repeated field', 'text=me&user_id=U1&text=help', false],
    ['a repeated field, once percent-encoded', 'text=me&te%78t=help', false],
    ['a repeated field, once with + for a space', 'my+field=1&my%20field=2', false],
    ['a repeated field without a value', 'text&text=help', false],
    ['an interaction', `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`, true],
    ['a payload encoded with +', 'payload=%7B%22text%22%3A%22a+b%22%7D', true],
    ['payload=null', 'payload=null', false],
    ['a payload that is an array', 'payload=%5B%5D', false],
    ['a payload that is not JSON', 'payload=%7Bnot', false],
    ['a payload given twice', 'payload=%7B%7D&payload=%7B%7D', false],
    ['a malformed percent sign', 'text=100%&user_id=U1', true],
  ])('%s: %s', (_label, body, expected) => {
    expect(isWellFormedSlackBody(body, FORM)).toBe(expected);
    // The same verdict as decoding the whole form, as Bolt then does.
    expect(byFullParse(body)).toBe(expected);
  });

  it.each([
    ['an event', '{"type":"event_callback","event":{}}', true],
    ['a JSON array', '[]', false],
    ['not JSON', 'text=me', false],
  ])('JSON: %s', (_label, body, expected) => {
    expect(isWellFormedSlackBody(body, JSON_TYPE)).toBe(expected);
  });
});
