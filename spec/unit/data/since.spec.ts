import { isSinceValue } from '../../../lib/data/since.js';

describe('isSinceValue (mcp log --since and the API\'s since)', () => {
  it.each(['10m', '1h30m', '1.5h', '500µs', '250ms', '1700000000', '1700000000.5', '2026-01-02', '2026-01-02T10:00', '2026-01-02T10:00:00Z', '2026-01-02T10:00:00.123+02:00'])(
    'takes %s',
    (value) => expect(isSinceValue(value)).toBe(true),
  );

  // "May 1 2026" and "2026/01/02" are dates JavaScript reads and docker does not.
  it.each(['yesterday', '-1h', '10 m', 'May 1 2026', '2026/01/02', '', '1h; rm -rf /'])('refuses %j', (value) => expect(isSinceValue(value)).toBe(false));
});
