import { z } from 'zod';
import { key, nonEmpty, optional, positiveInt, secretKey } from './schemas';

/** The claimx domain: its topic and group, the ClaimX API, and where its tables and media files go. */
export const CLAIMX_KEYS = {
  bridgeDomain: key(
    'BRIDGE_DOMAIN',
    'xact',
    'Which domain this bridge process consumes: xact (XACT_EVENTS_TOPIC / XACT_CONSUMER_GROUP) or claimx ' +
      '(CLAIMX_EVENTS_TOPIC / CLAIMX_CONSUMER_GROUP); run one bridge per domain',
    z.enum(['xact', 'claimx']),
  ),
  claimxEventsTopic: key('CLAIMX_EVENTS_TOPIC', 'claimx.events.raw', 'Topic of the claimx webhook events', nonEmpty),
  claimxConsumerGroup: key(
    'CLAIMX_CONSUMER_GROUP',
    'claimx-event-ingester',
    'Consumer group of the claimx bridge',
    nonEmpty,
  ),
  claimxApiUrl: key(
    'CLAIMX_API_URL',
    'https://www.claimxperience.com/service/cxedirest',
    'Base URL of the ClaimX REST API',
    z.url(),
  ),
  claimxApiToken: secretKey(
    'CLAIMX_API_TOKEN',
    '',
    'ClaimX API credential, sent as Authorization: Basic <token>; from a Secret. Empty: claimx enrichment fails ' +
      'with ClaimxNotConfigured (retried) until it is set',
    optional,
  ),
  claimxApiTimeoutS: key('CLAIMX_API_TIMEOUT_S', '30', 'Time limit of one ClaimX API request, in seconds', positiveInt),
  claimxApiMaxConcurrent: key(
    'CLAIMX_API_MAX_CONCURRENT',
    '20',
    'ClaimX API requests one worker has open at once',
    positiveInt,
  ),
  claimxApiSenderUsername: key(
    'CLAIMX_API_SENDER_USERNAME',
    'user@example.com',
    'senderUsername of the video collaboration report request',
    nonEmpty,
  ),
  claimxTablesPrefix: key(
    'CLAIMX_TABLES_PREFIX',
    'Tables',
    'Folder of the claimx Delta tables (claimx_events, claimx_projects, ..., claimx_attachments)',
    nonEmpty,
  ),
  claimxFilesPrefix: key(
    'CLAIMX_FILES_PREFIX',
    'Files/veriskPipeline/claimx',
    'Folder of the claimx media files ({project_id}/media/{file} below it)',
    nonEmpty,
  ),
} as const;
