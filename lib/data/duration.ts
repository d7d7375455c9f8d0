/** Durations as people type them for expiries: `90s`, `15m`, `12h`, `30d`, `2w`. */
import { ValidationError } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) throw new ValidationError(`invalid duration "${text}": use a number and a unit, e.g. 90s, 15m, 12h, 30d, 2w`, 'INVALID_DURATION');
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  if (ms <= 0) throw new ValidationError(`invalid duration "${text}": it must be longer than zero`, 'INVALID_DURATION');
  return ms;
}
