/** known_hosts verdicts and host key algorithm order, with real keys made by ssh-keygen. */
import { preferredHostKeyAlgorithms, parseKnownHosts, verifyHostKey } from '../../../../lib/core/exec/knownHosts.js';

const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBIAn8DR3NjLfRNMQzCXIbHbBbZwZ6LkEcOAA+HtMSOSiXcQ79yfz/UcbkEiyWcTlkm17ACtxEK6Rx2ZakMTW5U=';
const OTHER_ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBO5bMaes4VZUyjdKrbUlHb0UI5muafFaFH862ac6YrFehMDlp0Nmm2slRXz0k3bumJfWnAlAPkUck0rQeQjjuY0=';
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID9ddjBTbOVSUNRqclCcINPCtlFpsbO4HWyJTbCBbaAO';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCoGaAz/3X6vF9rfu/EPXg6LxJa7kprwCKsvCOICr/hTz8CuQ9XDklKWk0GnH1JZ5aBW4GOEhhpjMd4mdXKarT0fIpk9Bo1+9aa0Ku2tzvjIVPbP70zw10O3qRj2N43lUkp6SLWC/LmbEUlMgOGeUmO7qF8PjXWQU35SPm8M4HGPYuWon75q7BxkSRgLiz6mgdOJdLvvvt2LGQk08jMuGKR9KXS1/dUzfCLHASwe/rCjzf7t9P8Dj3+YJkS3IIcUN2iP4pXkPvas7UqHHzM9IqPJSc9VsjLtIaaJy0ugE2MLLTs9kB5NV2Qk/klPU9yMjQU/MhTNCEgfLp2X4dJtjuf';

const blob = (line: string) => Buffer.from(line.split(' ')[1] as string, 'base64');
const names = ['10.0.0.5', 'alpha'];

describe('verifyHostKey', () => {
  it('a key listed for the host is known', () => {
    expect(verifyHostKey(parseKnownHosts(`10.0.0.5 ${ECDSA}\n`), names, blob(ECDSA))).toEqual({ kind: 'known' });
  });

  it('another key of the SAME type is a changed key', () => {
    expect(verifyHostKey(parseKnownHosts(`10.0.0.5 ${ECDSA}\n`), names, blob(OTHER_ECDSA))).toEqual({ kind: 'changed', knownTypes: ['ecdsa-sha2-nistp256'] });
  });

  it('a key of a type known_hosts has none of for the host is not a changed key', () => {
    expect(verifyHostKey(parseKnownHosts(`10.0.0.5 ${ECDSA}\nalpha ${RSA}\n`), names, blob(ED25519))).toEqual({
      kind: 'other-type',
      knownTypes: ['ecdsa-sha2-nistp256', 'ssh-rsa'],
    });
  });

  it('an unlisted host is unknown; a revoked key is revoked', () => {
    expect(verifyHostKey(parseKnownHosts(`10.9.9.9 ${ECDSA}\n`), names, blob(ECDSA))).toEqual({ kind: 'unknown' });
    expect(verifyHostKey(parseKnownHosts(`@revoked * ${ECDSA}\n10.0.0.5 ${ECDSA}\n`), names, blob(ECDSA))).toEqual({ kind: 'revoked' });
  });
});

describe('preferredHostKeyAlgorithms', () => {
  it('offers the algorithms of the key types known for the host, RSA as its three signature algorithms', () => {
    const entries = parseKnownHosts(`10.0.0.5 ${ECDSA}\nalpha ${RSA}\nother ${ED25519}\n@revoked 10.0.0.5 ${ED25519}\n`);
    expect(preferredHostKeyAlgorithms(entries, names)).toEqual(['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });

  it('nothing known, or only types ssh2 cannot speak: no preference (ssh2 defaults)', () => {
    expect(preferredHostKeyAlgorithms([], names)).toEqual([]);
    expect(preferredHostKeyAlgorithms(parseKnownHosts('10.0.0.5 sk-ssh-ed25519@openssh.com AAAA\n'), names)).toEqual([]);
  });
});
