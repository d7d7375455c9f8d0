/**
 * Terminal output: the only place that writes to stdout/stderr. With --json, stdout carries
 * exactly one JSON document and nothing else; human output goes through here too, coloured only
 * when stdout is a terminal and NO_COLOR is unset (or --no-color).
 */
import picocolors from 'picocolors';
import type { PortBinding, ServerStatus } from '../../data/models.js';
import type { GlobalArgs } from './context.js';

type Colors = ReturnType<typeof picocolors.createColors>;

export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly colors: Colors;
  /** A terminal both ways, not CI, not --json: spinners and prompts are allowed. */
  readonly interactive: boolean;
  printJson(value: unknown): void;
  line(text?: string): void;
  error(text: string): void;
  warn(text: string): void;
  debug(text: string): void;
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void;
  status(status: ServerStatus | undefined): string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** The output a command's global flags ask for: --json, --verbose, --no-color. */
export function outputFor(args: Pick<GlobalArgs, 'json' | 'verbose' | 'color'>): Output {
  return createOutput({ json: Boolean(args.json), verbose: Boolean(args.verbose), color: args.color !== false });
}

export function createOutput(options: { json: boolean; verbose: boolean; color: boolean }): Output {
  const env = process.env;
  const colorEnabled = options.color && !('NO_COLOR' in env) && (Boolean(process.stdout.isTTY) || Boolean(env.FORCE_COLOR));
  const colors = picocolors.createColors(colorEnabled);
  const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !options.json && !env.CI;
  const write = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`);

  return {
    json: options.json,
    verbose: options.verbose,
    colors,
    interactive,
    printJson: (value) => write(process.stdout, JSON.stringify(value, null, 2)),
    line: (text = '') => {
      if (!options.json) write(process.stdout, text);
    },
    error: (text) => write(process.stderr, `${colors.red('error:')} ${text}`),
    warn: (text) => write(process.stderr, `${colors.yellow('warning:')} ${text}`),
    debug: (text) => {
      if (options.verbose) write(process.stderr, colors.dim(text));
    },
    table: (headers, rows) => {
      const widths = headers.map((header, col) => Math.max(header.length, ...rows.map((row) => visibleLength(row[col] ?? ''))));
      const render = (cells: readonly string[]) =>
        cells
          .map((cell, col) => (col === cells.length - 1 ? cell : cell + ' '.repeat((widths[col] ?? 0) - visibleLength(cell))))
          .join('  ')
          .trimEnd();
      write(process.stdout, colors.bold(render(headers)));
      for (const row of rows) write(process.stdout, render(row));
    },
    status: (status) => {
      switch (status) {
        case 'running':
          return colors.green(status);
        case 'error':
          return colors.red(status);
        case 'unknown':
          return colors.yellow(status);
        case 'starting':
        case 'stopping':
          return colors.cyan(status);
        default:
          return colors.dim(status ?? 'unknown');
      }
    },
  };
}

/** Bytes for people: binary units, as docker prints memory. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)}${units[unit]}`;
}

/**
 * A port binding as docker prints it: `127.0.0.1:8080->8080/tcp`, `[::]:8080->8080/tcp` (IPv6
 * addresses in brackets), `8080/tcp` when not published.
 */
export function formatPort(port: PortBinding): string {
  if (!port.host_port) return `${port.container_port}/${port.protocol}`;
  const ip = port.host_ip || '0.0.0.0';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port.host_port}->${port.container_port}/${port.protocol}`;
}
