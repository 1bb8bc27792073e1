/**
 * Every operation the emulator serves, as `(id, method, path template)`. Path templates use the spec's parameter
 * names so the contract test can compare them with the OpenAPI `paths` keys.
 */
export const ROUTES = [
  { id: 'apps.list', method: 'GET', path: '/v1/apps' },
  { id: 'apps.create', method: 'POST', path: '/v1/apps' },
  { id: 'apps.get', method: 'GET', path: '/v1/apps/{app_name}' },
  { id: 'apps.delete', method: 'DELETE', path: '/v1/apps/{app_name}' },
  { id: 'machines.list', method: 'GET', path: '/v1/apps/{app_name}/machines' },
  { id: 'machines.create', method: 'POST', path: '/v1/apps/{app_name}/machines' },
  { id: 'machines.get', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}' },
  { id: 'machines.update', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}' },
  { id: 'machines.delete', method: 'DELETE', path: '/v1/apps/{app_name}/machines/{machine_id}' },
  { id: 'machines.start', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/start' },
  { id: 'machines.stop', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/stop' },
  { id: 'machines.restart', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/restart' },
  { id: 'machines.suspend', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/suspend' },
  { id: 'machines.signal', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/signal' },
  { id: 'machines.cordon', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/cordon' },
  { id: 'machines.uncordon', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/uncordon' },
  { id: 'machines.wait', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/wait' },
  { id: 'machines.events', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/events' },
  { id: 'machines.versions', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/versions' },
  { id: 'machines.ps', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/ps' },
  { id: 'machines.lease.get', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/lease' },
  { id: 'machines.lease.acquire', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/lease' },
  { id: 'machines.lease.release', method: 'DELETE', path: '/v1/apps/{app_name}/machines/{machine_id}/lease' },
  { id: 'machines.metadata.list', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/metadata' },
  { id: 'machines.metadata.patch', method: 'PATCH', path: '/v1/apps/{app_name}/machines/{machine_id}/metadata' },
  { id: 'machines.metadata.put', method: 'PUT', path: '/v1/apps/{app_name}/machines/{machine_id}/metadata' },
  { id: 'machines.metadata.get', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/metadata/{key}' },
  { id: 'machines.metadata.set', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/metadata/{key}' },
  { id: 'machines.metadata.delete', method: 'DELETE', path: '/v1/apps/{app_name}/machines/{machine_id}/metadata/{key}' },
  { id: 'machines.memory.get', method: 'GET', path: '/v1/apps/{app_name}/machines/{machine_id}/memory' },
  { id: 'machines.memory.set', method: 'PUT', path: '/v1/apps/{app_name}/machines/{machine_id}/memory' },
  { id: 'machines.memory.reclaim', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/memory/reclaim' },
  { id: 'volumes.list', method: 'GET', path: '/v1/apps/{app_name}/volumes' },
  { id: 'volumes.create', method: 'POST', path: '/v1/apps/{app_name}/volumes' },
  { id: 'volumes.get', method: 'GET', path: '/v1/apps/{app_name}/volumes/{volume_id}' },
  { id: 'volumes.update', method: 'PUT', path: '/v1/apps/{app_name}/volumes/{volume_id}' },
  { id: 'volumes.delete', method: 'DELETE', path: '/v1/apps/{app_name}/volumes/{volume_id}' },
  { id: 'volumes.extend', method: 'PUT', path: '/v1/apps/{app_name}/volumes/{volume_id}/extend' },
  { id: 'volumes.snapshots.list', method: 'GET', path: '/v1/apps/{app_name}/volumes/{volume_id}/snapshots' },
  { id: 'volumes.snapshots.create', method: 'POST', path: '/v1/apps/{app_name}/volumes/{volume_id}/snapshots' },
  { id: 'orgs.machines', method: 'GET', path: '/v1/orgs/{org_slug}/machines' },
  { id: 'orgs.volumes', method: 'GET', path: '/v1/orgs/{org_slug}/volumes' },
  { id: 'platform.regions', method: 'GET', path: '/v1/platform/regions' },
  { id: 'tokens.current', method: 'GET', path: '/v1/tokens/current' },
  // App secrets and secret keys (routes/secrets.ts).
  { id: 'secrets.list', method: 'GET', path: '/v1/apps/{app_name}/secrets' },
  { id: 'secrets.update', method: 'POST', path: '/v1/apps/{app_name}/secrets' },
  { id: 'secrets.get', method: 'GET', path: '/v1/apps/{app_name}/secrets/{secret_name}' },
  { id: 'secrets.set', method: 'POST', path: '/v1/apps/{app_name}/secrets/{secret_name}' },
  { id: 'secrets.delete', method: 'DELETE', path: '/v1/apps/{app_name}/secrets/{secret_name}' },
  { id: 'secretkeys.list', method: 'GET', path: '/v1/apps/{app_name}/secretkeys' },
  { id: 'secretkeys.get', method: 'GET', path: '/v1/apps/{app_name}/secretkeys/{secret_name}' },
  { id: 'secretkeys.set', method: 'POST', path: '/v1/apps/{app_name}/secretkeys/{secret_name}' },
  { id: 'secretkeys.delete', method: 'DELETE', path: '/v1/apps/{app_name}/secretkeys/{secret_name}' },
  { id: 'secretkeys.generate', method: 'POST', path: '/v1/apps/{app_name}/secretkeys/{secret_name}/generate' },
  { id: 'secretkeys.encrypt', method: 'POST', path: '/v1/apps/{app_name}/secretkeys/{secret_name}/encrypt' },
  { id: 'secretkeys.decrypt', method: 'POST', path: '/v1/apps/{app_name}/secretkeys/{secret_name}/decrypt' },
  { id: 'secretkeys.sign', method: 'POST', path: '/v1/apps/{app_name}/secretkeys/{secret_name}/sign' },
  { id: 'secretkeys.verify', method: 'POST', path: '/v1/apps/{app_name}/secretkeys/{secret_name}/verify' },
  // Managed Postgres (MACHINES-API.md §2.5): clusters of an org, their databases, users, backups, extensions, queries and attachments.
  { id: 'postgres.list', method: 'GET', path: '/v1/postgres' },
  { id: 'postgres.create', method: 'POST', path: '/v1/postgres' },
  { id: 'postgres.get', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}' },
  { id: 'postgres.delete', method: 'DELETE', path: '/v1/postgres/{postgres_cluster_id}' },
  { id: 'postgres.attachments.create', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/attachments' },
  { id: 'postgres.attachments.delete', method: 'DELETE', path: '/v1/postgres/{postgres_cluster_id}/attachments/{app_name}' },
  { id: 'postgres.backups.list', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/backups' },
  { id: 'postgres.backups.create', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/backups' },
  { id: 'postgres.databases.list', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/databases' },
  { id: 'postgres.databases.create', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/databases' },
  { id: 'postgres.databases.delete', method: 'DELETE', path: '/v1/postgres/{postgres_cluster_id}/databases/{database_name}' },
  { id: 'postgres.extensions.list', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/databases/{database_name}/extensions' },
  { id: 'postgres.extensions.enable', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/databases/{database_name}/extensions' },
  {
    id: 'postgres.extensions.disable',
    method: 'DELETE',
    path: '/v1/postgres/{postgres_cluster_id}/databases/{database_name}/extensions/{extension_name}',
  },
  { id: 'postgres.fork', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/fork' },
  { id: 'postgres.queries.active', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/queries/active' },
  { id: 'postgres.queries.slow', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/queries/slow' },
  { id: 'postgres.restore', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/restore' },
  { id: 'postgres.users.list', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/users' },
  { id: 'postgres.users.create', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/users' },
  { id: 'postgres.users.delete', method: 'DELETE', path: '/v1/postgres/{postgres_cluster_id}/users/{username}' },
  { id: 'postgres.users.update_role', method: 'PATCH', path: '/v1/postgres/{postgres_cluster_id}/users/{username}' },
  { id: 'postgres.users.credentials', method: 'GET', path: '/v1/postgres/{postgres_cluster_id}/users/{username}/credentials' },
  { id: 'postgres.users.rotate_password', method: 'POST', path: '/v1/postgres/{postgres_cluster_id}/users/{username}/rotate_password' },
  // TLS certificates and IP assignments (MACHINES-API.md §2.1, §2.5).
  { id: 'certificates.list', method: 'GET', path: '/v1/apps/{app_name}/certificates' },
  { id: 'certificates.acme.create', method: 'POST', path: '/v1/apps/{app_name}/certificates/acme' },
  { id: 'certificates.custom.create', method: 'POST', path: '/v1/apps/{app_name}/certificates/custom' },
  { id: 'certificates.get', method: 'GET', path: '/v1/apps/{app_name}/certificates/{hostname}' },
  { id: 'certificates.delete', method: 'DELETE', path: '/v1/apps/{app_name}/certificates/{hostname}' },
  { id: 'certificates.acme.delete', method: 'DELETE', path: '/v1/apps/{app_name}/certificates/{hostname}/acme' },
  { id: 'certificates.custom.delete', method: 'DELETE', path: '/v1/apps/{app_name}/certificates/{hostname}/custom' },
  { id: 'certificates.check', method: 'POST', path: '/v1/apps/{app_name}/certificates/{hostname}/check' },
  { id: 'ips.list', method: 'GET', path: '/v1/apps/{app_name}/ip_assignments' },
  { id: 'ips.create', method: 'POST', path: '/v1/apps/{app_name}/ip_assignments' },
  { id: 'ips.delete', method: 'DELETE', path: '/v1/apps/{app_name}/ip_assignments/{ip}' },
  // Exec, placements, deploy tokens and token exchange (routes/exec.ts, routes/placements.ts, routes/tokens.ts).
  { id: 'machines.exec', method: 'POST', path: '/v1/apps/{app_name}/machines/{machine_id}/exec' },
  { id: 'platform.placements', method: 'POST', path: '/v1/platform/placements' },
  { id: 'apps.deploy_token', method: 'POST', path: '/v1/apps/{app_name}/deploy_token' },
  { id: 'tokens.authenticate', method: 'POST', path: '/v1/tokens/authenticate' },
  { id: 'tokens.authorize', method: 'POST', path: '/v1/tokens/authorize' },
  { id: 'tokens.oidc', method: 'POST', path: '/v1/tokens/oidc' },
  { id: 'tokens.kms', method: 'POST', path: '/v1/tokens/kms' },
  { id: 'graphql', method: 'POST', path: '/graphql' },
  // api.fly.io's logs endpoint (not part of the Machines API document): see src/emulator/routes/logs.ts.
  { id: 'logs.list', method: 'GET', path: '/api/v1/apps/{app_name}/logs' },
] as const;

/** Identifier of a served route, e.g. `machines.start`; used by fault injection and request counts. */
export type RouteId = (typeof ROUTES)[number]['id'];

/** Spec operations served, as `METHOD /v1/path-template` (the root `/graphql` is not a spec operation). */
export const SERVED_OPERATIONS: readonly string[] = ROUTES.filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method} ${r.path}`);

/** A matched route and its decoded path parameters. */
export interface RouteMatch {
  id: RouteId;
  params: Record<string, string>;
}

const compiled = ROUTES.map((r) => ({ ...r, segments: r.path.split('/').filter(Boolean) }));

/** Matches a request; `'method'` means the path exists but not with this method. */
export function matchRoute(method: string, pathname: string): RouteMatch | 'method' | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let pathSeen = false;
  for (const route of compiled) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = route.segments[i];
      if (seg.startsWith('{')) {
        try {
          params[seg.slice(1, -1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else ok = seg === parts[i];
    }
    if (!ok) continue;
    pathSeen = true;
    if (route.method === method) return { id: route.id, params };
  }
  return pathSeen ? 'method' : undefined;
}
