import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOrExplain } from './cli.mjs';

describe('parseOrExplain', () => {
  afterEach(() => vi.restoreAllMocks());

  it("returns the parser's options", () => {
    expect(parseOrExplain((argv) => ({ n: Number(argv[0]) }), ['3'])).toEqual({ n: 3 });
  });

  it("prints the parser's message and returns undefined on bad input", () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const parse = () => {
      throw new Error('--n needs a number\nusage: x [--n N]');
    };
    expect(parseOrExplain(parse, ['--n', 'x'])).toBeUndefined();
    expect(printed).toHaveBeenCalledWith('--n needs a number\nusage: x [--n N]');
  });
});
