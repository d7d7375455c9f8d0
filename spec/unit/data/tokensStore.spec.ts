import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { parseDuration } from '../../../lib/data/duration.js';
import { hashTokenSecret, secretMatches } from '../../../lib/data/tokenSecret.js';
import { TokensStore } from '../../../lib/data/tokensStore.js';
import { rejection } from '../../helpers/errors.js';

let dir: string;
let file: string;
let store: TokensStore;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-tokens-'));
  file = path.join(dir, 'tokens.yaml');
  store = new TokensStore(file);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('TokensStore', () => {
  it('stores only the hash, in a file only its owner can read', async () => {
    const { secret, summary } = await store.create({ name: 'ci', role: 'operator' });
    expect(secret).toMatch(/^msm_[A-Za-z0-9_-]{43}$/);
    expect(summary).toMatchObject({ name: 'ci', role: 'operator', expired: false });
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(4, 20));
    expect(text).toContain(hashTokenSecret(secret));
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('authenticates the secret it made, with the role and server limit', async () => {
    const { secret } = await store.create({ name: 'grafana', role: 'viewer', servers: ['aa', 'bb', 'aa'] });
    await store.create({ name: 'other', role: 'admin' });
    expect(await store.authenticate(secret)).toEqual({ ok: true, principal: { name: 'grafana', role: 'viewer', servers: ['aa', 'bb'] } });
    expect(await store.authenticate(`${secret}x`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await store.authenticate('')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('refuses an expired token, and a revoked one at once (another store instance wrote the file)', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { secret } = await store.create({ name: 'short', role: 'viewer', expiresInMs: 60_000 }, now);
    expect((await store.authenticate(secret, new Date('2030-01-01T00:00:59Z'))).ok).toBe(true);
    expect(await store.authenticate(secret, new Date('2030-01-01T00:01:00Z'))).toEqual({ ok: false, reason: 'expired' });

    const kept = await store.create({ name: 'kept', role: 'admin' });
    expect((await store.authenticate(kept.secret)).ok).toBe(true);
    await new TokensStore(file).revoke('kept');
    expect(await store.authenticate(kept.secret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('lists tokens without secrets or hashes', async () => {
    const { secret } = await store.create({ name: 'ci', role: 'operator', expiresInMs: 1000 }, new Date('2020-01-01T00:00:00Z'));
    const list = await store.list();
    expect(list).toEqual([{ name: 'ci', role: 'operator', created_at: '2020-01-01T00:00:00.000Z', expires_at: '2020-01-01T00:00:01.000Z', expired: true }]);
    expect(JSON.stringify(list)).not.toContain(hashTokenSecret(secret));
  });

  it('refuses a duplicate or invalid name and an unknown revoke, changing nothing', async () => {
    await store.create({ name: 'ci', role: 'viewer' });
    const before = await fs.readFile(file, 'utf8');
    expect(await rejection(store.create({ name: 'ci', role: 'admin' }))).toBeInstanceOf(ValidationError);
    expect(await rejection(store.create({ name: '-x', role: 'admin' }))).toBeInstanceOf(ValidationError);
    expect(await rejection(store.create({ name: 'a b', role: 'admin' }))).toBeInstanceOf(ValidationError);
    expect(await rejection(store.create({ name: 'ok', role: 'admin', servers: ['good', '../x'] }))).toBeInstanceOf(ValidationError);
    expect(await rejection(store.revoke('nope'))).toBeInstanceOf(NotFoundError);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
  });

  it('authenticates nobody when there is no file', async () => {
    expect(await store.authenticate('msm_anything')).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('secretMatches', () => {
  it('compares against the stored hash', () => {
    expect(secretMatches('abc', hashTokenSecret('abc'))).toBe(true);
    expect(secretMatches('abd', hashTokenSecret('abc'))).toBe(false);
    expect(secretMatches('abc', 'not-hex')).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '30', 'd', '0d', '-1d', '1y', '1.5d', '30 days'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(ValidationError);
  });
});
