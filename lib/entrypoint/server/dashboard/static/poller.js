// A view's periodic refresh: one load at a time, another right after it when one was asked for
// meanwhile, none while the tab is hidden (it resumes when the tab is shown again), and the load
// under way aborted when the view goes. `load(signal)` reports its own errors.
export class Poller {
  #load;
  #intervalMs;
  #active = false;
  #inFlight = false;
  #again = false;
  #timer;
  #controller;

  constructor(load, intervalMs) {
    this.#load = load;
    this.#intervalMs = intervalMs;
    document.addEventListener('visibilitychange', () => {
      if (this.#active && !document.hidden) this.now();
    });
  }

  get active() {
    return this.#active;
  }

  start() {
    this.#active = true;
    this.now();
  }

  /** The load under way is dropped: the next start() begins its own at once. */
  stop() {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#controller?.abort();
    this.#inFlight = false;
  }

  /** Load at once (after an action), or right after the load already under way. */
  now() {
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    void this.#run();
  }

  async #run() {
    if (!this.#active) return;
    this.#inFlight = true;
    this.#again = false;
    const controller = new AbortController();
    this.#controller = controller;
    try {
      await this.#load(controller.signal);
    } finally {
      if (this.#controller === controller) this.#inFlight = false;
    }
    if (controller.signal.aborted) return;
    if (this.#active && !document.hidden) this.#timer = setTimeout(() => void this.#run(), this.#again ? 0 : this.#intervalMs);
  }
}
