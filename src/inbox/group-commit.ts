/**
 * Group commit: callers add items and wait; one write runs at a time and takes every
 * item that arrived while the previous write was in flight. Under load, concurrent
 * webhook calls share D1 round trips; each caller resolves once the write holding its
 * items succeeded, and is rejected if that write failed.
 */
export class GroupCommit<T> {
  private pending: T[] = [];
  private waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push(...items);
      this.waiting.push({ resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length) {
      const items = this.pending;
      const waiting = this.waiting;
      this.pending = [];
      this.waiting = [];
      try {
        await this.write(items);
        for (const w of waiting) w.resolve();
      } catch (e) {
        for (const w of waiting) w.reject(e);
      }
    }
    this.running = false;
  }
}
