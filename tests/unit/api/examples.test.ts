import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleTabs } from '../../../src/api/http/examples.js';
import { buildSchema } from '../../../src/api/schema/index.js';

describe('GraphiQL example tabs', () => {
  it('should open with a dashboard query and offer a mutation and a subscription when GraphiQL loads', () => {
    expect(exampleTabs[0].query).toContain('query Dashboard');
    expect(exampleTabs.some((tab) => /^mutation /m.test(tab.query))).toBe(true);
    expect(exampleTabs.some((tab) => /^subscription /m.test(tab.query))).toBe(true);
    expect(exampleTabs.some((tab) => /^query \w+ @live/m.test(tab.query))).toBe(true);
  });

  for (const tab of exampleTabs) {
    const name = /^(query|mutation|subscription) (\w+)/m.exec(tab.query)?.[2] ?? '(anonymous)';
    it(`should validate "${name}" against the schema when it is offered as a tab`, () => {
      expect(validate(buildSchema(), parse(tab.query))).toEqual([]);
      if (tab.variables !== undefined) expect(() => JSON.parse(tab.variables!)).not.toThrow();
    });
  }
});
