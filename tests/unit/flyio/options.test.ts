import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createFlyClient } from '#src/flyio/client.js';
import type { FlyClientOptions } from '#src/flyio/types.js';

const SECRET = 'fm2_do-not-print-me';

function problemsOf(options: Partial<FlyClientOptions>): string {
  try {
    createFlyClient({ baseUrl: 'https://api.machines.dev', token: 'tok', ...options } as FlyClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected createFlyClient to throw');
}

describe('createFlyClient options', () => {
  it('should reject a baseUrl that is not a URL', () => {
    expect(problemsOf({ baseUrl: 'api.machines.dev' })).toMatch(/baseUrl is not a valid absolute URL/);
  });

  it('should reject a baseUrl with a non-http scheme', () => {
    expect(problemsOf({ baseUrl: 'ftp://x.test' })).toMatch(/baseUrl must use http or https/);
  });

  it('should reject a baseUrl ending in /v1 because the client adds it', () => {
    expect(problemsOf({ baseUrl: 'https://api.machines.dev/v1/' })).toMatch(/must not end with \/v1/);
  });

  it('should reject a baseUrl with a query string or credentials', () => {
    expect(problemsOf({ baseUrl: 'https://u:p@x.test/?a=1' })).toMatch(/credentials.*query string|query string/);
  });

  it('should reject an empty token or one that is only a scheme', () => {
    expect(problemsOf({ token: '' })).toMatch(/token must not be empty/);
    expect(problemsOf({ token: 'Bearer ' })).toMatch(/token must not be empty/);
  });

  it('should reject a token with a newline without printing the token', () => {
    const message = problemsOf({ token: `${SECRET}\n` });
    expect(message).toMatch(/control characters/);
    expect(message).not.toContain(SECRET);
  });

  it('should reject out-of-range numbers and report every problem at once', () => {
    const message = problemsOf({ deadlineMs: 0, retry: { maxAttempts: 0, baseDelayMs: 500, maxDelayMs: 100 } });
    expect(message).toMatch(/deadlineMs must be a number between 1 and/);
    expect(message).toMatch(/retry.maxAttempts must be an integer between 1 and 10/);
    expect(message).toMatch(/retry.maxDelayMs must be at least retry.baseDelayMs/);
  });

  it('should reject a dispatcher, clock or hooks of the wrong type', () => {
    const message = problemsOf({
      dispatcher: {} as never,
      clock: { now: () => 0 } as never,
      onCall: 'x' as never,
      random: 1 as never,
      rateLimit: 'yes' as never,
    });
    expect(message).toMatch(/dispatcher must be an undici Dispatcher/);
    expect(message).toMatch(/clock must implement/);
    expect(message).toMatch(/onCall must be a function/);
    expect(message).toMatch(/random must be a function/);
    expect(message).toMatch(/rateLimit must be a boolean/);
  });

  it('should build a client and close it twice without error when options are valid', async () => {
    const client = createFlyClient({ baseUrl: 'https://api.machines.dev/', token: SECRET });
    expect(typeof client.machines.get).toBe('function');
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('should leave an injected dispatcher open when the client closes', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('http://fly.test').intercept({ path: '/v1/apps/a', method: 'GET' }).reply(200, { name: 'a' });
    const client = createFlyClient({ baseUrl: 'http://fly.test', token: 'tok', dispatcher: agent });
    await client.close();
    await expect(client.apps.get('a')).resolves.toMatchObject({ name: 'a' });
    await agent.close();
  });
});
