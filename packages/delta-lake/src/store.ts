/**
 * The storage the writer needs: a flat namespace of '/'-separated paths relative to the lakehouse root. Any store
 * with these five calls will do (a local folder, ADLS Gen2 / OneLake, an in-memory map in tests).
 */
export interface DeltaStore {
  /** The object's bytes, or undefined when it does not exist. */
  get(path: string): Promise<Buffer | undefined>;
  /** Writes the object, replacing any existing one; readers never see a partially written object. */
  put(path: string, data: Uint8Array): Promise<number>;
  /**
   * Creates the object only if nothing exists at `path`, atomically: true when it was created, false (and nothing
   * changed) when another writer got there first. Commits to the log rely on it.
   */
  putIfAbsent(path: string, data: Uint8Array): Promise<boolean>;
  /** Names (not paths) of the objects directly inside `dir`; empty when `dir` does not exist. */
  list(dir: string): Promise<string[]>;
  /** Removes the object; a missing object is not an error. */
  delete(path: string): Promise<void>;
}
