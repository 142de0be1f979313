import type { z } from 'zod';

/**
 * A button's value as the JSON object Ripple put there, checked with `schema`; undefined when it is not JSON or not
 * of that shape (a value from an older message, or one made up): the listener then answers without acting.
 */
export function buttonValue<S extends z.ZodType>(schema: S, value: string | undefined): z.infer<S> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A row id Ripple put in a button's value (an evidence entry, an ask, a promotion case): up to `maxDigits` digits and
 * nothing else; undefined for anything else, so a made-up value does nothing.
 */
export function idValue(value: string | undefined, maxDigits = 12): number | undefined {
  return value !== undefined && value.length <= maxDigits && /^\d+$/.test(value) ? Number(value) : undefined;
}
