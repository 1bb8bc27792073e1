import { getNamedType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '#src/api/schema/index.js';

describe('connection arguments', () => {
  it('should offer only first and after on every connection when Fly lists page forward only', () => {
    const connections: string[] = [];
    for (const type of Object.values(buildSchema().getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        connections.push(`${type.name}.${field.name}`);
        const names = field.args.map((arg) => arg.name);
        expect(names, `${type.name}.${field.name}`).toEqual(expect.arrayContaining(['first', 'after']));
        expect(names, `${type.name}.${field.name}`).not.toContain('last');
        expect(names, `${type.name}.${field.name}`).not.toContain('before');
      }
    }
    expect(connections.length).toBeGreaterThanOrEqual(4);
  });
});
