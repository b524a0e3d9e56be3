import { AppError } from '../lib/errors.ts';

/** An attachment over the size cap, whether its size was announced or counted while reading. */
export class AttachmentTooLargeError extends AppError {
  constructor(
    readonly limit: number,
    readonly size?: number,
  ) {
    super('ATTACHMENT_TOO_LARGE', `attachment ${size === undefined ? 'larger than' : `of ${size} bytes exceeds`} the ${limit} byte limit`);
  }
}

/**
 * Reads a download (a Node stream or a fetch body) into memory, giving up as soon as it passes `maxBytes`: a
 * declared size is never trusted. Leaving the loop early closes the stream.
 */
export async function readCapped(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new AttachmentTooLargeError(maxBytes, total);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
