/** The toy domain's names, import-safe for its workflow bundle. */
export const TOY = 'toy';
export const TOY_WORKFLOW = 'ingestToyEvent';
