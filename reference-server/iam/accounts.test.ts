import { readFile, rm } from "node:fs/promises";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { CredentialLookup } from "../auth/types.ts";
import { allFiles, tempDir, testKeyring } from "../storage/test/helpers.ts";
import { AccountStore, IamError, ROOT_TENANT } from "./accounts.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function open(extra: Partial<Parameters<typeof AccountStore.open>[0]> = {}) {
  const dataDir = extra.dataDir ?? (await tempDir("parity-iam-"));
  dirs.push(dataDir);
  const keyring = extra.keyring ?? testKeyring();
  const store = await AccountStore.open({ env: {}, durable: false, ...extra, dataDir, keyring });
  return { store, dataDir, keyring };
}

/** Every file under the data dir, searched for the secret in the encodings a leak would use. */
async function leaks(dataDir: string, secret: string): Promise<string[]> {
  const needles = [secret, Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("hex")];
  const hits: string[] = [];
  for (const f of await allFiles(dataDir)) {
    const content = await readFile(f, "latin1");
    if (needles.some((n) => content.includes(n))) hits.push(f);
  }
  return hits;
}

describe("AccountStore", () => {
  it("creates tenants and accounts; the secret is issued once and looked up for authentication", async () => {
    const { store } = await open();
    await store.createTenant("acme");
    const created = await store.createAccount("acme", "backup");
    expect(created.accessKeyId).toMatch(/^PK[A-Z0-9]{18}$/);
    expect(created.secretAccessKey).toHaveLength(40);
    expect(store.lookup(created.accessKeyId)).toEqual({
      accessKeyId: created.accessKeyId,
      secretAccessKey: created.secretAccessKey,
      principal: created.accountId,
      tenant: "acme",
    });
    const listed = store.listAccounts("acme");
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.secretAccessKey);
    expect(JSON.stringify(store.getAccount(created.accountId))).not.toContain(created.secretAccessKey);
    expect(store.listTenants()).toEqual([expect.objectContaining({ name: "acme", accounts: 1 })]);
  });

  it("refuses duplicates, unknown tenants, bad names and the reserved tenant", async () => {
    const { store } = await open();
    await store.createTenant("acme");
    await expect(store.createTenant("acme")).rejects.toMatchObject({ code: "TenantExists", status: 409 });
    await expect(store.createTenant("Bad Name")).rejects.toMatchObject({ code: "InvalidName" });
    await expect(store.createTenant(ROOT_TENANT)).rejects.toMatchObject({ code: "InvalidName" });
    await expect(store.createAccount("nope", "a")).rejects.toMatchObject({
      code: "NoSuchTenant",
      status: 404,
    });
    await store.createAccount("acme", "a");
    await expect(store.createAccount("acme", "a")).rejects.toMatchObject({ code: "AccountExists" });
    await expect(store.deleteTenant("acme")).rejects.toMatchObject({ code: "TenantNotEmpty" });
  });

  it("reset-key issues a new pair and the old key stops working at once", async () => {
    const { store } = await open();
    await store.createTenant("acme");
    const first = await store.createAccount("acme", "app");
    expect(store.lookup(first.accessKeyId)).toBeDefined();
    const second = await store.resetKey(first.accountId);
    expect(second.accountId).toBe(first.accountId);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.secretAccessKey).not.toBe(first.secretAccessKey);
    expect(store.lookup(first.accessKeyId)).toBeUndefined();
    expect(store.lookup(second.accessKeyId)?.secretAccessKey).toBe(second.secretAccessKey);
  });

  it("persists across reopen, secrets sealed: never in plaintext on disk", async () => {
    const { store, dataDir, keyring } = await open();
    await store.createTenant("acme");
    const a = await store.createAccount("acme", "app");
    await store.bindRole("photos", a.accountId, "Writer");
    expect(await leaks(dataDir, a.secretAccessKey)).toEqual([]);
    expect(await leaks(dataDir, store.rootCredentials().secretAccessKey)).toEqual([]);
    expect(inspect(store)).not.toContain(a.secretAccessKey);

    const again = (await open({ dataDir, keyring })).store;
    expect(again.lookup(a.accessKeyId)?.secretAccessKey).toBe(a.secretAccessKey);
    expect(again.listBindings({ bucket: "photos" })).toEqual([
      expect.objectContaining({ accountId: a.accountId, role: "Writer" }),
    ]);
    expect(again.rootCredentials()).toEqual(store.rootCredentials());
  });

  it("a sealed secret does not open under another master key", async () => {
    const { store, dataDir } = await open();
    await store.createTenant("acme");
    const a = await store.createAccount("acme", "app");
    // The root secret is unsealed at open: a wrong master key fails loudly rather than serving garbage.
    await expect(open({ dataDir, keyring: testKeyring() })).rejects.toThrow(/master key/);
    expect(a.accountId).toBeTruthy();
  });

  it("delete removes the key and the account's role bindings", async () => {
    const { store } = await open();
    await store.createTenant("acme");
    const a = await store.createAccount("acme", "app");
    await store.bindRole("b1", a.accountId, "Reader");
    await store.bindRole("b1", a.accountId, "Maintainer"); // replaces
    expect(store.listBindings({ accountId: a.accountId })).toEqual([
      expect.objectContaining({ bucket: "b1", role: "Maintainer" }),
    ]);
    await expect(store.bindRole("b1", a.accountId, "Owner" as never)).rejects.toMatchObject({
      code: "InvalidRole",
    });
    await store.deleteAccount(a.accountId);
    expect(store.lookup(a.accessKeyId)).toBeUndefined();
    expect(store.listBindings()).toEqual([]);
    await expect(store.deleteAccount(a.accountId)).rejects.toBeInstanceOf(IamError);
  });

  it("root: generated once and kept, or fixed by the environment; it cannot be reset or deleted", async () => {
    const { store, dataDir, keyring } = await open();
    const root = store.rootCredentials();
    expect(root.tenant).toBe(ROOT_TENANT);
    expect(store.lookup(root.accessKeyId)?.principal).toBe(root.principal);
    await expect(store.resetKey(root.principal)).rejects.toMatchObject({ code: "RootAccountImmutable" });
    await expect(store.deleteAccount(root.principal)).rejects.toMatchObject({ code: "RootAccountImmutable" });

    const env = { PARITY_ROOT_ACCESS_KEY: "rootadmin", PARITY_ROOT_SECRET_KEY: "rootsecret123" };
    const fixed = (await open({ dataDir, keyring, env })).store;
    expect(fixed.rootCredentials()).toEqual({
      accessKeyId: "rootadmin",
      secretAccessKey: "rootsecret123",
      principal: root.principal, // same account, new key
      tenant: ROOT_TENANT,
    });
    expect(fixed.lookup(root.accessKeyId)).toBeUndefined();
    expect(await leaks(dataDir, "rootsecret123")).toEqual([]);

    await expect(open({ env: { PARITY_ROOT_ACCESS_KEY: "only-one" } })).rejects.toMatchObject({
      code: "InvalidRootCredentials",
    });
    await expect(
      open({ env: { PARITY_ROOT_ACCESS_KEY: "a/b", PARITY_ROOT_SECRET_KEY: "12345678" } }),
    ).rejects.toMatchObject({ code: "InvalidRootCredentials" });
  });

  it("plugs into the S3 layer's credential lookup", async () => {
    const { store } = await open();
    const lookup: CredentialLookup = (id) => store.lookup(id);
    const root = store.rootCredentials();
    expect(lookup(root.accessKeyId)).toMatchObject({ principal: root.principal });
    expect(lookup("PKNOSUCHKEY")).toBeUndefined();
  });

  it("re-seals secrets under a rotated master key, so the old key can be dropped", async () => {
    const { store, dataDir, keyring } = await open();
    await store.createTenant("acme");
    const a = await store.createAccount("acme", "app");
    const rotated = keyring.withNewCurrent();
    store.setKeyring(rotated);
    expect(await store.resealSecrets()).toEqual({ resealed: 2 }); // root and app
    expect(await store.resealSecrets()).toEqual({ resealed: 0 });
    const reopened = (await open({ dataDir, keyring: rotated.without(keyring.currentId) })).store;
    expect(reopened.lookup(a.accessKeyId)?.secretAccessKey).toBe(a.secretAccessKey);
  });

  it("serialises concurrent changes: none is lost", async () => {
    const { store, dataDir, keyring } = await open();
    await store.createTenant("acme");
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.createAccount("acme", `app${i}`)),
    );
    const again = (await open({ dataDir, keyring })).store;
    expect(again.listAccounts("acme")).toHaveLength(20);
    for (const c of created) expect(again.lookup(c.accessKeyId)?.secretAccessKey).toBe(c.secretAccessKey);
  });
});
