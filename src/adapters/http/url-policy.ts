import { isAllowedExtension } from '../../shared/file-types';
import { fileNameOf, presignedExpiry, sanitizeUrl } from '../../shared/urls';
import { DownloadError } from './download-error';

export interface UrlPolicy {
  /** Exact host names (lower-case) attachments may come from (ALLOWED_ATTACHMENT_DOMAINS). */
  readonly allowedHosts: ReadonlySet<string>;
  /** Hosts that may be fetched over plain http (local testing only); everything else must be https. */
  readonly httpHosts: ReadonlySet<string>;
  /** Whether loopback addresses may be connected to (local sample server); other private ranges never are. */
  readonly allowLoopback: boolean;
  /** Ports an https URL may name (DOWNLOAD_ALLOWED_PORTS; default 443); plain-http test hosts take any port. */
  readonly allowedPorts?: ReadonlySet<number>;
}

const DEFAULT_PORTS: ReadonlySet<number> = new Set([443]);

/**
 * The checks made before any request and again for every redirect target: scheme, exact host allowlist, port,
 * presigned expiry (an expired URL fails without a request) and file extension.
 */
export function checkUrl(raw: string, policy: UrlPolicy, now: Date): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError('UrlNotAllowed', `not a valid URL: ${sanitizeUrl(raw).slice(0, 200)}`);
  }
  const shown = sanitizeUrl(raw);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (!host) throw new DownloadError('UrlNotAllowed', `URL has no host: ${shown}`);
  if (url.protocol === 'http:') {
    if (!policy.httpHosts.has(host))
      throw new DownloadError('UrlNotAllowed', `plain http is not allowed for ${host} (https only): ${shown}`);
  } else if (url.protocol !== 'https:') {
    throw new DownloadError('UrlNotAllowed', `scheme ${url.protocol} is not allowed (https only): ${shown}`);
  }
  if (!policy.allowedHosts.has(host))
    throw new DownloadError('UrlNotAllowed', `host ${host} is not in ALLOWED_ATTACHMENT_DOMAINS: ${shown}`);
  const port = url.port === '' ? 443 : Number(url.port);
  if (url.protocol === 'https:' && !(policy.allowedPorts ?? DEFAULT_PORTS).has(port))
    throw new DownloadError('UrlNotAllowed', `port ${port} is not in DOWNLOAD_ALLOWED_PORTS: ${shown}`);
  if (url.username || url.password)
    throw new DownloadError('UrlNotAllowed', `URLs with credentials are not allowed: ${shown}`);
  const expiry = presignedExpiry(raw, now);
  if (expiry?.expired) {
    throw new DownloadError(
      'PresignedUrlExpired',
      `presigned URL expired at ${expiry.expiresAt} (signed at ${expiry.signedAt}): ${shown}`,
    );
  }
  const { ext } = fileNameOf(raw);
  if (!ext) throw new DownloadError('FileTypeNotAllowed', `no file extension in ${shown}`);
  if (!isAllowedExtension(ext))
    throw new DownloadError('FileTypeNotAllowed', `file type .${ext} is not allowed: ${shown}`);
  return url;
}
