/**
 * Creating and destroying an app, each declared once (src/flyio/operation.ts). Both change the organization's app
 * list as well as the app itself; the read cache drops both (services/cache/cached-fly.ts).
 */
import { defineOperation } from './operation.js';
import { flyAppSchema, flyCreateAppResponseSchema, type FlyApp, type FlyCreateAppResponse } from './wire/app.js';

/** Input of {@link createApp}. */
export interface CreateAppOperationInput {
  /** The app's name, unique across Fly.io. */
  app: string;
  /** The organization's slug (`personal` for the caller's own). */
  org: string;
  /** A custom private network; apps on different networks cannot reach each other. */
  network?: string;
  enableSubdomains?: boolean;
  /** Other slugs the organization's cached app lists are read under (the gateway's `FLY_ORG` may be `personal`). */
  listedIn?: readonly string[];
}

/**
 * `POST /apps`: Fly answers 201 with the app's id, or 422 `name_taken`. The spec's field is `name`; `app_name` (older
 * docs, fly-admin) is not sent as well, so Fly and the emulator are held to one reading.
 */
export const createApp = defineOperation<CreateAppOperationInput, FlyCreateAppResponse>({
  name: 'apps.create',
  method: 'POST',
  path: '/apps',
  body: ({ app, org, network, enableSubdomains }) => ({ name: app, org_slug: org, network, enable_subdomains: enableSubdomains }),
  response: flyCreateAppResponseSchema,
  target: ({ app, org, listedIn = [] }) => ({ app, orgs: [org, ...listedIn] }),
});

/** Input of {@link deleteApp}. */
export interface DeleteAppOperationInput {
  app: string;
  /** Slugs the organization's cached app lists are read under, dropped with the app. */
  listedIn?: readonly string[];
}

/** `DELETE /apps/{app}`: Fly answers 202 and destroys the app with its machines and volumes. */
export const deleteApp = defineOperation<DeleteAppOperationInput>({
  name: 'apps.delete',
  method: 'DELETE',
  path: '/apps/{app}',
  target: ({ app, listedIn = [] }) => ({ app, orgs: listedIn }),
});

/**
 * `GET /apps/{app}` asked of Fly every time (no cache lifetime): what a write decides on (an app's machine and
 * volume counts before it is deleted) must not be an answer the read cache kept.
 */
export const freshApp = defineOperation<{ app: string }, FlyApp>({
  name: 'apps.get',
  method: 'GET',
  path: '/apps/{app}',
  response: flyAppSchema,
  target: ({ app }) => ({ app }),
});
