import type { Readable } from 'node:stream';

/**
 * The storage port every writer uses: a flat namespace of '/'-separated paths relative to the store's root.
 * Implementations: the local lakehouse folder (local-store.ts) and OneLake / ADLS Gen2.
 */
export interface ObjectStore {
  /** Human-readable location for logs and errors (never contains credentials). */
  readonly location: string;
  /** The object's bytes, or undefined when it does not exist. */
  get(path: string): Promise<Buffer | undefined>;
  /** Writes the object, replacing any existing one. Readers never see a partially written object. */
  put(path: string, data: Uint8Array | Readable): Promise<number>;
  /**
   * Creates the object only if nothing exists at `path`, atomically: on success the whole body is visible at
   * once; when another writer got there first it returns false and changes nothing.
   */
  putIfAbsent(path: string, data: Uint8Array): Promise<boolean>;
  /** Names (not paths) of the objects directly inside `dir`; empty when `dir` does not exist. */
  list(dir: string): Promise<string[]>;
  /** Removes the object; a missing object is not an error. */
  delete(path: string): Promise<void>;
  /**
   * Every object under `dir`, at any depth, with its last-modified time (paths relative to the store's root, as
   * the other calls take them); empty when `dir` does not exist. For retention sweeps (maintenance), not hot paths.
   */
  listTree?(dir: string): Promise<StoredObject[]>;
}

/** `store.listTree(dir)`, or an error naming the store when it cannot list with times. */
export function listTreeOf(store: ObjectStore, dir: string): Promise<StoredObject[]> {
  if (!store.listTree) return Promise.reject(new Error(`${store.location}: this store cannot list objects with times`));
  return store.listTree(dir);
}

export interface StoredObject {
  readonly path: string;
  readonly modifiedMs: number;
}
