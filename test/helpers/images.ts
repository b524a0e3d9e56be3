/** An 8×8 JPEG (made with sharp): the smallest real photo that decodes, for tests that send one. */
export const TINY_JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCSACvv/9k=',
  'base64',
);

/**
 * A real JPEG of exactly `bytes` bytes (for size-limit tests): the tiny one followed by padding after its end
 * marker, which decoders ignore.
 */
export function jpegOfSize(bytes: number): Buffer {
  if (bytes < TINY_JPEG.length) throw new Error(`a JPEG needs at least ${TINY_JPEG.length} bytes`);
  return Buffer.concat([TINY_JPEG, Buffer.alloc(bytes - TINY_JPEG.length, 0)]);
}
