import { describe, expect, it } from 'vitest';
import { routeTemplate } from '#src/flyio/route-template.js';

describe('routeTemplate', () => {
  it.each([
    ['/apps', '/v1/apps'],
    ['/apps/my-app', '/v1/apps/{app}'],
    ['/apps/my-app/machines', '/v1/apps/{app}/machines'],
    ['/apps/my-app/machines/3d8d9', '/v1/apps/{app}/machines/{id}'],
    ['/apps/my-app/machines/3d8d9/start', '/v1/apps/{app}/machines/{id}/start'],
    ['/apps/my-app/machines/3d8d9/lease', '/v1/apps/{app}/machines/{id}/lease'],
    ['/apps/my-app/machines/3d8d9/metadata/role', '/v1/apps/{app}/machines/{id}/metadata/{key}'],
    ['/apps/my-app/volumes/vol_1/snapshots', '/v1/apps/{app}/volumes/{id}/snapshots'],
    ['/orgs/personal/machines', '/v1/orgs/{org}/machines'],
    ['/platform/regions', '/v1/platform/regions'],
    ['/tokens/current', '/v1/tokens/current'],
  ])('should turn %s into %s', (path, template) => {
    expect(routeTemplate(path)).toBe(template);
  });

  it('should keep placeholders in place when a value equals a collection name', () => {
    expect(routeTemplate('/apps/machines/machines/volumes/wait')).toBe('/v1/apps/{app}/machines/{id}/wait');
    expect(routeTemplate('/apps/apps')).toBe('/v1/apps/{app}');
  });

  it('should never keep an encoded caller value, when it has odd characters', () => {
    const template = routeTemplate(`/apps/${encodeURIComponent('a b/c')}/machines/${encodeURIComponent('x?y')}`);
    expect(template).toBe('/v1/apps/{app}/machines/{id}');
  });
});
