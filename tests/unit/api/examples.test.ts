import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleTabs } from '#src/api/http/examples.js';
import { buildSchema } from '#src/api/schema/index.js';

const demo = { app: 'demo-web', machineId: '148e21c4e01d28', deploymentId: 'dep_0123456789abcdef', volumeId: 'vol_0123456789abcdef' };

describe('GraphiQL example tabs', () => {
  it('should open with a dashboard query and offer a mutation and a subscription when GraphiQL loads', () => {
    const tabs = exampleTabs();
    expect(tabs[0].query).toContain('query Dashboard');
    expect(tabs.some((tab) => /^mutation /m.test(tab.query))).toBe(true);
    expect(tabs.some((tab) => /^subscription /m.test(tab.query))).toBe(true);
    expect(tabs.some((tab) => /^query \w+ @live/m.test(tab.query))).toBe(true);
  });

  it('should put the given ids in every example that needs one when demo mode supplies them', () => {
    const variables = exampleTabs(demo).map((tab) => tab.variables ?? '');
    const all = variables.join('\n');
    expect(all).not.toMatch(/your-app|machineId-from|run-the-Deploy/);
    expect(variables.filter((v) => v.includes(demo.machineId))).toHaveLength(4);
    expect(all).toContain(demo.deploymentId);
    expect(variables.filter((v) => v.includes(demo.volumeId))).toHaveLength(1);
  });

  it('should ask about the demo certificate when demo mode names its hostname, and a placeholder otherwise', () => {
    const certificate = (tabs: ReturnType<typeof exampleTabs>) => tabs.find((tab) => /^query Certificate/m.test(tab.query))!;
    expect(JSON.parse(certificate(exampleTabs({ ...demo, hostname: 'www.demo-web.example' })).variables!)).toEqual({
      app: 'demo-web',
      hostname: 'www.demo-web.example',
    });
    expect(JSON.parse(certificate(exampleTabs()).variables!).hostname).toBe('www.example.com');
  });

  it('should offer a way to give a lease back when an example takes one', () => {
    expect(exampleTabs().some((tab) => /releaseMachineLease/.test(tab.query))).toBe(true);
  });

  for (const tab of exampleTabs()) {
    const name = /^(query|mutation|subscription) (\w+)/m.exec(tab.query)?.[2] ?? '(anonymous)';
    it(`should validate "${name}" against the schema when it is offered as a tab`, () => {
      expect(validate(buildSchema(), parse(tab.query))).toEqual([]);
      if (tab.variables !== undefined) expect(() => JSON.parse(tab.variables!)).not.toThrow();
    });

    it(`should keep the comment lines of "${name}" within 56 characters when the editor does not wrap`, () => {
      const long = tab.query.split('\n').filter((line) => line.startsWith('#') && line.length > 56);
      expect(long).toEqual([]);
    });
  }
});
