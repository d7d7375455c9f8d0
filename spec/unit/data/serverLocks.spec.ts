import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ServerLocks } from '../../../lib/data/serverLocks.js';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-locks-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ServerLocks', () => {
  it('lives beside the state file, one directory per registry', () => {
    expect(ServerLocks.besideStateFile('/state/msm/abc123.json').dir).toBe('/state/msm/abc123.locks');
  });

  it('a held server is busy for another taker until released', async () => {
    const locks = new ServerLocks(dir);
    const first = await locks.acquire(['b', 'a']);
    expect(first.busy).toEqual([]);
    const second = await locks.acquire(['a', 'c'], { waitMs: 300 });
    expect(second.busy).toEqual(['a']);
    await second.release();
    await first.release();
    const third = await locks.acquire(['a', 'b'], { waitMs: 300 });
    expect(third.busy).toEqual([]);
    await third.release();
  });

  it('a waiter gets the lock as soon as the holder lets go', async () => {
    const locks = new ServerLocks(dir);
    const holder = await locks.acquire(['s']);
    setTimeout(() => void holder.release(), 300);
    const waiter = await locks.acquire(['s'], { waitMs: 5000 });
    expect(waiter.busy).toEqual([]);
    await waiter.release();
  });

  it('stops waiting when the command is interrupted', async () => {
    const locks = new ServerLocks(dir);
    const holder = await locks.acquire(['s']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const waiter = await locks.acquire(['s'], { waitMs: 60_000, signal: controller.signal });
    expect(waiter.busy).toEqual(['s']);
    await holder.release();
  });
});
