import { z } from 'zod';
import { builder } from '../builder.js';

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
    description: 'An organization by slug; by default the one this gateway serves.',
    args: { slug: t.arg.string({ required: false, validate: { schema: orgSlugSchema } }) },
    resolve: (_root, args, ctx) => ({ slug: args.slug ?? ctx.org }),
  }),
);
