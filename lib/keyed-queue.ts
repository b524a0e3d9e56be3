/**
 * Runs tasks one at a time per key, in arrival order, and different keys concurrently. The one per-chat queue of
 * the project: the flow engine keys it by conversation, adapters by chat (a photo download happens before the
 * engine sees the message; without ordering, a text sent right after a photo could overtake it).
 */
export class KeyedQueue<K = string> {
  private readonly tails = new Map<K, Promise<unknown>>();

  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running right now. */
  get busyKeys(): number {
    return this.tails.size;
  }
}
