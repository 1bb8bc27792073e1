import { z } from 'zod';
import { builder } from '../builder.js';
import { reachableOrgs } from '../../services/reachable-orgs.js';

/** An organization as far as the gateway knows it: Fly has no lookup by slug, so details come from its apps. */
export interface OrganizationParent {
  slug: string;
  name?: string;
}

/** GraphQL `Organization`. */
export const OrganizationRef = builder.objectRef<OrganizationParent>('Organization');

/** Organization slugs: lowercase letters, digits and dashes. */
export const orgSlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an organization slug such as personal');

builder.node(OrganizationRef, {
  description: 'A Fly organization: owns apps, and is the unit of billing and access.',
  id: { resolve: (org) => org.slug },
  loadOne: (slug) => ({ slug }),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.string({
      nullable: true,
      description: 'Display name, as the apps of the organization report it.',
      resolve: async (org, _args, ctx) => {
        if (org.name) return org.name;
        const apps = await ctx.loaders.appsByOrg.load(org.slug);
        return apps.find((a) => a.organization?.name)?.organization?.name ?? null;
      },
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.field({
    type: OrganizationRef,
    nullable: true,
    description:
      'An organization by slug, null when the token does not reach it (see `organizations`); without a slug the configured one (FLY_ORG), asked of nobody.',
    args: { slug: t.arg.string({ required: false, validate: { schema: orgSlugSchema } }) },
    resolve: async (_root, args, ctx) => {
      if (!args.slug) return { slug: ctx.org };
      return (await reachableOrgs(ctx)).includes(args.slug) ? { slug: args.slug } : null;
    },
  }),
);

builder.queryField('organizations', (t) =>
  t.field({
    type: [OrganizationRef],
    description:
      "The organizations the caller's token reaches: with the gateway's own token the configured list (FLY_ORGS) when there is one; otherwise, and always for a caller's own Fly token, what Fly says of the token.",
    resolve: async (_root, _args, ctx) => (await reachableOrgs(ctx)).map((slug) => ({ slug })),
  }),
);
