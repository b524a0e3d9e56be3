import fs from 'node:fs/promises';
import path from 'node:path';
import type { Api } from 'grammy';
import pRetry from 'p-retry';
import { AppError } from '../../lib/errors.ts';
import { AttachmentTooLargeError, readCapped } from '../read-capped.ts';

/** Download retries: Telegram's file servers blip now and then; three tries a second apart ride that out without keeping the chat waiting long. */
const DOWNLOAD_RETRY = { retries: 2, minTimeout: 1_000, maxTimeout: 3_000 } as const;
/** One download may take this long; a 10 MB photo over a slow link fits, a hung connection does not hold the chat. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

export interface DownloadedFile {
  data: Buffer;
  /** Extension from Telegram's file path (jpg for photos), without the dot. */
  extension: string;
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
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new AttachmentTooLargeError(maxBytes, file.file_size);
  if (!file.file_path) throw new AppError('FILE_UNAVAILABLE', 'Telegram returned no file path');
  const extension = path.extname(file.file_path).slice(1) || 'jpg';

  if (path.isAbsolute(file.file_path)) {
    const stat = await fs.stat(file.file_path);
    if (stat.size > maxBytes) throw new AttachmentTooLargeError(maxBytes, stat.size);
    return { data: await fs.readFile(file.file_path), extension };
  }

  const url = `${options.apiRoot.replace(/\/$/, '')}/file/bot${options.token}/${file.file_path}`;
  const data = await pRetry(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok || !response.body) {
        // 4xx means the path is wrong or expired; trying again will not help.
        throw new AppError('FILE_DOWNLOAD_FAILED', `file download answered ${response.status}`, response.status >= 500);
      }
      const announced = Number(response.headers.get('content-length') ?? NaN);
      if (announced > maxBytes) {
        await response.body.cancel();
        throw new AttachmentTooLargeError(maxBytes, announced);
      }
      return readCapped(response.body as unknown as AsyncIterable<Uint8Array>, maxBytes);
    },
    // Network failures and 5xx are retried; our own non-transient errors (4xx, too large) are final.
    { ...DOWNLOAD_RETRY, shouldRetry: ({ error }) => !(error instanceof AppError) || error.transient },
  );
  return { data, extension };
}
