import type { FlyCheckStatus } from '../../../flyio/wire/machine.js';
import { builder } from '../../builder.js';
import { CheckStatusValueEnum, toCheckStatus } from '../enums.js';
import { parseTimestamp } from '../scalars.js';

/** A health check's latest result on one machine. */
export const CheckStatusRef = builder.objectRef<FlyCheckStatus>('CheckStatus').implement({
  description: 'The latest result of one health check on a machine.',
  fields: (t) => ({
    name: t.string({ resolve: (c) => c.name }),
    status: t.field({ type: CheckStatusValueEnum, resolve: (c) => toCheckStatus(c.status) }),
    output: t.string({ nullable: true, resolve: (c) => c.output ?? null }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => parseTimestamp(c.updated_at) }),
  }),
});
