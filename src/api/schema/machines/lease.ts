import type { FlyLease } from '../../../flyio/wire/machine.js';
import { builder } from '../../builder.js';

/** A lease as any reader may see it: who holds it and until when, never the nonce. */
export const LeaseRef = builder.objectRef<Partial<FlyLease>>('Lease').implement({
  description: "A machine's lease: while it is held, changes to the machine need the holder's nonce.",
  fields: (t) => ({
    owner: t.string({ nullable: true, resolve: (l) => l.owner ?? null }),
    description: t.string({ nullable: true, resolve: (l) => l.description ?? null }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (l) => (typeof l.expires_at === 'number' ? new Date(l.expires_at * 1000) : null),
    }),
    version: t.string({ nullable: true, description: 'Machine version the lease was taken on.', resolve: (l) => l.version ?? null }),
  }),
});
