/**
 * `createDeployToken`: mints a token that may deploy one app (`POST /v1/apps/{app}/deploy_token`,
 * src/flyio/platform-ops.ts). Admin scope with API keys (the write guard already asked for write); in fly-token mode
 * Fly itself decides, with the caller's own token, whether it may change the app. The token is shown once, in this
 * answer: the mutation is never cached, the audit line names the app and the outcome only, and no event is made.
 */
import { z } from 'zod';
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import { createDeployToken } from '../../flyio/platform-ops.js';
import { allows } from '../auth/caller.js';
import { builder } from '../builder.js';
import { ForbiddenError, rethrowAsUserFacing } from '../errors.js';
import { mutationErrors } from './errors.js';
import { appNameSchema } from './inputs.js';

const CreateDeployTokenInput = builder.inputType('CreateDeployTokenInput', {
  fields: (t) => ({
    app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
    expiry: t.string({
      required: false,
      description: "How long the token lasts, as a duration such as `720h` or `30m` (Fly's default when absent: 20 years).",
      validate: { schema: z.string().regex(/^\d{1,7}(ms|s|m|h)$/, 'expected a duration such as 720h, 30m or 90s') },
    }),
  }),
});

const CreateDeployTokenSuccess = builder.objectRef<{ token: string; app: string }>('CreateDeployTokenSuccess').implement({
  description: 'The new token. It is shown this once: the gateway keeps no copy of it.',
  fields: (t) => ({
    app: t.exposeString('app'),
    token: t.exposeString('token', { description: 'Send it as the `Authorization` header (it starts with its scheme, `FlyV1`).' }),
  }),
});

builder.mutationField('createDeployToken', (t) =>
  t.field({
    type: CreateDeployTokenSuccess,
    description:
      'Mints a deploy token for one app. Needs an API key with the admin scope; in fly-token mode, a token that may change the app.',
    errors: { ...mutationErrors, directResult: true, union: { name: 'CreateDeployTokenResult' } },
    args: { input: t.arg({ type: CreateDeployTokenInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      // A Fly token's own rights are Fly's to judge (below); an API key needs the admin scope.
      if (ctx.caller && !ctx.caller.flyAuthorization && !allows(ctx.caller, 'admin'))
        throw new ForbiddenError('Minting a deploy token needs an API key with the admin scope.');
      try {
        const answer = await ctx.services.fly.call(
          createDeployToken,
          { app: input.app, expiry: input.expiry ?? undefined },
          { signal: ctx.signal },
        );
        return { token: answer.token, app: input.app };
      } catch (error) {
        if (isFlyApiError(error) && error.code === FlyErrorCode.Unauthorized && error.credential === 'caller') {
          throw new ForbiddenError(`Fly refused to let this token mint a deploy token for the app "${input.app}".`);
        }
        rethrowAsUserFacing(error);
      }
    },
  }),
);
