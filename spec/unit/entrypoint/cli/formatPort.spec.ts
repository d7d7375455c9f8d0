import { parsePorts } from '../../../../lib/core/docker/parseInspect.js';
import { formatPort } from '../../../../lib/entrypoint/cli/output.js';

describe('formatPort', () => {
  // NetworkSettings.Ports as docker 20.10+ records a port published on both address families.
  const ports = parsePorts({
    '8080/tcp': [
      { HostIp: '0.0.0.0', HostPort: '18000' },
      { HostIp: '::', HostPort: '18000' },
    ],
    '9000/udp': [{ HostIp: '127.0.0.1', HostPort: '19000' }],
    '7000/tcp': null,
  });

  it('prints each binding as docker ps does: IPv6 in brackets, protocol kept, unpublished as port/proto', () => {
    expect(ports.map(formatPort).sort()).toEqual(['0.0.0.0:18000->8080/tcp', '127.0.0.1:19000->9000/udp', '7000/tcp', '[::]:18000->8080/tcp']);
  });

  it('a binding without a host address is on every address', () => {
    expect(formatPort({ container_port: 80, protocol: 'tcp', host_port: 8080 })).toBe('0.0.0.0:8080->80/tcp');
  });
});
