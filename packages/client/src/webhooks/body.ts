/** Reading a request body with a size bound, from a Fetch API stream or a Node request alike. */
import { WebhookVerificationError } from '../errors/index.js';

/** The chunks of a Fetch API body (`null` is an empty body). */
export async function* streamChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (stream === null) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Concatenates the chunks; stops reading and throws `body_too_large` past `maxBytes`. */
export async function readLimited(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new WebhookVerificationError({
        reason: 'body_too_large',
        problem: `the body is over ${maxBytes} bytes`,
      });
    }
    parts.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  return body;
}
