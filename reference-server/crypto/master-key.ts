import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { inspect } from "node:util";
import { CryptoError } from "./errors.ts";
import { b64, decodeBase64Strict, importLongLivedKey, KEY_BYTES } from "./primitives.ts";

/** Environment variable holding a single base64 master key; it becomes the current key. */
export const MASTER_KEY_ENV = "PARITY_MASTER_KEY";

/** On-disk key file (JSON). `v` may be omitted by hand-written files; it is always written. */
export interface KeyFile {
  v?: 1;
  current: string;
  keys: Record<string, string>;
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const ID_LABEL = Buffer.from("s3-parity/master-key-id/v1", "utf8");

/**
 * Deterministic id of a master key: "mk-" + first 16 hex digits of SHA-256(label ‖ key). Used for
 * the env key and for generated keys, so the same key always gets the same id across restarts
 * (sealed records name their master key by id). A 64-bit fingerprint of a random 256-bit key
 * reveals nothing usable about it.
 */
export function masterKeyId(key: Uint8Array): string {
  return "mk-" + createHash("sha256").update(ID_LABEL).update(key).digest("hex").slice(0, 16);
}

function badKey(message: string, cause?: unknown): CryptoError {
  return new CryptoError("InvalidKeyMaterial", message, {}, cause);
}

function checkKey(key: Uint8Array, where: string): Buffer {
  if (key.length !== KEY_BYTES) {
    throw badKey(`${where}: a master key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return Buffer.from(key);
}

function decodeKey(value: unknown, where: string): Buffer {
  if (typeof value !== "string") throw badKey(`${where}: the key must be a base64 string`);
  const key = decodeBase64Strict(value.trim());
  if (key === undefined) throw badKey(`${where}: the key is not valid base64`);
  return checkKey(key, where);
}

/**
 * The server's master keys. Immutable: rotation returns a new keyring. Old keys stay so records
 * sealed under them can still be opened until they are re-sealed and the key is dropped.
 */
export class Keyring {
  readonly currentId: string;
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(keys: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>, currentId: string) {
    const entries = keys instanceof Map ? [...keys] : Object.entries(keys);
    const map = new Map<string, Buffer>();
    for (const [id, key] of entries) {
      if (!ID_PATTERN.test(id)) throw badKey(`key id ${JSON.stringify(id)} must match ${ID_PATTERN}`);
      const checked = checkKey(key, `key ${id}`);
      importLongLivedKey(checked);
      map.set(id, checked);
    }
    if (!map.has(currentId)) throw badKey(`current key ${JSON.stringify(currentId)} is not in the keyring`);
    this.#keys = map;
    this.currentId = currentId;
  }

  /** The key new records are sealed under. */
  get current(): { id: string; key: Buffer } {
    return { id: this.currentId, key: this.#keys.get(this.currentId)! };
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /** The key with this id; UnknownMasterKey if it was dropped (or never existed). */
  get(id: string): Buffer {
    const key = this.#keys.get(id);
    if (key === undefined) {
      throw new CryptoError("UnknownMasterKey", `master key ${JSON.stringify(id)} is not in the keyring`);
    }
    return key;
  }

  /** A keyring with `key` (random by default) added as the current key; existing keys kept. */
  withNewCurrent(key: Uint8Array = randomBytes(KEY_BYTES), id: string = masterKeyId(key)): Keyring {
    const existing = this.#keys.get(id);
    if (existing !== undefined && !existing.equals(key)) {
      throw badKey(`key id ${JSON.stringify(id)} already names a different key`);
    }
    const map = new Map(this.#keys);
    map.set(id, Buffer.from(key));
    return new Keyring(map, id);
  }

  /** A keyring without `id` (after every record sealed under it was re-sealed). */
  without(id: string): Keyring {
    if (id === this.currentId) throw badKey("cannot drop the current master key");
    const map = new Map(this.#keys);
    map.delete(id);
    return new Keyring(map, this.currentId);
  }

  /** The key file content. Explicit (not toJSON) so that logging a keyring never prints keys. */
  toKeyFile(): KeyFile {
    const keys: Record<string, string> = {};
    for (const [id, key] of this.#keys) keys[id] = b64(key);
    return { v: 1, current: this.currentId, keys };
  }

  toJSON(): { current: string; ids: string[] } {
    return { current: this.currentId, ids: this.ids };
  }

  [inspect.custom](): string {
    return `Keyring { current: ${this.currentId}, ids: [${this.ids.join(", ")}] }`;
  }
}

/** Parses key file JSON text; InvalidKeyMaterial with the reason on anything malformed. */
export function parseKeyFile(text: string, where = "key file"): Keyring {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw badKey(`${where}: not valid JSON`, e);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw badKey(`${where}: expected an object { "current": id, "keys": { id: base64 } }`);
  }
  const { v, current, keys } = raw as Record<string, unknown>;
  if (v !== undefined && v !== 1) throw badKey(`${where}: unsupported version ${JSON.stringify(v)}`);
  if (typeof current !== "string") throw badKey(`${where}: "current" must be a key id`);
  if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
    throw badKey(`${where}: "keys" must be an object of id → base64 key`);
  }
  const map = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keys)) map.set(id, decodeKey(value, `${where}: key ${id}`));
  return new Keyring(map, current);
}

/** The keyring of PARITY_MASTER_KEY alone, or undefined when the variable is unset or empty. */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const value = env[MASTER_KEY_ENV];
  if (value === undefined || value.trim() === "") return undefined;
  const key = decodeKey(value, MASTER_KEY_ENV);
  return new Keyring(new Map([[masterKeyId(key), key]]), masterKeyId(key));
}

/** Reads a key file. A missing file is an error here (see loadOrCreateKeyring). */
export async function loadKeyring(file: string): Promise<Keyring> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw badKey(`cannot read key file ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`, e);
  }
  return parseKeyFile(text, `key file ${file}`);
}

async function readIfExists(file: string): Promise<Keyring | undefined> {
  try {
    return parseKeyFile(await readFile(file, "utf8"), `key file ${file}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e instanceof CryptoError ? e : badKey(`cannot read key file ${file}`, e);
  }
}

/**
 * The server's keyring:
 * - PARITY_MASTER_KEY set: that key is current; if the key file exists too its keys are kept for
 *   unsealing older records. Nothing is written (env key material never goes to disk).
 * - else the key file if it exists;
 * - else a new key file with one random key, created 0600 and atomically (a concurrent creator wins
 *   and its file is loaded instead, so two processes never end up with different keys).
 */
export async function loadOrCreateKeyring(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Keyring> {
  const fromEnv = keyringFromEnv(env);
  const fromFile = await readIfExists(file);
  if (fromEnv !== undefined) {
    return fromFile === undefined ? fromEnv : fromFile.withNewCurrent(fromEnv.current.key, fromEnv.currentId);
  }
  if (fromFile !== undefined) return fromFile;
  const key = randomBytes(KEY_BYTES);
  const created = new Keyring(new Map([[masterKeyId(key), key]]), masterKeyId(key));
  if (await writeKeyFileAtomic(file, created, { exclusive: true })) return created;
  return loadKeyring(file);
}

/**
 * Rotation: adds a new random current key to the key file and returns the new keyring. Old keys
 * stay; re-seal records (resealObjectKey) and then drop them with saveKeyring(file, k.without(id)).
 * Not locked against a concurrent rotate of the same file (an admin operation, run once).
 */
export async function rotate(keyringFile: string): Promise<Keyring> {
  const next = (await loadKeyring(keyringFile)).withNewCurrent();
  await saveKeyring(keyringFile, next);
  return next;
}

/** Replaces the key file atomically (0600). */
export async function saveKeyring(file: string, keyring: Keyring): Promise<void> {
  await writeKeyFileAtomic(file, keyring, { exclusive: false });
}

/**
 * Writes to a temp file (0600, fsync'd) then renames it over `file`, or links it to `file` when
 * `exclusive` (link fails on an existing file; returns false then). Either way a reader sees the
 * old complete file or the new complete file, never a partial one.
 */
async function writeKeyFileAtomic(
  file: string,
  keyring: Keyring,
  opts: { exclusive: boolean },
): Promise<boolean> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(JSON.stringify(keyring.toKeyFile(), null, 2) + "\n", "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  let written = true;
  try {
    if (opts.exclusive) {
      try {
        await link(tmp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        written = false;
      }
      await unlink(tmp);
    } else {
      await rename(tmp, file);
    }
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dir);
  return written;
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename/link itself durable; some platforms cannot open a directory, which is fine.
  const handle = await open(dir, "r").catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => {});
  } finally {
    await handle.close();
  }
}
