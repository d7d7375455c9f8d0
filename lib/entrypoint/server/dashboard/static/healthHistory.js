// Health check results seen during this page's life, per server, for the latency sparkline.
// Kept in memory only: "this session" is this tab, and nothing needs to outlive it.
const LIMIT = 60;

export class HealthHistory {
  #byServer = new Map();

  /** Adds a check result once (the same check seen in two refreshes counts once). */
  record(name, health) {
    if (!health || health.status === 'unchecked' || !health.checked_at) return;
    const points = this.#byServer.get(name) ?? [];
    if (points.at(-1)?.at === health.checked_at) return;
    points.push({ at: health.checked_at, ok: health.status === 'healthy', latency: typeof health.latency_ms === 'number' ? health.latency_ms : null });
    if (points.length > LIMIT) points.splice(0, points.length - LIMIT);
    this.#byServer.set(name, points);
  }

  points(name) {
    return this.#byServer.get(name) ?? [];
  }
}
