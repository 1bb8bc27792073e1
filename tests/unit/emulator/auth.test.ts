import { describe, expect, it } from 'vitest';
import { createAuthChecker, tokensFromHeader } from '#src/emulator/auth.js';

describe('emulator auth', () => {
  it('should strip nested schemes and split comma lists when parsing the header', () => {
    expect(tokensFromHeader('Bearer FlyV1 fm2_a,fm2_b')).toEqual(['fm2_a', 'fm2_b']);
    expect(tokensFromHeader('flyv1 x, Bearer y')).toEqual(['x', 'y']);
    expect(tokensFromHeader(undefined)).toEqual([]);
  });

  it('should accept only the configured token when checking', () => {
    const check = createAuthChecker('secret-1');
    expect(check('Bearer secret-1')).toBe(true);
    expect(check('FlyV1 other,secret-1')).toBe(true);
    expect(check('Bearer secret-12')).toBe(false);
    expect(check('secret-1')).toBe(true);
    expect(check('')).toBe(false);
  });
});
