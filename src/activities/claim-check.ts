import { createHash } from 'node:crypto';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { ClaimCheck } from '../shared/pipeline-types';
import { decodeXactEvent, type XactEvent } from '../shared/xact-event';
import { failure } from './failures';

/**
 * Reads a large event from its claim check (written by the bridge before it started the run). Refuses anything but
 * the exact bytes the bridge stored: a missing object or another content is ClaimCheckUnreadable (permanent, the
 * run becomes a DLQ entry); a storage error is transient and retried.
 */
export async function loadClaimCheck(
  store: ObjectStore,
  ref: ClaimCheck,
): Promise<{ event: XactEvent; rawJson: string }> {
  let bytes: Buffer | undefined;
  try {
    bytes = await store.get(ref.path);
  } catch (err) {
    throw failure('StorageTransient', `reading claim check ${ref.path} failed: ${String(err)}`);
  }
  if (!bytes) throw failure('ClaimCheckUnreadable', `claim check ${ref.path} does not exist in ${store.location}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== ref.bytes || sha256 !== ref.sha256)
    throw failure(
      'ClaimCheckUnreadable',
      `claim check ${ref.path} holds ${bytes.length} bytes (sha256 ${sha256}), expected ${ref.bytes} (sha256 ${ref.sha256})`,
    );
  const rawJson = bytes.toString('utf8');
  const decoded = decodeXactEvent(rawJson);
  if (!decoded.ok)
    throw failure('ClaimCheckUnreadable', `claim check ${ref.path} is not an xact event: ${decoded.reason}`);
  return { event: decoded.event, rawJson };
}
