import { z } from 'zod';

/** One configuration key: its environment variable, default, one line of help and how it is parsed. */
export interface KeySpec<T> {
  readonly env: string;
  readonly default: string;
  readonly help: string;
  readonly schema: z.ZodType<T>;
  /** Masked by `config check`. */
  readonly secret?: boolean;
}

export function key<T>(env: string, def: string, help: string, schema: z.ZodType<T>): KeySpec<T> {
  return { env, default: def, help, schema };
}

export function secretKey<T>(env: string, def: string, help: string, schema: z.ZodType<T>): KeySpec<T> {
  return { env, default: def, help, schema, secret: true };
}

export const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port');
/** The non-empty items of a comma-separated list, trimmed. */
const items = (s: string): string[] =>
  s
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
export const hostPortList = z
  .string()
  .transform(items)
  .pipe(z.array(hostPort).min(1, 'expected at least one host:port'));
export const port = z.coerce.number().int().min(0).max(65535);
/** An IP address to listen on (IPv4 or IPv6; the Temporal SDK's metrics exporter takes no host names). */
export const listenAddress = z.union([z.ipv4(), z.ipv6()], 'expected an IPv4 or IPv6 address');
/** Comma-separated port numbers (1-65535), at least one. */
export const portList = z
  .string()
  .transform(items)
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,5}$/, 'expected port numbers')
          .transform(Number)
          .pipe(z.number().min(1).max(65535)),
      )
      .min(1, 'expected at least one port'),
  );
export const positiveInt = z.coerce.number().int().min(1);
export const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const hostList = z.string().transform((s) =>
  s
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0),
);
export const nonEmpty = z.string().trim().min(1, 'must not be empty');
/** Empty string = not set. */
export const optional = z.string().trim();
