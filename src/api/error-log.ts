import { GraphQLError } from 'graphql';
import type { Logger } from '../lib/logger.js';
import { ErrorCode, maskError } from './errors.js';

/** Codes that describe the caller's mistake or an answer it can act on: worth a debug line, never an alarm. */
const CLIENT_CODES = new Set<string>([
  ErrorCode.BadUserInput,
  ErrorCode.NotFound,
  ErrorCode.LeaseHeld,
  ErrorCode.VersionConflict,
  ErrorCode.InvalidState,
  ErrorCode.NameTaken,
  ErrorCode.AppNotEmpty,
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/** Codes that say Fly (not the gateway) failed or pushed back: an operator wants to see them, as warnings. */
const UPSTREAM_CODES = new Set<string>([
  ErrorCode.Unavailable,
  ErrorCode.DeadlineExceeded,
  ErrorCode.RateLimited,
  ErrorCode.OutcomeUnknown,
  ErrorCode.Unauthorized,
  ErrorCode.InvalidResponse,
]);

/** The level an error deserves in the gateway's log, judged by the public code it is answered with. */
export function logLevelOf(error: unknown): 'debug' | 'warn' | 'error' {
  const masked = maskError(error, 'Unexpected error.', false);
  const code = masked instanceof GraphQLError ? masked.extensions?.code : undefined;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return 'debug';
  if (typeof code === 'string' && UPSTREAM_CODES.has(code)) return 'warn';
  return 'error';
}

/**
 * yoga's `logging` option. yoga reports every error it masks at error level; this logs each at the level its public
 * code deserves instead (client mistakes at debug, upstream failures at warn, the rest at error), with the code.
 */
export function yogaLogging(logger: Logger) {
  const text = (args: unknown[]) => args.map(String).join(' ');
  return {
    debug: (...args: unknown[]) => logger.debug({ yoga: text(args) }),
    info: (...args: unknown[]) => logger.info({ yoga: text(args) }),
    warn: (...args: unknown[]) => logger.warn({ yoga: text(args) }),
    error: (...args: unknown[]) => {
      const error = args.find((arg) => arg instanceof Error);
      if (!error) return logger.error({ yoga: text(args) });
      const level = logLevelOf(error);
      const masked = maskError(error, 'Unexpected error.', false);
      const code = masked instanceof GraphQLError ? masked.extensions?.code : undefined;
      logger[level]({ code, err: level === 'error' ? error : (error as Error).message }, 'graphql operation error');
    },
  };
}
