import { DisconnectReason } from '@whiskeysockets/baileys';

/** How the channel reacts when Baileys closes the connection. */
export interface ReconnectPolicy {
  /** First retry delay; doubles on each consecutive failure. */
  baseDelayMs: number;
  /** Cap on the delay between tries. */
  maxDelayMs: number;
  /** Reconnects tried after consecutive failures; the next failure after that many stops the channel. */
  maxConsecutiveFailures: number;
}

export const RECONNECT_POLICY: ReconnectPolicy = {
  /** 2 s: a dropped Wi-Fi or a WhatsApp server blip usually heals within seconds. */
  baseDelayMs: 2_000,
  /**
   * 2 minutes: long enough not to hammer WhatsApp (rapid re-logins are one of the signals it uses against
   * automated numbers), short enough that citizens' messages are answered soon after an outage ends.
   */
  maxDelayMs: 2 * 60_000,
  /**
   * 12 reconnects after failures in a row ≈ 2+4+8+16+32+64 s + 6 × 120 s ≈ 14 minutes of trying. Past that something is wrong
   * that retrying will not fix (no network, number banned, session broken): stop and tell the operator.
   * Notifications keep waiting in the outbox meanwhile and go out after the bot is restarted.
   */
  maxConsecutiveFailures: 12,
};

export type ReconnectDecision =
  /** Open a new socket after `delayMs`; `countsAsFailure` says whether it adds to the failure streak. */
  | { action: 'reconnect'; delayMs: number; countsAsFailure: boolean; reason: string }
  /** The phone removed this device: the stored session is useless; clear it and pair again. */
  | { action: 'pair-again'; delayMs: number; reason: string }
  /** Too many failures in a row: stop reconnecting and tell the operator. */
  | { action: 'stop'; reason: string };

/** Name of a status code as Baileys defines it (408 is both connectionLost and timedOut). */
function disconnectReasonName(statusCode: number | undefined): string {
  if (statusCode === undefined) return 'unknown';
  const names = Object.entries(DisconnectReason)
    .filter(([name, value]) => value === statusCode && Number.isNaN(Number(name)))
    .map(([name]) => name);
  return names.length > 0 ? names.join('/') : `status-${statusCode}`;
}

/** Capped exponential backoff for the n-th consecutive failure (1-based). */
export function backoffDelayMs(failures: number, policy: ReconnectPolicy = RECONNECT_POLICY): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Decides what to do after a close with `statusCode` (from `lastDisconnect.error.output.statusCode`), given
 * how many connections in a row have failed before this one. Pure, so every reason is table-tested.
 */
export function decideReconnect(
  statusCode: number | undefined,
  previousFailures: number,
  policy: ReconnectPolicy = RECONNECT_POLICY,
): ReconnectDecision {
  const reason = disconnectReasonName(statusCode);
  switch (statusCode) {
    case DisconnectReason.loggedOut:
      // Unlinked from the phone (or the session was revoked): the only way back is a new QR / pairing code.
      return { action: 'pair-again', delayMs: 0, reason };
    case DisconnectReason.restartRequired:
      // WhatsApp closes the socket right after a successful pairing and expects a new one at once; this is
      // the normal second step of pairing, not a failure.
      return { action: 'reconnect', delayMs: 0, countsAsFailure: false, reason };
    default: {
      // connectionClosed, connectionLost/timedOut, connectionReplaced, badSession, multideviceMismatch,
      // forbidden, unavailableService and unknown codes: try again, slower each time, up to the cap.
      const failures = previousFailures + 1;
      if (failures > policy.maxConsecutiveFailures) return { action: 'stop', reason };
      return { action: 'reconnect', delayMs: backoffDelayMs(failures, policy), countsAsFailure: true, reason };
    }
  }
}

/** Reads the status code Baileys puts on the close error (a Boom with `output.statusCode`). */
export function disconnectStatusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
