/**
 * Which gateway sessions were abandoned: an HTTP client can vanish without the DELETE that ends
 * its session, and a session may hold a container of its own. A session is idle when no request
 * of it is in progress (an open SSE stream counts as one) and none came for `idleMs`. Pure but for
 * the clock it is given.
 */
export class IdleSessions<K> {
  private readonly seen = new Map<K, { last: number; busy: number }>();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A request of `key` starts; call the returned function when its response has ended. */
  begin(key: K): () => void {
    const entry = this.seen.get(key) ?? { last: this.now(), busy: 0 };
    entry.busy += 1;
    entry.last = this.now();
    this.seen.set(key, entry);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      entry.busy -= 1;
      entry.last = this.now();
    };
  }

  forget(key: K): void {
    this.seen.delete(key);
  }

  /** The sessions idle for longer than `idleMs` now (forgotten here; the caller ends them). */
  expired(): K[] {
    const now = this.now();
    const expired: K[] = [];
    for (const [key, entry] of this.seen) {
      if (entry.busy === 0 && now - entry.last >= this.idleMs) expired.push(key);
    }
    for (const key of expired) this.seen.delete(key);
    return expired;
  }
}
