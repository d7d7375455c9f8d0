import { parseEngineFacts } from '../../../../lib/core/docker/parseEngineFacts.js';

it('reads the version and clock docker info prints', () => {
  expect(parseEngineFacts('"20.10.24+dfsg1" "2026-11-29T13:04:39.840998476Z"\n')).toEqual({ version: '20.10.24+dfsg1', systemTime: '2026-11-29T13:04:39.840998476Z' });
});

it('gives nothing for anything else', () => {
  expect(parseEngineFacts('')).toBeUndefined();
  expect(parseEngineFacts('"20.10" "not a time"')).toBeUndefined();
  expect(parseEngineFacts('Cannot connect to the Docker daemon')).toBeUndefined();
});
