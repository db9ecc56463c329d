import { z } from 'zod';
import { bool, hostList, key, portList, positiveInt } from './schemas';

/** The attachment hosts of the original system: the default of ALLOWED_ATTACHMENT_DOMAINS. */
const ORIGINAL_ALLOWED_HOSTS = [
  'usw2-prod-xn-exportreceiver-publish.s3.us-west-2.amazonaws.com',
  'claimxperience.s3.amazonaws.com',
  'claimxperience.s3.us-east-1.amazonaws.com',
  'www.claimxperience.com',
  'claimxperience.com',
  'xactware-claimx-us-prod.s3.us-west-1.amazonaws.com',
].join(',');

/** How attachments are transferred: the hosts and ports they may come from, size and time limits, retries. */
export const TRANSFER_KEYS = {
  allowedAttachmentDomains: key(
    'ALLOWED_ATTACHMENT_DOMAINS',
    ORIGINAL_ALLOWED_HOSTS,
    'Exact host names attachments may be downloaded from, comma-separated',
    hostList,
  ),
  downloadHttpHosts: key(
    'DOWNLOAD_HTTP_HOSTS',
    '',
    'Hosts that may be fetched over plain http (local testing only), comma-separated',
    hostList,
  ),
  downloadAllowedPorts: key(
    'DOWNLOAD_ALLOWED_PORTS',
    '443',
    'Ports an https attachment URL may name, comma-separated (DOWNLOAD_HTTP_HOSTS, local testing only, take any port)',
    portList,
  ),
  downloadAllowLoopback: key(
    'DOWNLOAD_ALLOW_LOOPBACK',
    'false',
    'Allow downloads from loopback addresses (local sample server only); other private ranges are always refused',
    bool,
  ),
  downloadMaxBytes: key(
    'DOWNLOAD_MAX_BYTES',
    String(2 * 1024 ** 3),
    'Largest attachment accepted, in bytes',
    positiveInt,
  ),
  downloadTimeoutS: key('DOWNLOAD_TIMEOUT_S', '1800', 'Time limit of one transfer attempt, in seconds', positiveInt),
  transferLocalMaxBytes: key(
    'TRANSFER_LOCAL_MAX_BYTES',
    String(8 * 1024 ** 2),
    'Largest attachment the first, local attempt of a transfer takes inside the workflow task; a larger one (or any failure) goes to the regular activity with heartbeats and retries; 0 = always regular',
    z.coerce.number().int().min(0),
  ),
  downloadIdleTimeoutS: key(
    'DOWNLOAD_IDLE_TIMEOUT_S',
    '60',
    'A transfer attempt fails when no byte arrives for this many seconds',
    positiveInt,
  ),
  downloadMaxRedirects: key(
    'DOWNLOAD_MAX_REDIRECTS',
    '5',
    'Redirect hops followed (each one re-validated)',
    z.coerce.number().int().min(0).max(20),
  ),
  retryInitialIntervalS: key(
    'RETRY_INITIAL_INTERVAL_S',
    '300',
    'First retry delay of a transient attachment failure (5/10/20/40-minute ladder by default)',
    positiveInt,
  ),
  retryBackoff: key('RETRY_BACKOFF', '2', 'Multiplier between retry delays', z.coerce.number().min(1)),
  retryMaxIntervalS: key('RETRY_MAX_INTERVAL_S', '2400', 'Longest retry delay, in seconds', positiveInt),
  retryMaxAttempts: key(
    'RETRY_MAX_ATTEMPTS',
    '5',
    'Attempts of a transfer before its event goes to the DLQ (first try included)',
    positiveInt,
  ),
  maxParallelAttachments: key(
    'MAX_PARALLEL_ATTACHMENTS',
    '4',
    'Attachments of one event transferred at the same time',
    positiveInt,
  ),
  maxAttachmentsPerEvent: key(
    'MAX_ATTACHMENTS_PER_EVENT',
    '100',
    'An xact event with more attachments (distinct URLs) is not run but sent to the DLQ as invalid (keeps its run within Temporal limits)',
    z.coerce.number().int().min(1).max(500),
  ),
} as const;
