import { fetchedAtOf } from '../../services/cache/freshness.js';
import type { Types } from '../builder.js';
import { parseTimestamp } from './scalars.js';

/** `fetchedAt`: when the gateway read this `what` from Fly, which its cache may still be answering with. */
export function fetchedAtField<P>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, P>, what: string, bodyOf: (parent: P) => unknown) {
  return t.field({
    type: 'DateTime',
    nullable: true,
    description: `When the gateway read this ${what} from Fly (it may answer from its cache, kept fresh by events).`,
    resolve: (parent) => parseTimestamp(fetchedAtOf(bodyOf(parent))),
  });
}
