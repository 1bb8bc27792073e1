import { describe, expect, it } from 'vitest';
import { redactConfig } from '#src/api/schema/machines/machine-config.js';

describe('redactConfig', () => {
  it('should hide env values and inline file bodies wherever they occur when a config is exposed', () => {
    const config = {
      image: 'app:1',
      env: { DATABASE_URL: 'postgres://user:hunter2@db' },
      files: [{ guest_path: '/etc/key', raw_value: 'c2VjcmV0' }],
      processes: [{ cmd: ['run'], env: { TOKEN: 'abc' } }],
      containers: [{ name: 'side', env: { API_KEY: 'xyz' }, files: [{ guest_path: '/x', raw_value: 'eHl6' }] }],
      services: [{ internal_port: 8080 }],
    };
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    for (const secret of ['hunter2', 'c2VjcmV0', 'abc', 'xyz', 'eHl6']) expect(text).not.toContain(secret);
    expect(redacted).toMatchObject({
      image: 'app:1',
      env: { DATABASE_URL: '[redacted]' },
      files: [{ guest_path: '/etc/key', raw_value: '[redacted]' }],
      processes: [{ cmd: ['run'], env: { TOKEN: '[redacted]' } }],
      services: [{ internal_port: 8080 }],
    });
    expect(config.env.DATABASE_URL).toContain('hunter2');
  });
});
