import { LRUCache } from 'lru-cache';

/**
 * How many sent messages about a case the bot remembers, per process. At Malang's volume (~200 outgoing
 * messages a day) 20,000 covers months of alerts an admin might still reply to, in a few MB; the oldest go first
 * (a bounded LRU, so the map never grows with every message ever sent, and a full cache evicts rather than throws).
 */
export const SENT_CASE_REFS_CAP = 20_000;

/**
 * Which of the bot's own messages were about exactly one case (a Reply with caseRef), by chat and platform
 * message id. A person's reply to such a message is about that case (an admin's reply answers it); a reply to
 * any other message — an /inbox list, a greeting, a message from someone else — is not. Kept in memory: after a
 * restart, a reply to an older message is an ordinary message, and the admin uses /balas.
 */
export class SentCaseRefs {
  private readonly refs = new LRUCache<string, string>({ max: SENT_CASE_REFS_CAP });

  remember(chat: string, messageId: string, trackingId: string): void {
    this.refs.set(`${chat}\u0000${messageId}`, trackingId);
  }

  caseRefFor(chat: string, messageId: string): string | undefined {
    return this.refs.get(`${chat}\u0000${messageId}`);
  }

  get size(): number {
    return this.refs.size;
  }
}
