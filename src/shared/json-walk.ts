/**
 * A walk over a JSON-like value (arrays and plain objects, at any depth) without recursion: a message may nest
 * arrays hundreds of thousands of levels deep, and one call per level would overflow the stack.
 */

/** One array or object being copied: its children, what they became so far, and whether any changed. */
interface Frame {
  readonly source: object;
  readonly keys: readonly string[] | undefined; // undefined: an array
  readonly children: readonly unknown[];
  readonly done: unknown[];
  changed: boolean;
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

function open(value: object, isLeaf: (v: object) => boolean): Frame | undefined {
  if (isLeaf(value)) return undefined;
  if (Array.isArray(value)) return { source: value, keys: undefined, children: value, done: [], changed: false };
  const entries = Object.entries(value);
  return {
    source: value,
    keys: entries.map(([k]) => k),
    children: entries.map(([, v]) => v),
    done: [],
    changed: false,
  };
}

function close(frame: Frame): unknown {
  if (!frame.changed) return frame.source;
  const { keys, done } = frame;
  return keys === undefined ? done : Object.fromEntries(keys.map((k, i) => [k, done[i]]));
}

/**
 * A copy of `value` with `leaf` applied to every value that is not an array or an object (and to objects
 * `isLeaf` names, e.g. errors); an array or object none of whose children changed is kept itself (so a value
 * nothing changed comes back as it is). A value that contains itself is refused (TypeError), as JSON.stringify does.
 */
export function mapLeaves(
  value: unknown,
  leaf: (v: unknown) => unknown,
  isLeaf: (v: object) => boolean = () => false,
): unknown {
  const root = isContainer(value) ? open(value, isLeaf) : undefined;
  if (!root) return leaf(value);
  const stack: Frame[] = [root];
  const onPath = new Set<object>([root.source]);
  for (;;) {
    const top = stack[stack.length - 1];
    const i = top.done.length;
    if (i < top.children.length) {
      const child = top.children[i];
      const frame = isContainer(child) ? open(child, isLeaf) : undefined;
      if (frame) {
        if (onPath.has(frame.source)) throw new TypeError('cannot walk a value that contains itself');
        onPath.add(frame.source);
        stack.push(frame);
        continue;
      }
      const mapped = leaf(child);
      top.done.push(mapped);
      if (mapped !== child) top.changed = true;
      continue;
    }
    stack.pop();
    onPath.delete(top.source);
    const built = close(top);
    const parent = stack[stack.length - 1];
    if (!parent) return built;
    parent.done.push(built);
    if (built !== top.source) parent.changed = true;
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
