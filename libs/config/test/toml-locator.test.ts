import { describe, expect, it } from 'vitest';
import { lineOf, locateKeys, splitKey } from '../src/index.js';

describe('toml locator', () => {
  it('splits bare, quoted and dotted keys', () => {
    expect(splitKey('a."b.c". d')).toEqual(['a', 'b.c', 'd']);
    expect(splitKey("'x y'")).toEqual(['x y']);
  });

  it('maps paths to lines across tables, array tables, dotted keys and multi-line values', () => {
    const src = [
      'top = 1', //1
      '[a]', //2
      'b = [', //3
      '  "x = 1",', //4
      ']', //5
      'c.d = 2', //6
      '[[arr]]', //7
      'k = 1', //8
      '[[arr]]', //9
      'k = 2', //10
      's = """', //11
      'z = 3', //12
      '"""', //13
      '[e."f.g"]', //14
      'h = 1 # comment = no', //15
    ].join('\n');
    const m = locateKeys(src);
    expect(m.get('top')).toBe(1);
    expect(m.get('a.b')).toBe(3);
    expect(m.get('a.c.d')).toBe(6);
    expect(m.get('arr.0.k')).toBe(8);
    expect(m.get('arr.1.k')).toBe(10);
    expect(m.has('arr.1.z')).toBe(false);
    expect(m.get('e.f.g.h')).toBe(15);
    expect(lineOf(m, ['a', 'missing'])).toBe(2);
    expect(lineOf(m, ['nothing'])).toBeNull();
  });
});
