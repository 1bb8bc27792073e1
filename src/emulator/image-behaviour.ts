/**
 * Images that misbehave on purpose, so a rollout's failure handling (and rollback) can be exercised and shown.
 * Chosen by the tag of `config.image`: `…-unhealthy` boots but its checks stay critical; `…-crash` boots and its
 * main process exits soon after (the restart policy then decides what follows, as for any exit).
 */
export type ImageBehaviour = 'normal' | 'unhealthy' | 'crash';

/** How long a `-crash` image stays up before its process exits, in ms of the emulator clock. */
export const CRASH_AFTER_MS = 500;

/** The behaviour of an image reference, read from its tag (the part after the last `:` that follows the last `/`). */
export function imageBehaviour(image: unknown): ImageBehaviour {
  if (typeof image !== 'string') return 'normal';
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  const tag = colon >= 0 ? name.slice(colon + 1).split('@')[0]! : '';
  if (tag.endsWith('-unhealthy')) return 'unhealthy';
  if (tag.endsWith('-crash')) return 'crash';
  return 'normal';
}
