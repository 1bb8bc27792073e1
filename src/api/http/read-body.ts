/** Outcome of {@link readBodyWithLimit}. */
export type ReadBodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-large' };

/**
 * Reads a request body, refusing more than `maxBytes`. A declared `Content-Length` over the limit is refused
 * before reading anything; otherwise bytes are counted as they stream in and reading stops (the stream is
 * cancelled) as soon as the limit is passed, since a chunked or lying sender declares nothing useful.
 */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<ReadBodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    // The body is left untouched: cancelling it would reset the connection under Node before the sender reads the
    // 413, and an untouched body is discarded by the server once the answer is sent.
    return { ok: false, reason: 'too-large' };
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: 'too-large' };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
