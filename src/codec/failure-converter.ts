import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The failure converter of a worker with payload encryption on (`failureConverterPath` of its data converter and of
 * its workflow bundle): a failure's message and stack trace go into `encodedAttributes`, a payload the codec
 * encrypts, so error text (which can name an attachment's URL) never reaches Temporal in the clear. Loaded inside
 * the workflow sandbox too: it must stay free of Node APIs.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
