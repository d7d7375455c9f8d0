/**
 * Shared observations for a long-running service: callers asking a host the same question while
 * an answer is on its way share that one answer (single flight), and an answer is reused for up to
 * `reuseMs` after it arrived, so many clients polling the fleet cost one docker call per host per
 * `reuseMs`, not one per request. A change made through the same process (start, stop, ...)
 * drops that host's answers at once; failures are never kept.
 */
export class ObservationCache {
  private readonly entries = new Map<string, { host: string; promise: Promise<unknown>; settledAt: number | undefined }>();

  constructor(
    readonly reuseMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answer for (`host`, `key`): the one in flight, a recent one, or a new one from `observe`. */
  get<T>(host: string, key: string, observe: () => Promise<T>): Promise<T> {
    const id = `${host}\u0000${key}`;
    const cached = this.entries.get(id);
    if (cached && (cached.settledAt === undefined || this.now() - cached.settledAt <= this.reuseMs)) return cached.promise as Promise<T>;
    const entry: { host: string; promise: Promise<unknown>; settledAt: number | undefined } = { host, promise: Promise.resolve(), settledAt: undefined };
    const promise = observe().then(
      (value) => {
        entry.settledAt = this.now();
        return value;
      },
      (err: unknown) => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
        throw err;
      },
    );
    entry.promise = promise;
    this.sweep();
    this.entries.set(id, entry);
    return promise;
  }

  /** Drop answers too old to be reused, so questions asked once do not pile up. */
  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.settledAt !== undefined && now - entry.settledAt > this.reuseMs) this.entries.delete(id);
    }
  }

  /** Forget what is known about these hosts (every host when none given): they just changed. */
  invalidate(hosts?: Iterable<string>): void {
    const changed = hosts ? new Set(hosts) : undefined;
    for (const [id, entry] of this.entries) {
      if (!changed || changed.has(entry.host)) this.entries.delete(id);
    }
  }
}
