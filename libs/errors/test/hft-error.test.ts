import { describe, expect, it } from 'vitest';
import { defineError, HftError, withCause } from '../src/index.js';

describe('defineError', () => {
  const ERR_BAD_THING = defineError('HFT_TEST_BAD_THING', (what: string, n: number) => ({
    message: `bad ${what} at ${n}`,
    details: { what, n },
  }));

  it('builds errors with a stable code, message and details', () => {
    const e = ERR_BAD_THING('price', 3);
    expect(e).toBeInstanceOf(HftError);
    expect(e.code).toBe('HFT_TEST_BAD_THING');
    expect(e.message).toBe('bad price at 3');
    expect(e.toJSON()).toEqual({ code: 'HFT_TEST_BAD_THING', message: 'bad price at 3', details: { what: 'price', n: 3 } });
    expect(ERR_BAD_THING.code).toBe('HFT_TEST_BAD_THING');
  });

  it('recognises its own errors only', () => {
    const other = defineError('HFT_TEST_OTHER', () => ({ message: 'x' }));
    expect(ERR_BAD_THING.is(ERR_BAD_THING('a', 1))).toBe(true);
    expect(ERR_BAD_THING.is(other())).toBe(false);
    expect(ERR_BAD_THING.is(new Error('plain'))).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(withCause(ERR_BAD_THING('a', 1), cause).cause).toBe(cause);
  });
});
