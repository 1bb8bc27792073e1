/** An error a route handler throws to answer with a given status and JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** Builds a Fly-style `{error, status?}` error. */
export function flyError(status: number, message: string, flyStatus?: string): HttpError {
  return new HttpError(status, flyStatus ? { error: message, status: flyStatus } : { error: message });
}

/** Fly's answer for an unknown app. */
export function appNotFound(): HttpError {
  return flyError(404, 'Could not find App');
}

/** Fly-style answer for an unknown machine. */
export function machineNotFound(id: string): HttpError {
  return flyError(404, `machine not found: ${id}`);
}
