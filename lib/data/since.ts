/**
 * What docker accepts for `logs --since`, for the CLI's flag and the API's query alike: a Go
 * duration (10m, 1h30m, 500µs), a Unix timestamp, or a date with an optional time and zone
 * (the layouts docker's GetTimestamp reads).
 */
export const SINCE_PATTERN = '^((\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+|\\d+(\\.\\d+)?|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?)$';

const SINCE = new RegExp(SINCE_PATTERN, 'u');

export function isSinceValue(value: string): boolean {
  return SINCE.test(value);
}
