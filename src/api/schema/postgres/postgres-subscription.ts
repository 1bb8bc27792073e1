/**
 * `postgresClusterChanged(clusterId)`: a cluster's status changes as they happen (`postgres.changed` events).
 *
 * A cluster belongs to an organization, not to an app, so following it through `appEvents` of an attached app would
 * miss a cluster with no app attached (a new one always) and show the changes of one cluster to every reader of any
 * app attached to it. The events carry the cluster's own scope (`postgres:<clusterId>`) as their app, so this
 * subscription filters the bus by that scope, and checks access by the cluster itself: before it opens, Fly is asked
 * for the cluster with the caller's credentials (in fly-token mode the caller's own token, cached under its tenant
 * only), and a cluster Fly does not show the caller is refused before anything is delivered.
 */
import { GraphQLError } from 'graphql';
import { isFlyApiError, isNotFound } from '../../../flyio/errors.js';
import { getPostgresCluster, postgresScope } from '../../../flyio/postgres.js';
import { builder } from '../../builder.js';
import type { GraphQLContext } from '../../context.js';
import { ErrorCode, flyErrorToGraphQL } from '../../errors.js';
import { subscriptionSignal } from '../subscription-signal.js';
import { AppEventDelivery } from '../subscriptions.js';
import { clusterIdSchema } from './postgres-cluster.js';

/** Asks Fly for the cluster with the caller's credentials; refuses (FORBIDDEN with a Fly token, else NOT_FOUND) when it is not shown. */
async function requireCluster(ctx: GraphQLContext, clusterId: string): Promise<void> {
  try {
    await ctx.loaders.call(getPostgresCluster, { clusterId });
  } catch (error) {
    if (isNotFound(error)) {
      const forbidden = Boolean(ctx.caller?.flyAuthorization);
      throw new GraphQLError(
        forbidden ? `This Fly token cannot reach the Postgres cluster "${clusterId}".` : `No Postgres cluster "${clusterId}".`,
        { extensions: { code: forbidden ? ErrorCode.Forbidden : ErrorCode.NotFound } },
      );
    }
    if (isFlyApiError(error)) throw flyErrorToGraphQL(error);
    throw error;
  }
}

builder.subscriptionField('postgresClusterChanged', (t) =>
  t.field({
    type: AppEventDelivery,
    description:
      "A Managed Postgres cluster's status changes (creating, initializing, ready, deleting, deleted, failed), in order: `resourceId` is the cluster id, `state` its new status. Never carries credentials.",
    args: {
      clusterId: t.arg.string({ required: true, validate: { schema: clusterIdSchema } }),
      afterSeq: t.arg.int({ required: false, description: 'Resume after this sequence number (with `epoch`).' }),
      epoch: t.arg.string({ required: false }),
    },
    subscribe: async (_root, args, ctx) => {
      await requireCluster(ctx, args.clusterId);
      return ctx.services.events.subscribe(
        {
          types: ['postgres.changed'],
          app: postgresScope(args.clusterId),
          afterSeq: args.afterSeq ?? undefined,
          epoch: args.epoch ?? undefined,
        },
        subscriptionSignal(ctx),
      );
    },
    resolve: (delivery) => delivery,
  }),
);
