/**
 * `Organization.machines` and `Organization.volumes`: every machine or volume of the organization in one list,
 * oldest change first (`GET /v1/orgs/{org}/machines`, `/volumes`; src/flyio/org-lists.ts), paged the Relay way over
 * Fly's `next_cursor`. In fly-token mode the caller's own token asks, so Fly lists only what it can read. Never
 * cached (no machine or volume event of any app could drop them), but the same page asked twice in one request
 * costs one call.
 */
import { orgMachinesPage, orgVolumesPage, type OrgMachinesListInput, type OrgListInput } from '../../flyio/org-lists.js';
import type { FlyOrgMachine } from '../../flyio/wire/machine.js';
import { collectPages } from '../../flyio/pagination.js';
import { machineKey } from '../../services/loaders.js';
import { builder, type Types } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { AppRef } from './app.js';
import { MachineState, toMachineState } from './enums.js';
import { resolveFlyConnection, type ConnectionArgs } from './fly-connection.js';
import { regionSchema } from './inputs.js';
import { MetadataEntryRef, toEntries } from './machines/machine-config.js';
import { MachineRef, nullOnNotFound } from './machines/machine.js';
import { OrganizationRef, type OrganizationParent } from './organization.js';
import { parseTimestamp } from './scalars.js';
import { VolumeRef, type VolumeParent } from './volume.js';

interface OrgRowGuest {
  cpus?: number;
  cpu_kind?: string;
  memory_mb?: number;
  gpu_kind?: string;
}

const configOf = (row: FlyOrgMachine) => (row.config ?? {}) as { image?: unknown; guest?: OrgRowGuest; metadata?: unknown };
const stringMapOf = (value: unknown): Record<string, string> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : undefined;

/** One row of the org feed: what Fly says of every machine at once, with the full machine a field away. */
const OrganizationMachineRef = builder.objectRef<FlyOrgMachine>('OrganizationMachine').implement({
  description:
    "A machine as the organization's list shows it: its state and where it runs, and (unless listed as a summary) its image, size and metadata. `machine` reads the full machine.",
  fields: (t) => ({
    machineId: t.string({ resolve: (row) => row.id }),
    appName: t.string({ nullable: true, resolve: (row) => row.app_name ?? null }),
    name: t.string({ nullable: true, resolve: (row) => row.name ?? null }),
    state: t.field({ type: MachineState, resolve: (row) => toMachineState(row.state) }),
    region: t.string({ nullable: true, resolve: (row) => row.region ?? null }),
    privateIp: t.string({ nullable: true, resolve: (row) => row.private_ip ?? null }),
    version: t.string({ nullable: true, resolve: (row) => row.version ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (row) => parseTimestamp(row.created_at) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (row) => parseTimestamp(row.updated_at) }),
    image: t.string({
      nullable: true,
      description: 'Null in a summary.',
      resolve: (row) => {
        const image = configOf(row).image;
        return typeof image === 'string' ? image : null;
      },
    }),
    cpus: t.int({ nullable: true, description: 'Null in a summary.', resolve: (row) => configOf(row).guest?.cpus ?? null }),
    cpuKind: t.string({ nullable: true, description: 'Null in a summary.', resolve: (row) => configOf(row).guest?.cpu_kind ?? null }),
    memoryMb: t.int({ nullable: true, description: 'Null in a summary.', resolve: (row) => configOf(row).guest?.memory_mb ?? null }),
    metadata: t.field({
      type: [MetadataEntryRef],
      description: 'Empty in a summary.',
      resolve: (row) => toEntries(stringMapOf(configOf(row).metadata)),
    }),
    app: t.field({
      type: AppRef,
      nullable: true,
      description: 'Its app (one call per app, shared with every other field that reads it).',
      resolve: (row, _args, ctx) => (row.app_name ? ctx.loaders.app.load(row.app_name).catch(nullOnNotFound) : null),
    }),
    machine: t.field({
      type: MachineRef,
      nullable: true,
      description: 'The full machine (one Fly call per machine, batched per request); null once it is destroyed.',
      resolve: async (row, _args, ctx) => {
        if (!row.app_name || row.state === 'destroyed') return null;
        const machine = await ctx.loaders.machine.load(machineKey(row.app_name, row.id)).catch(nullOnNotFound);
        return machine ? { appName: row.app_name, machine } : null;
      },
    }),
  }),
});

