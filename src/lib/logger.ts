import { trace } from '@opentelemetry/api';
import { pino, type Logger, type DestinationStream } from 'pino';

/** The logger type used across the gateway, and where its lines go. */
export type { DestinationStream, Logger };

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Values that must never be printed (tokens, webhook secrets); each is replaced by `[redacted]` in every line. */
  secrets?: readonly string[];
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

/**
 * The ids of the span active where a line is written (a GraphQL operation, a cache read, a Fly call), so a log line
 * leads to its trace. Nothing when tracing is off: there is no active span then.
 */
function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

/**
 * A pino logger that scrubs known secret values from every line, whatever field they hide in. Key-based redaction
 * alone misses a token pasted into an error message, so the final serialized line is scrubbed as well.
 */
export function createLogger({ level, secrets = [], destination }: LoggerOptions): Logger {
  const needles = secrets.filter((s) => s.length >= 6);
  const scrub = (line: string) => needles.reduce((acc, needle) => acc.split(needle).join('[redacted]'), line);
  const out: DestinationStream = destination ?? { write: (line: string) => process.stdout.write(line) };
  const stream: DestinationStream = needles.length ? { write: (line: string) => out.write(scrub(line)) } : out;
  return pino(
    {
      level,
      base: undefined,
      mixin: traceIds,
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'secret', '*.secret'],
        censor: '[redacted]',
      },
    },
    stream,
  );
}

/** A logger that drops everything (the default of parts that are given none). */
export const silentLogger: Logger = pino({ level: 'silent' });
