import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { stripSuggestions, withoutSuggestions } from '#src/api/plugins/mask-suggestions.js';

describe('stripSuggestions', () => {
  it('should remove every kind of hint graphql-js writes when a message has one or several', () => {
    expect(stripSuggestions('Cannot query field "nam" on type "App". Did you mean "name"?')).toBe(
      'Cannot query field "nam" on type "App".',
    );
    expect(stripSuggestions('Value "ALWAYZ" does not exist in "RestartPolicy" enum. Did you mean the enum value "ALWAYS"?')).toBe(
      'Value "ALWAYZ" does not exist in "RestartPolicy" enum.',
    );
    expect(stripSuggestions('Unknown type "Strin". Did you mean "String", "Int", or "ID"?')).toBe('Unknown type "Strin".');
    expect(
      stripSuggestions(
        'Variable "$input" got invalid value { imag: "x" } at "input.config"; Field "imag" is not defined by type "MachineConfigInput". Did you mean "image"?',
      ),
    ).toBe(
      'Variable "$input" got invalid value { imag: "x" } at "input.config"; Field "imag" is not defined by type "MachineConfigInput".',
    );
  });

  it('should keep code, path and locations when an error loses its hint', () => {
    const error = new GraphQLError('Unknown argument "frist". Did you mean "first"?', {
      path: ['apps'],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const masked = withoutSuggestions(error);
    expect(masked.message).toBe('Unknown argument "frist".');
    expect(masked.path).toEqual(['apps']);
    expect(masked.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const plain = new GraphQLError('No hint here.');
    expect(withoutSuggestions(plain)).toBe(plain);
  });
});