const OrganizationMachineConnection = builder.connectionObject({ type: OrganizationMachineRef, name: 'OrganizationMachineConnection' });
const OrganizationVolumeConnection = builder.connectionObject({ type: VolumeRef, name: 'OrganizationVolumeConnection' });

function machinesOf(ctx: GraphQLContext, input: OrgMachinesListInput, args: ConnectionArgs) {
  const page = async (cursor: string | undefined, limit?: number) => {
    const answer = await ctx.loaders.call(orgMachinesPage, { ...input, cursor, limit });
    return { items: answer.machines, nextCursor: answer.next_cursor || undefined };
  };
  return resolveFlyConnection(args, {
    all: () => collectPages('orgs.machines', (cursor) => page(cursor)),
    page,
  });
}

function volumesOf(ctx: GraphQLContext, input: OrgListInput, args: ConnectionArgs) {
  const page = async (cursor: string | undefined, limit?: number) => {
    const answer = await ctx.loaders.call(orgVolumesPage, { ...input, cursor, limit });
    return { items: answer.volumes, nextCursor: answer.next_cursor || undefined };
  };
  return resolveFlyConnection(
    args,
    { all: () => collectPages('orgs.volumes', (cursor) => page(cursor)), page },
    (volume): VolumeParent => ({ appName: volume.app_name ?? '', volume }),
  );
}

type OrgFields = PothosSchemaTypes.ObjectFieldBuilder<Types, OrganizationParent>;

/** `updatedAfter`: only what changed since then (Fly's `updated_after`; Fly may show a change late, so ask with some overlap). */
const updatedAfterArg = (t: OrgFields) =>
  t.arg({
    type: 'DateTime',
    required: false,
    description: "Only what changed after this instant (Fly's feed shows changes late: ask from a little earlier than you last saw).",
  });

builder.objectFields(OrganizationRef, (t) => ({
  machines: t.connection(
    {
      type: OrganizationMachineRef,
      description:
        "Every machine of the organization, oldest change first (one Fly call per page; never cached). In fly-token mode, only the apps your token can read. Fly's order is not guaranteed across pages.",
      args: {
        summary: t.arg.boolean({ required: false, description: 'Leave out image, size and metadata (a lighter answer).' }),
        includeDeleted: t.arg.boolean({ required: false, description: 'Also list destroyed machines.' }),
        region: t.arg.string({ required: false, description: 'Only machines in this region.', validate: { schema: regionSchema } }),
        state: t.arg({ type: [MachineState], required: false, description: 'Only machines in one of these states.' }),
        updatedAfter: updatedAfterArg(t),
      },
      resolve: (org, args, ctx) =>
        machinesOf(
          ctx,
          {
            org: org.slug,
            summary: args.summary ?? undefined,
            includeDeleted: args.includeDeleted ?? undefined,
            region: args.region ?? undefined,
            states: args.state && args.state.length > 0 ? [...args.state].sort() : undefined,
            updatedAfter: args.updatedAfter?.toISOString(),
          },
          args,
        ),
    },
    OrganizationMachineConnection,
  ),
  volumes: t.connection(
    {
      type: VolumeRef,
      description:
        'Every volume of the organization, oldest change first (one Fly call per page; never cached). In fly-token mode, only the apps your token can read.',
      args: {
        includeDeleted: t.arg.boolean({ required: false, description: 'Also list destroyed volumes.' }),
        updatedAfter: updatedAfterArg(t),
      },
      resolve: (org, args, ctx) =>
        volumesOf(
          ctx,
          { org: org.slug, includeDeleted: args.includeDeleted ?? undefined, updatedAfter: args.updatedAfter?.toISOString() },
          args,
        ),
    },
    OrganizationVolumeConnection,
  ),
}));
