import { describe, expect, it } from 'vitest';
import { createLogger } from '#src/lib/logger.js';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('should replace a secret wherever it appears in a line when the secret is known', () => {
    const { logger, lines } = capture(['tok_0123456789abcdef']);
    logger.info({ upstream: { detail: 'echo of tok_0123456789abcdef from a proxy' } }, 'failed with tok_0123456789abcdef');
    logger.error({ err: new Error('Bearer tok_0123456789abcdef rejected') }, 'boom');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('tok_0123456789abcdef');
    expect(lines[0]).toContain('[redacted]');
    expect(lines[1]).toContain('Bearer [redacted] rejected');
  });

  it('should censor authorization and token fields by key when their values are not known secrets', () => {
    const { logger, lines } = capture([]);
    logger.info({ headers: { authorization: 'Bearer xyz' }, token: 'abc', other: 'kept' }, 'request');
    const line = JSON.parse(lines[0]) as Record<string, any>;
    expect(line.headers.authorization).toBe('[redacted]');
    expect(line.token).toBe('[redacted]');
    expect(line.other).toBe('kept');
  });

  it('should ignore secrets shorter than six characters when scrubbing so ordinary words survive', () => {
    const { logger, lines } = capture(['info']);
    logger.info('info about the machine');
    expect(lines[0]).toContain('info about the machine');
  });
});
