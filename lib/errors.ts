/** Errors with a machine-readable code; `transient` says whether trying again later can succeed. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly transient = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** A platform refused or failed a delivery. Permanent ones (bot blocked, chat gone) are never retried. */
export class DeliveryError extends AppError {
  constructor(
    code: 'BLOCKED' | 'CHAT_NOT_FOUND' | 'RATE_LIMITED' | 'NOT_CONNECTED' | 'PLATFORM_ERROR' | 'NETWORK',
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, !permanent, options);
    this.name = 'DeliveryError';
  }
}

export function errorCode(err: unknown): string {
  if (err instanceof AppError) return err.code;
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : (err as Error)?.name ?? 'UNKNOWN';
}
