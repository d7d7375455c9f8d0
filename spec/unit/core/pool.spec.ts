import { groupBy, mapBounded } from '../../../lib/core/pool.js';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A task function that records how many calls are in flight at once. */
function tracked<T, R>(work: (item: T, index: number) => Promise<R>): {
  fn: (item: T, index: number) => Promise<R>;
  peak: () => number;
  started: number[];
} {
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const fn = async (item: T, index: number): Promise<R> => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    started.push(index);
    try {
      return await work(item, index);
    } finally {
      inFlight -= 1;
    }
  };
  return { fn, peak: () => peak, started };
}

describe('mapBounded', () => {
  it('keeps the input order even when later items finish first', async () => {
    const delays = [30, 5, 20, 0, 10, 1];
    const results = await mapBounded(delays, 3, async (ms, index) => {
      await tick(ms);
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:0', '4:10', '5:1']);
  });

  it.each([1, 2, 3, 5])('never has more than %d calls in flight, and reaches that many', async (limit) => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    const { fn, peak, started } = tracked(async (item: number) => {
      await tick(item % 3);
      return item * 2;
    });
    const results = await mapBounded(items, limit, fn);
    expect(results).toEqual(items.map((i) => i * 2));
    expect(peak()).toBe(limit);
    expect(started).toEqual(items);
  });

  it('runs everything at once when the limit exceeds the item count', async () => {
    const { fn, peak } = tracked(async (item: string) => {
      await tick(1);
      return item.toUpperCase();
    });
    expect(await mapBounded(['a', 'b', 'c'], 100, fn)).toEqual(['A', 'B', 'C']);
    expect(peak()).toBe(3);
  });

  it('treats a limit below 1 as 1', async () => {
    for (const limit of [0, -5]) {
      const { fn, peak } = tracked(async (item: number) => {
        await tick();
        return item + 1;
      });
      expect(await mapBounded([1, 2, 3], limit, fn)).toEqual([2, 3, 4]);
      expect(peak()).toBe(1);
    }
  });

  it('calls fn once per item, with the item and its index', async () => {
    const calls: Array<[string, number]> = [];
    await mapBounded(['x', 'y', 'z'], 2, async (item, index) => {
      calls.push([item, index]);
    });
    expect(calls.sort()).toEqual([
      ['x', 0],
      ['y', 1],
      ['z', 2],
    ]);
  });

  it('with no items, calls nothing and returns an empty array', async () => {
    let calls = 0;
    const results = await mapBounded([], 4, async () => {
      calls += 1;
    });
    expect(results).toEqual([]);
    expect(calls).toBe(0);
  });

  it('handles synchronously resolving functions', async () => {
    expect(await mapBounded([1, 2, 3, 4], 2, (n) => Promise.resolve(n * n))).toEqual([1, 4, 9, 16]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapBounded([1, 2, 3], 2, async (n) => {
        await tick();
        if (n === 2) throw new Error('boom 2');
        return n;
      }),
    ).rejects.toThrow('boom 2');
  });
});

describe('groupBy', () => {
  it('groups by key, keeping first-seen key order and item order', () => {
    const items = [
      { host: 'b', n: 1 },
      { host: 'a', n: 2 },
      { host: 'b', n: 3 },
    ];
    const groups = groupBy(items, (item) => item.host);
    expect([...groups.entries()]).toEqual([
      ['b', [items[0], items[2]]],
      ['a', [items[1]]],
    ]);
  });

  it('is empty for no items', () => {
    expect(groupBy([], () => 'k').size).toBe(0);
  });
});
