import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#src/config/load-config.js';

describe('tracing settings', () => {
  it('should leave tracing off with the service name flygate when no OTEL variable is set', () => {
    expect(loadConfig({ env: {} }).tracing).toEqual({ serviceName: 'flygate' });
  });

  it('should read the collector endpoint and service name from OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME', () => {
    const config = loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SERVICE_NAME: 'gw-eu' } });
    expect(config.tracing).toEqual({ endpoint: 'http://127.0.0.1:4318', serviceName: 'gw-eu' });
  });

  it('should name OTEL_EXPORTER_OTLP_ENDPOINT when it is not an http(s) URL', () => {
    let error: unknown;
    try {
      loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.key)).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
  });
});
