/**
 * Runs tasks one at a time per chat, in arrival order. The flow engine already serialises a conversation,
 * but a photo download happens before the engine sees the message; without this, a text sent right after a
 * photo could overtake it (webhook mode delivers updates concurrently).
 */
export class ChatQueue {
  private readonly tails = new Map<number, Promise<unknown>>();

  run<T>(chatId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(chatId, tail);
    void tail.then(() => {
      if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
    });
    return result;
  }
}
