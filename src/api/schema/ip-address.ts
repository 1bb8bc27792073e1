/**
 * IP addresses of an app: `App.ipAddresses`, `allocateIpAddress` and `releaseIpAddress`, each one declared Fly
 * operation (src/flyio/ip-assignments.ts) exposed as it is (docs/ARCHITECTURE.md, "Adding a Fly operation").
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { allocateIpAssignment, ipKindOf, listIpAssignments, releaseIpAssignment } from '../../flyio/ip-assignments.js';
import type { FlyIpAssignment } from '../../flyio/wire/ip-assignment.js';
import { builder } from '../builder.js';
import { AppRef } from './app.js';
import { appNameSchema, orUndefined, regionSchema } from './inputs.js';
import { operationMutation } from './machines/mutation-support.js';
import { parseTimestamp } from './scalars.js';

const IpAddressTypeEnum = builder.enumType('IpAddressType', {
  description: 'What kind of address it is.',
  values: {
    V4: { description: 'A dedicated anycast IPv4 address.' },
    V6: { description: 'A dedicated anycast IPv6 address.' },
    SHARED_V4: { description: 'The anycast IPv4 address the app shares with others (HTTP and TLS only).' },
    PRIVATE_V6: { description: 'A Flycast address: reachable only inside the organization’s private network.' },
    EGRESS_V4: { description: 'A static IPv4 address outgoing traffic leaves from, in one region.' },
    EGRESS_V6: { description: 'A static IPv6 address outgoing traffic leaves from, in one region.' },
  } as const,
});

/** GraphQL `IpAddress`: one address of an app. */
export const IpAddressRef = builder.objectRef<FlyIpAssignment>('IpAddress').implement({
  description: 'An IP address assigned to an app.',
  fields: (t) => ({
    address: t.string({ nullable: true, resolve: (ip) => ip.ip ?? null }),
    type: t.field({
      type: IpAddressTypeEnum,
      description: "Told from Fly's answer (it does not name the type).",
      resolve: (ip) => ipKindOf(ip),
    }),
    region: t.string({
      nullable: true,
      description: '`global` for anycast shared and Flycast addresses.',
      resolve: (ip) => ip.region ?? null,
    }),
    shared: t.boolean({ resolve: (ip) => ip.shared ?? false }),
    egress: t.boolean({ resolve: (ip) => ip.egress ?? false }),
    network: t.string({
      nullable: true,
      description: "Flycast only: the private network ('' for the organization's default).",
      resolve: (ip) => ip.network?.name ?? null,
    }),
    serviceName: t.string({ nullable: true, resolve: (ip) => ip.service_name ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (ip) => parseTimestamp(ip.created_at) }),
  }),
});

builder.objectField(AppRef, 'ipAddresses', (t) =>
  t.field({
    type: [IpAddressRef],
    description: "The app's IP addresses (one Fly call; cached as long as the app).",
    resolve: (app, _args, ctx) => ctx.loaders.call(listIpAssignments, { app: app.name }),
  }),
);

const AllocatableIpTypeEnum = builder.enumType('AllocatableIpType', {
  description: 'The kinds of address `allocateIpAddress` assigns.',
  values: {
    V4: { value: 'v4', description: 'Dedicated IPv4 (billed by Fly).' },
    V6: { value: 'v6', description: 'Dedicated IPv6.' },
    SHARED_V4: { value: 'shared_v4', description: 'The shared anycast IPv4 (at most one per app).' },
    PRIVATE_V6: { value: 'private_v6', description: 'A Flycast address on a private network.' },
  } as const,
});

const AllocateIpAddressInput = builder.inputType('AllocateIpAddressInput', {
  fields: (t) => ({
    app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
    type: t.field({ type: AllocatableIpTypeEnum, required: true }),
    region: t.string({
      required: false,
      description: 'Dedicated V4/V6 only: the region to announce it from (anycast everywhere when absent).',
      validate: { schema: regionSchema },
    }),
    network: t.string({
      required: false,
      description: "PRIVATE_V6 only: the private network (the organization's default when absent).",
      validate: { schema: z.string().max(63, 'must be at most 63 characters') },
    }),
    serviceName: t.string({
      required: false,
      description: 'PRIVATE_V6 only: the service the address is for.',
      validate: { schema: z.string().max(63, 'must be at most 63 characters') },
    }),
  }),
});

operationMutation('allocateIpAddress', {
  description: 'Assigns a new IP address to the app (sent once: a retry could allocate a second, billed address).',
  input: AllocateIpAddressInput,
  operation: allocateIpAssignment,
  toInput: ({ app, type, region, network, serviceName }) => ({
    app,
    type,
    region: orUndefined(region),
    network: orUndefined(network),
    serviceName: orUndefined(serviceName),
  }),
  success: {
    type: builder.objectRef<{ ipAddress: FlyIpAssignment }>('AllocateIpAddressSuccess').implement({
      description: 'The address was assigned.',
      fields: (t) => ({ ipAddress: t.field({ type: IpAddressRef, resolve: (p) => p.ipAddress }) }),
    }),
    shape: (ipAddress) => ({ ipAddress }),
  },
});

const ReleaseIpAddressInput = builder.inputType('ReleaseIpAddressInput', {
  fields: (t) => ({
    app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
    ip: t.string({
      required: true,
      description: 'The address to release.',
      validate: { schema: z.string().refine((value) => isIP(value) !== 0, 'expected an IPv4 or IPv6 address') },
    }),
  }),
});

operationMutation('releaseIpAddress', {
  description: 'Releases one of the app’s IP addresses.',
  input: ReleaseIpAddressInput,
  operation: releaseIpAssignment,
  toInput: ({ app, ip }) => ({ app, ip }),
  success: {
    type: builder.objectRef<{ address: string }>('ReleaseIpAddressSuccess').implement({
      description: 'The address was released.',
      fields: (t) => ({ address: t.exposeString('address') }),
    }),
    shape: (_none, input) => ({ address: input.ip }),
  },
});
