/**
 * `placements`: where machines of a given size could go (`POST /v1/platform/placements`, a simulation that changes
 * nothing; src/flyio/platform-ops.ts). A query, so read scope is enough; asked of Fly every time (capacity moves)
 * and never cached.
 */
import { z } from 'zod';
import { placements } from '../../flyio/platform-ops.js';
import type { FlyRegionPlacement } from '../../flyio/wire/platform.js';
import { builder } from '../builder.js';
import { orgSlugSchema } from './organization.js';

const CpuKindEnum = builder.enumType('CpuKind', {
  description: 'The kind of CPU of a machine size.',
  values: { SHARED: { value: 'shared' }, PERFORMANCE: { value: 'performance' } } as const,
});

const PlacementComputeInput = builder.inputType('PlacementComputeInput', {
  description: 'The size of the machine to place.',
  fields: (t) => ({
    cpus: t.int({
      required: true,
      validate: {
        schema: z
          .number()
          .int()
          .refine((n) => [1, 2, 4, 8, 16].includes(n), 'cpus must be 1, 2, 4, 8 or 16'),
      },
    }),
    memoryMb: t.int({
      required: true,
      validate: {
        schema: z
          .number()
          .int()
          .min(256, 'memoryMb must be at least 256')
          .max(131_072)
          .multipleOf(256, 'memoryMb must be a multiple of 256'),
      },
    }),
    cpuKind: t.field({ type: CpuKindEnum, required: true }),
    gpuKind: t.string({
      required: false,
      description: 'A GPU model such as `a100-40gb` or `l40s`; only some regions have them.',
      validate: { schema: z.string().regex(/^[a-z0-9-]{1,32}$/, 'expected a GPU model such as l40s') },
    }),
  }),
});

const PlacementsInput = builder.inputType('PlacementsInput', {
  fields: (t) => ({
    org: t.string({ required: true, description: 'Organization slug.', validate: { schema: orgSlugSchema } }),
    compute: t.field({ type: PlacementComputeInput, required: true }),
    region: t.string({
      required: false,
      description:
        "Regions to try, first choices first: codes and aliases, comma-separated (`lhr,eu`, `any`). Fly's default: its nearest, then any.",
      validate: {
        schema: z.string().regex(/^[a-z]{2,3}(,[a-z]{2,3})*$/, 'expected region codes or aliases separated by commas, e.g. lhr,eu'),
      },
    }),
    count: t.int({
      required: true,
      description: 'How many machines to place; 0 answers how many would fit in each region.',
      validate: { schema: z.number().int().min(0, 'count must be 0 or more').max(1000, 'count must be at most 1000') },
    }),
    volumeName: t.string({
      required: false,
      description: 'Place where an unattached volume of this name is (one per machine).',
      validate: { schema: z.string().regex(/^[a-z0-9_]{1,30}$/, 'expected a volume name') },
    }),
    volumeSizeBytes: t.field({
      type: 'Float',
      required: false,
      description: 'Each machine also needs a new volume of this size.',
      validate: {
        schema: z
          .number()
          .int('volumeSizeBytes must be whole bytes')
          .min(1)
          .max(500 * 1024 ** 4),
      },
    }),
  }),
});

const RegionPlacementRef = builder.objectRef<FlyRegionPlacement>('RegionPlacement').implement({
  description: 'How many of the machines asked about would go to one region.',
  fields: (t) => ({
    region: t.string({ resolve: (p) => p.region }),
    count: t.int({ description: 'Machines placed there (with count 0: how many would fit).', resolve: (p) => p.count ?? 0 }),
    concurrency: t.int({
      nullable: true,
      description: "Fly's concurrency figure for the region (the emulator: the organization's machines already there).",
      resolve: (p) => p.concurrency ?? null,
    }),
  }),
});

builder.queryField('placements', (t) =>
  t.field({
    type: [RegionPlacementRef],
    description:
      "Where machines of this size could go now, by Fly's placement simulation: regions that cannot fit it (no capacity, no such GPU) are left out. One Fly call; nothing is reserved.",
    args: { input: t.arg({ type: PlacementsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      // Not through the loaders' `call`: its de-duplication key has no body, and a placement's input is its body.
      const answer = await ctx.services.fly.call(
        placements,
        {
          org: input.org,
          compute: {
            cpus: input.compute.cpus,
            memoryMb: input.compute.memoryMb,
            cpuKind: input.compute.cpuKind,
            gpuKind: input.compute.gpuKind ?? undefined,
          },
          region: input.region ?? undefined,
          count: input.count,
          volumeName: input.volumeName ?? undefined,
          volumeSizeBytes: input.volumeSizeBytes ?? undefined,
        },
        { signal: ctx.signal },
      );
      return answer.regions;
    },
  }),
);
