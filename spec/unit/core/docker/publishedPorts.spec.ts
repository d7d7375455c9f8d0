import { collides, parsePublish, publishedPorts } from '../../../../lib/core/docker/publishedPorts.js';
import { parseDockerCommand } from '../../../../lib/core/docker/parseRun.js';

describe('parsePublish', () => {
  it.each([
    ['8080:80', [{ hostIp: '', hostPort: 8080, protocol: 'tcp' }]],
    ['127.0.0.1:8080:80', [{ hostIp: '127.0.0.1', hostPort: 8080, protocol: 'tcp' }]],
    ['0.0.0.0:53:53/udp', [{ hostIp: '', hostPort: 53, protocol: 'udp' }]],
    ['[::1]:9000:9000', [{ hostIp: '::1', hostPort: 9000, protocol: 'tcp' }]],
    ['8000-8001:8000-8001', [{ hostIp: '', hostPort: 8000, protocol: 'tcp' }, { hostIp: '', hostPort: 8001, protocol: 'tcp' }]],
    ['80', []],
    ['127.0.0.1::80', []],
    ['${PORT}:80', []],
  ])('%s', (value, expected) => {
    expect(parsePublish(value)).toEqual(expected);
  });
});

it('reads every -p/--publish of a command', () => {
  const parsed = parseDockerCommand('docker run -d -p 127.0.0.1:8082:8082 --publish=9000:9000/udp -e A=1 img --port 8082');
  expect(publishedPorts(parsed)).toEqual([
    { hostIp: '127.0.0.1', hostPort: 8082, protocol: 'tcp' },
    { hostIp: '', hostPort: 9000, protocol: 'udp' },
  ]);
});

describe('collides', () => {
  const at = (hostIp: string, hostPort = 8080, protocol = 'tcp') => ({ hostIp, hostPort, protocol });
  it.each([
    [at(''), at('127.0.0.1'), true],
    [at('127.0.0.1'), at('127.0.0.1'), true],
    [at('127.0.0.1'), at('127.0.0.2'), false],
    [at(''), at('', 8081), false],
    [at('', 53, 'udp'), at('', 53, 'tcp'), false],
  ])('%o and %o: %s', (a, b, expected) => {
    expect(collides(a, b)).toBe(expected);
  });
});
