/**
 * A walk over a JSON-like value (arrays and plain objects, at any depth) without recursion: a message may nest
 * arrays hundreds of thousands of levels deep, and one call per level would overflow the stack.
 */

/** One array or object being copied: its children, what they became so far, and whether any changed. */
interface Frame {
  readonly origin: object; // the value met in the walk (`source` unless `view` gave another)
  readonly source: object;
  readonly keys: readonly string[] | undefined; // undefined: an array
  readonly children: readonly unknown[];
  readonly done: unknown[];
  changed: boolean;
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

/** How mapLeaves treats objects beyond plain ones: all optional. */
export interface WalkOptions {
  /** Objects passed to `leaf` as they are instead of being opened (e.g. errors, to map them as a whole). */
  readonly isLeaf?: (v: object) => boolean;
  /** The object to walk in place of `v` (e.g. an error as a plain object of its fields); its copy is returned. */
  readonly view?: (v: object) => object;
  /** What a value met again inside itself becomes; without it such a value is refused (TypeError). */
  readonly onCycle?: (v: object) => unknown;
  /** Containers nested deeper than this are replaced by `tooDeep`. */
  readonly maxDepth?: number;
  readonly tooDeep?: unknown;
}

function open(value: object, opts: WalkOptions): Frame | undefined {
  if (opts.isLeaf?.(value)) return undefined;
  const source = opts.view?.(value) ?? value;
  const changed = source !== value;
  if (Array.isArray(source)) return { origin: value, source, keys: undefined, children: source, done: [], changed };
  const entries = Object.entries(source);
  return {
    origin: value,
    source,
    keys: entries.map(([k]) => k),
    children: entries.map(([, v]) => v),
    done: [],
    changed,
  };
}

function close(frame: Frame): unknown {
  if (!frame.changed) return frame.source;
  const { keys, done } = frame;
  return keys === undefined ? done : Object.fromEntries(keys.map((k, i) => [k, done[i]]));
}

/** What a child becomes without being opened: a leaf's value, or what a loop or too deep a nesting is written as. */
function settle(
  child: unknown,
  stack: Frame[],
  onPath: Set<object>,
  opts: WalkOptions,
): { value: unknown } | undefined {
  if (!isContainer(child) || opts.isLeaf?.(child)) return undefined;
  if (onPath.has(child)) {
    if (!opts.onCycle) throw new TypeError('cannot walk a value that contains itself');
    return { value: opts.onCycle(child) };
  }
  return opts.maxDepth !== undefined && stack.length >= opts.maxDepth ? { value: opts.tooDeep } : undefined;
}

/**
 * A copy of `value` with `leaf` applied to every value that is not an array or an object (and to objects
 * `opts.isLeaf` names); an array or object none of whose children changed is kept itself (so a value nothing
 * changed comes back as it is). A value that contains itself is refused (TypeError), as JSON.stringify does, unless
 * `opts.onCycle` says what to write instead. A value seen twice but not inside itself is walked each time.
 */
export function mapLeaves(value: unknown, leaf: (v: unknown) => unknown, opts: WalkOptions = {}): unknown {
  const root = isContainer(value) ? open(value, opts) : undefined;
  if (!root) return leaf(value);
  const stack: Frame[] = [root];
  const onPath = new Set<object>([root.origin]);
  for (let top = root; ; ) {
    const i = top.done.length;
    if (i < top.children.length) {
      const child = top.children[i];
      const settled = settle(child, stack, onPath, opts);
      const frame = !settled && isContainer(child) ? open(child, opts) : undefined;
      if (frame) {
        onPath.add(frame.origin);
        stack.push(frame);
        top = frame;
        continue;
      }
      const mapped = settled ? settled.value : leaf(child);
      top.done.push(mapped);
      if (mapped !== child) top.changed = true;
      continue;
    }
    stack.pop();
    onPath.delete(top.origin);
    const built = close(top);
    const parent = stack.at(-1);
    if (!parent) return built;
    parent.done.push(built);
    if (built !== top.origin) parent.changed = true;
    top = parent;
  }
}

/**
 * JSON.stringify, or undefined when the value nests too deep for it (RangeError: JSON.parse reads any depth,
 * JSON.stringify recurses once per level).
 */
export function stringifyOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}
