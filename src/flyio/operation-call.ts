import { operationPath, type FlyOperation } from './operation.js';
import type { Requester } from './request.js';
import type { CallOptions } from './types.js';

/**
 * Sends one call of a declared operation down the one request path: its rate scope is its target (the machine, else
 * the app), its success body is parsed by its wire schema (or drained when it has none).
 */
export async function callOperation<Input, Output>(
  requester: Requester,
  operation: FlyOperation<Input, Output>,
  input: Input,
  options?: CallOptions,
): Promise<Output> {
  const target = operation.target(input);
  return requester.call({
    operation: operation.name,
    method: operation.method,
    path: operationPath(operation, input),
    root: operation.api,
    query: operation.query?.(input),
    body: operation.body?.(input),
    schema: operation.response,
    rateScope: target.machineId ?? target.app,
    options,
  }) as Promise<Output>;
}
