import { describe, expect, it } from 'vitest';
import { withoutInputValue } from '#src/api/plugins/mask-input-values.js';

describe('withoutInputValue', () => {
  it('should cut the whole quoted input out of an unknown-field error, keeping the variable and the reason', () => {
    expect(
      withoutInputValue(
        'Variable "$input" got invalid value { app: "a", privateKey: "-----BEGIN PRIVATE KEY-----; x" }; Field "surprise" is not defined by type "AddCustomCertificateInput".',
      ),
    ).toBe('Variable "$input" got invalid value; Field "surprise" is not defined by type "AddCustomCertificateInput".');
  });

  it('should keep the path and drop the value a scalar reason ends with', () => {
    expect(
      withoutInputValue(
        'Variable "$input" got invalid value ["secret"] at "input.privateKey"; String cannot represent a non string value: ["secret"]',
      ),
    ).toBe('Variable "$input" got invalid value at "input.privateKey"; String cannot represent a non string value.');
  });

  it('should leave every other message alone', () => {
    const message = 'Field "zzz" is not defined by type "AddCustomCertificateInput".';
    expect(withoutInputValue(message)).toBe(message);
  });
});
