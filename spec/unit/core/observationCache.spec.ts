import { ObservationCache } from '../../../lib/core/observationCache.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('ObservationCache', () => {
  let clock: number;
  let cache: ObservationCache;
  beforeEach(() => {
    clock = 1000;
    cache = new ObservationCache(1000, () => clock);
  });

  it('shares one observation among callers while it is in flight', async () => {
    const pending = deferred<string>();
    let calls = 0;
    const observe = () => ((calls += 1), pending.promise);
    const answers = Promise.all([cache.get('h1', 'q', observe), cache.get('h1', 'q', observe), cache.get('h1', 'q', observe)]);
    pending.resolve('state');
    expect(await answers).toEqual(['state', 'state', 'state']);
    expect(calls).toBe(1);
  });

  it('reuses an answer for reuseMs after it arrived, then asks again', async () => {
    let calls = 0;
    const observe = async () => `answer ${++calls}`;
    expect(await cache.get('h1', 'q', observe)).toBe('answer 1');
    clock += 1000;
    expect(await cache.get('h1', 'q', observe)).toBe('answer 1');
    clock += 1;
    expect(await cache.get('h1', 'q', observe)).toBe('answer 2');
  });

  it('keeps hosts and questions apart', async () => {
    let calls = 0;
    const observe = async () => ++calls;
    await cache.get('h1', 'q', observe);
    await cache.get('h2', 'q', observe);
    await cache.get('h1', 'other', observe);
    expect(calls).toBe(3);
  });

  it('drops a changed host at once, and only that host', async () => {
    let calls = 0;
    const observe = async () => ++calls;
    await cache.get('h1', 'q', observe);
    await cache.get('h2', 'q', observe);
    cache.invalidate(['h1']);
    expect(await cache.get('h1', 'q', observe)).toBe(3);
    expect(await cache.get('h2', 'q', observe)).toBe(2);
    cache.invalidate();
    expect(await cache.get('h2', 'q', observe)).toBe(4);
  });

  it('never keeps a failure', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('host down');
    };
    await expect(cache.get('h1', 'q', failing)).rejects.toThrow('host down');
    await expect(cache.get('h1', 'q', failing)).rejects.toThrow('host down');
    expect(calls).toBe(2);
  });

  it('with reuseMs 0 still shares what is in flight but reuses nothing after', async () => {
    const zero = new ObservationCache(0, () => clock);
    let calls = 0;
    const observe = async () => ++calls;
    expect(await Promise.all([zero.get('h', 'q', observe), zero.get('h', 'q', observe)])).toEqual([1, 1]);
    clock += 1;
    expect(await zero.get('h', 'q', observe)).toBe(2);
  });
});
