/**
 * The route template of a request path (`/v1/apps/{app}/machines/{id}/start`): what spans name, so a trace says
 * which endpoint was called without carrying app names, machine ids or metadata keys, and stays low in cardinality.
 */

/** The placeholder for the segment that follows each collection. */
const PLACEHOLDER_AFTER: Readonly<Record<string, string>> = {
  apps: '{app}',
  machines: '{id}',
  volumes: '{id}',
  orgs: '{org}',
  metadata: '{key}',
};

/**
 * Replaces every caller-supplied segment of `path` (a path under `/v1`, as resource files build it) with its
 * placeholder. Caller values only ever follow a collection name; every other segment is a literal of our own code.
 */
export function routeTemplate(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const previous = i > 0 ? segments[i - 1] : undefined;
    // A collection name that is itself a placeholder's value (an app called "machines") must not shift the rule.
    const previousIsLiteral = i > 0 && out[i - 1] === previous;
    const placeholder = previous !== undefined && previousIsLiteral ? PLACEHOLDER_AFTER[previous] : undefined;
    out.push(placeholder && segments[i] !== '' ? placeholder : segments[i]);
  }
  return `/v1${out.join('/')}`;
}
