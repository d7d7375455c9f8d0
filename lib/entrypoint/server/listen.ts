/**
 * Where the service listens, and whether it may: `--listen ADDR:PORT` (IPv6 in brackets), loopback
 * by default. Anything but loopback needs TLS, or `--allow-insecure-http` to say plain HTTP off
 * this machine is intended (tokens would cross the network in clear).
 */
import net from 'node:net';
import { ValidationError } from '../../errors.js';

export const DEFAULT_LISTEN = '127.0.0.1:8765';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const host = match ? (match[1] ?? match[2] ?? '') : '';
  const port = match ? Number(match[3]) : NaN;
  if (!match || host === '' || !(port >= 0 && port <= 65535) || !(net.isIP(host) !== 0 || host === 'localhost')) {
    throw new ValidationError(`invalid --listen "${text}": use ADDRESS:PORT with an IP address, e.g. 127.0.0.1:8765, [::1]:8765 or 0.0.0.0:8443`, 'INVALID_LISTEN');
  }
  return { host, port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

export function checkExposure(address: ListenAddress, { tls, allowInsecureHttp }: { tls: boolean; allowInsecureHttp: boolean }): void {
  if (isLoopback(address.host) || tls || allowInsecureHttp) return;
  throw new ValidationError(
    `refusing to serve plain HTTP on ${address.host}, which is not a loopback address: tokens would cross the network in clear; give --tls-cert and --tls-key, or --allow-insecure-http if a proxy in front terminates TLS`,
    'INSECURE_LISTEN',
  );
}

/** The URL people and clients use to reach the service. */
export function serviceUrl(address: ListenAddress, tls: boolean): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}
