import { DirectiveLocation, GraphQLBoolean, GraphQLDirective } from 'graphql';

/**
 * `@live` on a query operation: the answer is sent, then sent again whenever an app, machine or machine list it read
 * changes (webhooks, the sync job, mutations, on any instance), at most once per `LIVE_THROTTLE_MS`. Works over
 * graphql-ws and SSE; the stream is carried out by `api/live/use-live-query.ts`.
 */
export const liveDirective = new GraphQLDirective({
  name: 'live',
  description:
    'Keeps a query current: its result, then a new one each time something it read changes (at most once per LIVE_THROTTLE_MS). Over graphql-ws or SSE only. See docs/EVENTS.md.',
  locations: [DirectiveLocation.QUERY],
  args: {
    patch: {
      type: GraphQLBoolean,
      defaultValue: false,
      description:
        'After the first result, send `extensions.live.patch`: JSON Patch (RFC 6902) operations that turn the previous `data` into the new one, instead of whole results.',
    },
  },
});
