import { parse } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { isWellFormedSlackBody } from '../../src/slack/receiver.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * The rule on the form as Bolt decodes it (`querystring.parse`): every field once, and a payload that opens a JSON
 * object (JSON's whitespace, then `{`).
 */
function byFullParse(raw: string): boolean {
  const fields = parse(raw);
  if (Object.values(fields).some((v) => Array.isArray(v))) return false;
  const payload = fields.payload;
  return payload === undefined || /^[ \t\n\r]*\{/.test(payload as string);
}

/** What Bolt would make of the payload: an object, another value (which it cannot handle), or no JSON (its own 400). */
function boltReads(raw: string): 'object' | 'other' | 'not-json' | 'none' {
  const payload = parse(raw).payload;
  if (typeof payload !== 'string') return 'none';
  try {
    const value = JSON.parse(payload);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? 'object' : 'other';
  } catch {
    return 'not-json';
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
    ['a payload that is a string', 'payload=%22x%22', false],
    ['a payload that is a number', 'payload=1', false],
    ['an empty payload', 'payload=', false],
    ['whitespace, then null', 'payload=+%0Anull', false],
    ['whitespace before the object, encoded three ways', 'payload=+%20%0a%09%7B%7D', true],
    ['a lower-case escape of the brace', 'payload=%7b%7d', true],
    // Opens an object and does not parse: passed on, and Bolt answers 400 itself (test/slack/hardening.test.ts).
    ['a payload that opens an object and is not JSON', 'payload=%7Bnot', true],
    ['a payload given twice', 'payload=%7B%7D&payload=%7B%7D', false],
    ['a malformed percent sign', 'text=100%&user_id=U1', true],
  ])('%s: %s', (_label, body, expected) => {
    expect(isWellFormedSlackBody(body, FORM)).toBe(expected);
    // The same verdict as decoding the whole form, as Bolt then does.
    expect(byFullParse(body)).toBe(expected);
    // Never a payload Bolt would read as something other than an object.
    if (expected) expect(boltReads(body)).not.toBe('other');
    if (boltReads(body) === 'object' && !body.includes('payload=%7B%7D&payload')) expect(expected).toBe(true);
  });

  it.each([
    ['an event', '{"type":"event_callback","event":{}}', true],
    ['an event after whitespace', ' \n{"type":"event_callback"}', true],
    ['a JSON array', '[]', false],
    ['null', 'null', false],
    ['not JSON', 'text=me', false],
    // Bolt answers 400 itself for JSON that does not parse.
    ['an object that does not parse', '{"type":', true],
  ])('JSON: %s', (_label, body, expected) => {
    expect(isWellFormedSlackBody(body, JSON_TYPE)).toBe(expected);
  });
});
