import fs from 'node:fs';

/**
 * The contents of a certificate or key file a configuration key names; an unreadable file is an error naming the key,
 * so a wrong path in a Secret mount reads as such at start, not as a TLS handshake failure later.
 */
export function readPem(configKey: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${configKey}: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}
