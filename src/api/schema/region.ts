import type { FlyRegion } from '../../flyio/wire/platform.js';
import { builder } from '../builder.js';

/** GraphQL `Region`, from Fly's platform catalogue. */
export const RegionRef = builder.objectRef<FlyRegion>('Region');

builder.node(RegionRef, {
  description: 'A Fly region (a data center location where machines and volumes can run).',
  id: { resolve: (r) => r.code },
  loadOne: async (code, ctx) => (await ctx.loaders.regions.load('all')).regions.find((r) => r.code === code) ?? null,
  fields: (t) => ({
    code: t.string({ description: 'Three-letter code, e.g. iad.', resolve: (r) => r.code }),
    name: t.string({ nullable: true, resolve: (r) => r.name ?? null }),
    latitude: t.float({ nullable: true, resolve: (r) => r.latitude ?? null }),
    longitude: t.float({ nullable: true, resolve: (r) => r.longitude ?? null }),
    gatewayAvailable: t.boolean({ nullable: true, resolve: (r) => r.gateway_available ?? null }),
    requiresPaidPlan: t.boolean({ nullable: true, resolve: (r) => r.requires_paid_plan ?? null }),
    deprecated: t.boolean({ nullable: true, resolve: (r) => r.deprecated ?? null }),
    geoRegion: t.string({ nullable: true, description: 'Continent-level grouping.', resolve: (r) => r.geo_region ?? null }),
  }),
});

builder.queryFields((t) => ({
  regions: t.field({
    type: [RegionRef],
    description: 'Every region of the platform (one Fly call, shared with nearestRegion).',
    resolve: async (_root, _args, ctx) => (await ctx.loaders.regions.load('all')).regions,
  }),
  nearestRegion: t.field({
    type: RegionRef,
    nullable: true,
    description: 'The region Fly considers nearest to the gateway.',
    resolve: async (_root, _args, ctx) => {
      const { nearest, regions } = await ctx.loaders.regions.load('all');
      return regions.find((r) => r.code === nearest) ?? null;
    },
  }),
}));
