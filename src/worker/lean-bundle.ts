import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/**
 * The prebuilt workflow bundles (`npm run build`, scripts/build-workflow-bundle.ts) as lean as the SDK allows: every
 * worker holds its bundle in the workflow thread's heap for as long as it runs (issue 32, worker memory).
 *
 * - The inline source map without the sources' text, by line: the SDK needs the map (it maps workflow stack traces to
 *   the TypeScript sources: file and line, the column is lost), but reads the text only for `showStackTraceSources`,
 *   which the worker does not set. The text was 0.6 MB of the map's 0.9 MB, kept base64-encoded and decoded in the
 *   thread; the column mappings were 48,500 segments against 10,000 by line, and the SDK's source map reader (the
 *   `source-map` package, WebAssembly) held 6 MB of memory for them in the workflow thread.
 * - ASCII only: V8 keeps a source text holding any character past Latin-1 at two bytes per character; ten of them
 *   (dashes, an ellipsis, a section sign, in comments and messages) had the 1.8 MB bundle take 3.5 MB.
 */
export async function bundleLean(options: BundleOptions): Promise<string> {
  const { code } = await bundleWorkflowCode({
    ...options,
    webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-cheap-module-source-map' }),
  });
  return asciiOnly(code);
}

/**
 * `code` with every non-ASCII character written as its `\uXXXX` escape, which means the same in a string, a
 * template, a regular expression, an identifier or a comment; no line moves, so the line mappings stay right.
 * U+2028 and U+2029 end a line comment where they stand, which their escape would not: a bundle holding one is
 * refused rather than changed.
 */
export function asciiOnly(code: string): string {
  const separator = /[\u2028\u2029]/.exec(code);
  if (separator) throw new Error(`workflow bundle: a line or paragraph separator at ${separator.index}; remove it`);
  return code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
