/**
 * App logs: `logs` (query) pages through history, `logs` (subscription) follows the app live. Both come from Fly's
 * logs endpoint on api.fly.io; live lines are polled once per app for every subscriber on every instance
 * (docs/OBSERVABILITY.md).
 */
import { GraphQLError } from 'graphql';
import { InvalidLogCursorError, MAX_LOG_PAGE, type LogsService } from '../../services/logs/logs-service.js';
import type { LogDelivery, LogLine } from '../../services/logs/types.js';
import { appSubscription } from '../auth/guards.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import { subscriptionSignal } from './subscription-signal.js';
import { EventDelivery } from './subscriptions.js';
import type { LogHistoryPage } from '../../services/logs/logs-service.js';

const LogLineRef = builder.objectRef<LogLine>('LogLine').implement({
  description: 'One line an app printed (or Fly printed about it), as Fly stores it.',
  fields: (t) => ({
    id: t.exposeString('id', { description: "Fly's id of the line." }),
    timestamp: t.field({ type: 'DateTime', resolve: (l) => new Date(l.timestamp) }),
    machineId: t.exposeString('machineId', { description: 'The machine that printed it.' }),
    region: t.exposeString('region'),
    level: t.exposeString('level', { description: 'debug, info, warn, error, ... as Fly reports it.' }),
    message: t.exposeString('message'),
  }),
});

const LogPageRef = builder.objectRef<LogHistoryPage>('LogPage').implement({
  description: 'A page of log history, oldest line first.',
  fields: (t) => ({
    lines: t.field({ type: [LogLineRef], resolve: (p) => p.lines }),
    endCursor: t.exposeString('endCursor', {
      description: 'Pass as `after` for the next page; also later, for what was printed since.',
    }),
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'True when the page was filled: more lines may follow at once.' }),
  }),
});

const LogDeliveryRef = builder.objectRef<LogDelivery>('LogDelivery').implement({
  description: 'One live log line, or a RESYNC notice (lines may have been missed: read the history to fill in).',
  // A delivered line has the fields the interface reads (kind, seq, epoch, app, machineId, timestamp).
  interfaces: [EventDelivery as never],
  fields: (t) => ({
    line: t.field({ type: LogLineRef, nullable: true, resolve: (d) => (d.kind === 'resync' ? null : d) }),
  }),
});

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput } });
}

function logsOf(ctx: GraphQLContext): LogsService {
  if (!ctx.services.logs)
    throw new GraphQLError('Logs are not available on this gateway.', { extensions: { code: ErrorCode.Unavailable } });
  return ctx.services.logs;
}

builder.queryFields((t) => ({
  logs: t.field({
    type: LogPageRef,
    description: `An app's log history from \`since\` (or Fly's oldest kept line, about 7 to 15 days back), oldest first: \`first\` lines (1 to ${MAX_LOG_PAGE}) after the cursor \`after\`. One Fly call per Fly page read.`,
    args: {
      app: t.arg.string({ required: true }),
      machineId: t.arg.string({ required: false }),
      region: t.arg.string({ required: false }),
      level: t.arg.string({ required: false, description: 'Lines at this level or above (debug, info, warn, error).' }),
      since: t.arg({ type: 'DateTime', required: false }),
      first: t.arg.int({ required: false, defaultValue: 100 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 100;
      if (!Number.isInteger(first) || first < 1 || first > MAX_LOG_PAGE) throw badInput(`first must be between 1 and ${MAX_LOG_PAGE}`);
      try {
        return await logsOf(ctx).history(
          {
            app: args.app,
            machineId: args.machineId ?? undefined,
            region: args.region ?? undefined,
            level: args.level ?? undefined,
            since: args.since ? new Date(args.since).toISOString() : undefined,
            first,
            after: args.after ?? undefined,
          },
          ctx.signal,
        );
      } catch (error) {
        if (error instanceof InvalidLogCursorError) throw badInput(error.message);
        throw error;
      }
    },
  }),
}));

builder.subscriptionFields((t) => ({
  logs: t.field({
    type: LogDeliveryRef,
    description:
      "An app's log lines as they are printed (optionally one machine, one region, a least level), each once and in order. However many follow an app, the gateway polls Fly once for it. Resume with `afterSeq` and `epoch`.",
    args: {
      app: t.arg.string({ required: true }),
      machineId: t.arg.string({ required: false }),
      region: t.arg.string({ required: false }),
      level: t.arg.string({ required: false, description: 'Lines at this level or above (debug, info, warn, error).' }),
      afterSeq: t.arg.int({ required: false, description: 'Resume after this sequence number (with `epoch`).' }),
      epoch: t.arg.string({ required: false }),
    },
    subscribe: (_root, args, ctx) => {
      const logs = logsOf(ctx);
      // fly-token mode: the caller's token is checked against the app before it joins the app's stream.
      return appSubscription(ctx, args.app, subscriptionSignal(ctx), (signal) =>
        logs.follow(
          {
            app: args.app,
            machineId: args.machineId ?? undefined,
            region: args.region ?? undefined,
            level: args.level ?? undefined,
            afterSeq: args.afterSeq ?? undefined,
            epoch: args.epoch ?? undefined,
          },
          signal,
        ),
      );
    },
    resolve: (delivery: LogDelivery) => delivery,
  }),
}));
