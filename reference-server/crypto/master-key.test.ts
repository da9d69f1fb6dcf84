import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { CryptoError } from "./errors.ts";
import {
  Keyring,
  keyringFromEnv,
  loadKeyring,
  loadOrCreateKeyring,
  MASTER_KEY_ENV,
  masterKeyId,
  parseKeyFile,
  rotate,
  saveKeyring,
} from "./master-key.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "parity-keys-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const fileText = JSON.stringify({
  current: "k2",
  keys: { k1: k1.toString("base64"), k2: k2.toString("base64") },
});

async function rejectsWith(p: Promise<unknown>, code: string): Promise<CryptoError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CryptoError);
  expect((e as CryptoError).code).toBe(code);
  return e as CryptoError;
}

function throwsWith(fn: () => unknown, code: string): CryptoError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).code).toBe(code);
    return e as CryptoError;
  }
  throw new Error("expected a throw");
}

describe("key file", () => {
  test("parses ids, keys and the current key (v optional)", () => {
    const ring = parseKeyFile(fileText);
    expect(ring.currentId).toBe("k2");
    expect(ring.ids).toEqual(["k1", "k2"]);
    expect(ring.get("k1").equals(k1)).toBe(true);
    expect(ring.current.key.equals(k2)).toBe(true);
    expect(parseKeyFile(JSON.stringify(ring.toKeyFile())).toKeyFile()).toEqual(ring.toKeyFile());
  });

  test.each([
    ["not JSON", "{", /not valid JSON/],
    ["an array", "[]", /expected an object/],
    ["no current", JSON.stringify({ keys: { a: k1.toString("base64") } }), /"current"/],
    [
      "current not in keys",
      JSON.stringify({ current: "b", keys: { a: k1.toString("base64") } }),
      /not in the keyring/,
    ],
    [
      "short key",
      JSON.stringify({ current: "a", keys: { a: randomBytes(16).toString("base64") } }),
      /32 bytes, got 16/,
    ],
    ["bad base64", JSON.stringify({ current: "a", keys: { a: "not*base64" } }), /not valid base64/],
    ["non-string key", JSON.stringify({ current: "a", keys: { a: 42 } }), /base64 string/],
    ["bad id", JSON.stringify({ current: "a b", keys: { "a b": k1.toString("base64") } }), /must match/],
    ["future version", JSON.stringify({ v: 2, current: "a", keys: { a: k1.toString("base64") } }), /version/],
  ])("rejects %s with InvalidKeyMaterial", (_name, text, message) => {
    const e = throwsWith(() => parseKeyFile(text), "InvalidKeyMaterial");
    expect(e.message).toMatch(message);
  });

  test("a keyring never prints its keys", () => {
    const ring = parseKeyFile(fileText);
    for (const shown of [inspect(ring), JSON.stringify(ring), String(ring)]) {
      expect(shown).not.toContain(k1.toString("base64"));
      expect(shown).not.toContain(k2.toString("base64"));
    }
    expect(inspect(ring)).toContain("k2");
  });

  test("loadKeyring of a missing file is InvalidKeyMaterial", async () => {
    await rejectsWith(loadKeyring(join(dir, "none.json")), "InvalidKeyMaterial");
  });
});

describe("PARITY_MASTER_KEY", () => {
  test("unset or empty gives no keyring", () => {
    expect(keyringFromEnv({})).toBeUndefined();
    expect(keyringFromEnv({ [MASTER_KEY_ENV]: "" })).toBeUndefined();
  });

  test("a base64 key becomes the current key with an id derived from its hash", () => {
    const ring = keyringFromEnv({ [MASTER_KEY_ENV]: k1.toString("base64") })!;
    expect(ring.currentId).toBe(masterKeyId(k1));
    expect(ring.currentId).toMatch(/^mk-[0-9a-f]{16}$/);
    expect(keyringFromEnv({ [MASTER_KEY_ENV]: k1.toString("base64") })!.currentId).toBe(ring.currentId);
    expect(masterKeyId(k2)).not.toBe(ring.currentId);
    expect(ring.current.key.equals(k1)).toBe(true);
  });

  test.each([
    ["too short", randomBytes(31).toString("base64")],
    ["too long", randomBytes(33).toString("base64")],
    ["not base64", "%%%%"],
  ])("%s is InvalidKeyMaterial without echoing the value", (_n, value) => {
    const e = throwsWith(() => keyringFromEnv({ [MASTER_KEY_ENV]: value }), "InvalidKeyMaterial");
    expect(e.message).toContain(MASTER_KEY_ENV);
    expect(e.message).not.toContain(value);
  });
});

describe("loadOrCreateKeyring", () => {
  test("creates a 0600 key file once, then loads the same keys", async () => {
    const file = join(dir, "sub", "keys.json");
    const created = await loadOrCreateKeyring(file, {});
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const loaded = await loadOrCreateKeyring(file, {});
    expect(loaded.toKeyFile()).toEqual(created.toKeyFile());
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(created.toKeyFile());
  });

  test("concurrent creators end up with one and the same key", async () => {
    const file = join(dir, "keys.json");
    const rings = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKeyring(file, {})));
    const onDisk = await loadKeyring(file);
    for (const r of rings) expect(r.toKeyFile()).toEqual(onDisk.toKeyFile());
  });

  test("the env key wins, keeps file keys for unsealing, and writes nothing", async () => {
    const file = join(dir, "keys.json");
    const envOnly = await loadOrCreateKeyring(file, { [MASTER_KEY_ENV]: k1.toString("base64") });
    expect(envOnly.ids).toEqual([masterKeyId(k1)]);
    await expect(stat(file)).rejects.toThrow();
    await writeFile(file, fileText);
    const merged = await loadOrCreateKeyring(file, { [MASTER_KEY_ENV]: k1.toString("base64") });
    expect(merged.currentId).toBe(masterKeyId(k1));
    expect(merged.get("k2").equals(k2)).toBe(true);
    expect(await readFile(file, "utf8")).toBe(fileText);
  });

  test("a corrupt key file is an error, not silently replaced", async () => {
    const file = join(dir, "keys.json");
    await writeFile(file, "{ broken");
    await rejectsWith(loadOrCreateKeyring(file, {}), "InvalidKeyMaterial");
    expect(await readFile(file, "utf8")).toBe("{ broken");
  });
});

describe("rotation of the key file", () => {
  test("rotate adds a new current key and keeps the old ones", async () => {
    const file = join(dir, "keys.json");
    await writeFile(file, fileText, { mode: 0o600 });
    const rotated = await rotate(file);
    expect(rotated.ids).toHaveLength(3);
    expect(rotated.currentId).not.toBe("k2");
    expect(rotated.get("k1").equals(k1)).toBe(true);
    expect((await loadKeyring(file)).toKeyFile()).toEqual(rotated.toKeyFile());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  test("dropping a key after re-sealing, and refusing to drop the current one", async () => {
    const file = join(dir, "keys.json");
    const ring = parseKeyFile(fileText);
    throwsWith(() => ring.without("k2"), "InvalidKeyMaterial");
    await saveKeyring(file, ring.without("k1"));
    const loaded = await loadKeyring(file);
    expect(loaded.ids).toEqual(["k2"]);
    throwsWith(() => loaded.get("k1"), "UnknownMasterKey");
  });

  test("withNewCurrent refuses an id already naming a different key", () => {
    const ring = new Keyring({ a: k1 }, "a");
    throwsWith(() => ring.withNewCurrent(k2, "a"), "InvalidKeyMaterial");
    expect(ring.withNewCurrent(k1, "a").ids).toEqual(["a"]);
  });
});
