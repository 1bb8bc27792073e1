import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({ seed: 'demo' });
});
afterAll(() => h.close());

/** `{"a":{"a":...{"a":1}}}` with `levels` objects, as JSON text (JSON.stringify itself overflows at such depths). */
function nestedJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** The same value as a GraphQL literal, alternating objects and lists so both count. */
function nestedLiteral(levels: number): string {
  let literal = '1';
  for (let i = 0; i < levels; i++) literal = i % 2 === 0 ? `{ a: ${literal} }` : `[${literal}]`;
  return literal;
}

const createWithVariable = `mutation ($input: CreateMachineInput!) {
  createMachine(input: $input) { __typename ... on InvalidInputError { message } }
}`;
/** A createMachine request body whose `config.extra` is the given JSON text. */
const withExtra = (extraJson: string) =>
  `{"query":${JSON.stringify(createWithVariable)},"variables":{"input":{"app":"demo-web","config":{"image":"nginx","extra":${extraJson}}}}}`;

describe('JSON inputs are bounded in depth', () => {
  it('should answer 400 BAD_USER_INPUT naming the limit without calling Fly when a variable nests 10,000 levels', async () => {
    h.resetCounts();
    const answer = await h.post(withExtra(nestedJson(10_000)));
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toMatch(/64 levels/);
    expect(JSON.stringify(answer.errors)).not.toMatch(/call stack/i);
    expect(h.total()).toBe(0);
  });

  it('should answer 400 BAD_USER_INPUT naming the limit when a literal nests 65 levels of objects and lists', async () => {
    h.resetCounts();
    const query = `mutation { createMachine(input: { app: "demo-web", config: { image: "nginx", extra: { deep: ${nestedLiteral(64)} } } }) { __typename } }`;
    const answer = await h.post({ query });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toMatch(/64 levels/);
    expect(h.total()).toBe(0);
  });

  it('should accept JSON nested exactly 64 levels when sent as a variable or a literal', async () => {
    const fromVariable = await h.post(withExtra(nestedJson(64)));
    expect(fromVariable.errors).toBeUndefined();
    expect(fromVariable.data?.createMachine.__typename).toBe('CreateMachineSuccess');
    const query = `mutation { createMachine(input: { app: "demo-web", config: { image: "nginx", extra: { deep: ${nestedLiteral(63)} } } }) { __typename } }`;
    const fromLiteral = await h.post({ query });
    expect(fromLiteral.errors).toBeUndefined();
    expect(fromLiteral.data?.createMachine.__typename).toBe('CreateMachineSuccess');
  });
});
