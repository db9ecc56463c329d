import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config/config';
import { parsePayloadKeys } from '../config/payload-keys';
import { EncryptionCodec } from './encryption-codec';

/** The configuration payload encryption is built from. */
export type PayloadEncryptionSettings = Pick<Config, 'temporalPayloadEncryption' | 'temporalPayloadKeys'>;

/** Path of the failure converter module a worker and its workflow bundle load when encryption is on. */
export const ENCRYPTED_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The codec of TEMPORAL_PAYLOAD_KEYS (null when no key is set): it encrypts when TEMPORAL_PAYLOAD_ENCRYPTION is on
 * and otherwise only decrypts, so keys can be given to every process before encryption is switched on, and
 * encrypted histories stay readable after it is switched off.
 */
export function payloadCodec(config: PayloadEncryptionSettings): EncryptionCodec | null {
  if (config.temporalPayloadKeys === '') return null;
  return new EncryptionCodec(parsePayloadKeys(config.temporalPayloadKeys), config.temporalPayloadEncryption);
}

/**
 * The data converter of every Temporal client and worker of the pipeline: the SDK default, plus (encryption on)
 * the encryption codec and the failure converter that moves error text into an encrypted payload. Bridge, worker
 * and CLI must agree: a worker without the key cannot read what the bridge started.
 */
export function temporalDataConverter(config: PayloadEncryptionSettings): DataConverter | undefined {
  const codec = payloadCodec(config);
  if (!codec) return undefined;
  return codec.encrypt
    ? { payloadCodecs: [codec], failureConverterPath: ENCRYPTED_FAILURE_CONVERTER_PATH }
    : { payloadCodecs: [codec] };
}
