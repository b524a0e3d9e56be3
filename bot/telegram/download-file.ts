import fs from 'node:fs/promises';
import path from 'node:path';
import type { Api } from 'grammy';
import pRetry, { AbortError } from 'p-retry';
import { AppError } from '../../lib/errors.ts';

/** Download retries: Telegram's file servers blip now and then; three tries a second apart ride that out without keeping the chat waiting long. */
export const DOWNLOAD_RETRY = { retries: 2, minTimeout: 1_000, maxTimeout: 3_000 } as const;
/** One download may take this long; a 10 MB photo over a slow link fits, a hung connection does not hold the chat. */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

export class FileTooLargeError extends AppError {
  constructor(readonly size: number, readonly limit: number) {
    super('FILE_TOO_LARGE', `file of ${size} bytes exceeds the ${limit} byte limit`);
  }
}

export interface DownloadedFile {
  data: Buffer;
  /** Extension from Telegram's file path (jpg for photos), without the dot. */
  extension: string;
}

async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) throw new AbortError(new FileTooLargeError(total, limit));
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * Fetches a file through getFile and the file download path, refusing anything over `maxBytes` at every
 * step (announced size, getFile size, Content-Length, and the bytes actually read). A local Bot API server
 * (`--local`) answers getFile with an absolute path on its disk; that is read directly.
 */
export async function downloadTelegramFile(
  api: Api,
  options: { apiRoot: string; token: string; fileId: string; maxBytes: number },
): Promise<DownloadedFile> {
  const { maxBytes } = options;
  const file = await api.getFile(options.fileId);
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new FileTooLargeError(file.file_size, maxBytes);
  if (!file.file_path) throw new AppError('FILE_UNAVAILABLE', 'Telegram returned no file path');
  const extension = path.extname(file.file_path).slice(1) || 'jpg';

  if (path.isAbsolute(file.file_path)) {
    const stat = await fs.stat(file.file_path);
    if (stat.size > maxBytes) throw new FileTooLargeError(stat.size, maxBytes);
    return { data: await fs.readFile(file.file_path), extension };
  }

  const url = `${options.apiRoot.replace(/\/$/, '')}/file/bot${options.token}/${file.file_path}`;
  const data = await pRetry(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok || !response.body) {
        const error = new AppError('FILE_DOWNLOAD_FAILED', `file download answered ${response.status}`, response.status >= 500);
        // 4xx means the path is wrong or expired; trying again will not help.
        throw response.status >= 500 ? error : new AbortError(error);
      }
      const announced = Number(response.headers.get('content-length') ?? NaN);
      if (announced > maxBytes) {
        await response.body.cancel();
        throw new AbortError(new FileTooLargeError(announced, maxBytes));
      }
      return readCapped(response.body, maxBytes);
    },
    DOWNLOAD_RETRY,
  );
  return { data, extension };
}
