/** Token introspection: `/v1/tokens/current`. */
import type { Requester } from './request.js';
import type { TokensApi } from './types.js';
import { flyCurrentTokenResponseSchema } from './wire/platform.js';

/** Builds the tokens API over a requester. */
export function createTokensApi(requester: Requester): TokensApi {
  return {
    async current(options) {
      return requester.call({
        operation: 'tokens.current',
        method: 'GET',
        path: '/tokens/current',
        schema: flyCurrentTokenResponseSchema,
        rateScope: 'token',
        options,
      });
    },
  };
}
