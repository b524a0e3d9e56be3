import { GrammyError, HttpError } from 'grammy';
import { DeliveryError } from '../../lib/errors.ts';

/**
 * Bot API failures as delivery errors the outbox understands. Only the ones that say "this chat will never
 * accept a message" are permanent: the person blocked the bot, deleted their account, or the chat is gone.
 * Everything else (rate limits, 5xx, network, odd 400s) is retried with the outbox's capped backoff.
 */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof GrammyError) {
    const description = err.description.toLowerCase();
    if (err.error_code === 403) return new DeliveryError('BLOCKED', err.description, true, undefined, { cause: err });
    if (err.error_code === 400 && /chat not found|user not found|peer_id_invalid|user is deactivated/.test(description)) {
      return new DeliveryError('CHAT_NOT_FOUND', err.description, true, undefined, { cause: err });
    }
    if (err.error_code === 429) {
      const retryAfter = err.parameters.retry_after;
      return new DeliveryError('RATE_LIMITED', err.description, false, retryAfter === undefined ? undefined : retryAfter * 1000, { cause: err });
    }
    return new DeliveryError('PLATFORM_ERROR', `${err.error_code}: ${err.description}`, false, undefined, { cause: err });
  }
  if (err instanceof HttpError) return new DeliveryError('NETWORK', err.message, false, undefined, { cause: err });
  return new DeliveryError('PLATFORM_ERROR', (err as Error)?.message ?? String(err), false, undefined, { cause: err });
}
