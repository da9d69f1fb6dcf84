import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allFiles, readObject } from "../storage/test/helpers.ts";
import { startTestAdmin, type TestAdmin } from "./test-support.ts";

let t: TestAdmin;
beforeEach(async () => {
  t = await startTestAdmin();
});
afterEach(async () => {
  await t.close();
});

async function newAccount(tenant = "acme", name = "app") {
  if ((await t.api("GET", `/tenants/${tenant}`)).status === 404)
    await t.api("POST", "/tenants", { name: tenant });
  const r = await t.api("POST", "/accounts", { tenant, name });
  expect(r.status).toBe(201);
  return r.json as { accountId: string; accessKeyId: string; secretAccessKey: string };
}

describe("authentication", () => {
  it("answers 401 without a token and with a wrong one, on every path; /health is open", async () => {
    for (const path of ["/tenants", "/faults", "/no/such/route"]) {
      const none = await t.api("GET", path, undefined, null);
      expect(none.status).toBe(401);
      expect(none.json.error.code).toBe("MissingToken");
      const wrong = await t.api("GET", path, undefined, "x".repeat(43));
      expect(wrong.status).toBe(401);
      expect(wrong.json.error.code).toBe("InvalidToken");
    }
    expect((await t.api("GET", "/health", undefined, null)).json).toEqual({ status: "ok" });
  });

  it("answers clear JSON errors for unknown routes, methods and bodies", async () => {
    expect((await t.api("GET", "/nope")).json.error.code).toBe("NoSuchRoute");
    const m = await t.api("PUT", "/tenants");
    expect([m.status, m.json.error.code]).toEqual([405, "MethodNotAllowed"]);
    const bad = await t.api("POST", "/tenants", "{not json");
    expect([bad.status, bad.json.error.code]).toEqual([400, "InvalidJSON"]);
    const missing = await t.api("POST", "/tenants", {});
    expect([missing.status, missing.json.error.code]).toEqual([400, "MissingField"]);
  });
});

describe("tenants and accounts", () => {
  it("creates, lists and deletes tenants", async () => {
    const c = await t.api("POST", "/tenants", { name: "acme" });
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ name: "acme", accounts: 0 });
    expect((await t.api("POST", "/tenants", { name: "acme" })).json.error.code).toBe("TenantExists");
    expect((await t.api("POST", "/tenants", { name: "No Way" })).status).toBe(400);
    expect((await t.api("GET", "/tenants")).json.tenants.map((x: { name: string }) => x.name)).toEqual([
      "acme",
    ]);
    expect((await t.api("GET", "/tenants/acme")).json.name).toBe("acme");
    expect((await t.api("DELETE", "/tenants/acme")).status).toBe(204);
    expect((await t.api("GET", "/tenants/acme")).status).toBe(404);
  });

  it("shows the secret once: creation only, never in listings or details", async () => {
    const a = await newAccount();
    expect(a.secretAccessKey).toBeTruthy();
    expect(t.accounts.lookup(a.accessKeyId)?.secretAccessKey).toBe(a.secretAccessKey);
    for (const path of ["/accounts", "/accounts?tenant=acme", `/accounts/${a.accountId}`, "/tenants"]) {
      const r = await t.api("GET", path);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(a.secretAccessKey);
      expect(r.text).not.toContain("secretAccessKey");
    }
    const listed = (await t.api("GET", "/accounts?tenant=acme")).json.accounts;
    expect(listed).toEqual([expect.objectContaining({ accountId: a.accountId, accessKeyId: a.accessKeyId })]);
    expect((await t.api("GET", "/accounts")).json.accounts.some((x: { root: boolean }) => x.root)).toBe(true);
    expect((await t.api("GET", "/accounts?tenant=ghost")).status).toBe(404);
  });

  it("reset-key issues a new pair and invalidates the old one", async () => {
    const a = await newAccount();
    const r = await t.api("POST", `/accounts/${a.accountId}/reset-key`);
    expect(r.status).toBe(200);
    expect(r.json.accountId).toBe(a.accountId);
    expect(r.json.accessKeyId).not.toBe(a.accessKeyId);
    expect(r.json.secretAccessKey).not.toBe(a.secretAccessKey);
    expect(t.accounts.lookup(a.accessKeyId)).toBeUndefined();
    expect(t.accounts.lookup(r.json.accessKeyId)?.secretAccessKey).toBe(r.json.secretAccessKey);
    const root = t.accounts.rootCredentials();
    const refused = await t.api("POST", `/accounts/${root.principal}/reset-key`);
    expect([refused.status, refused.json.error.code]).toEqual([409, "RootAccountImmutable"]);
  });

  it("deletes an account: its key stops working", async () => {
    const a = await newAccount();
    expect((await t.api("DELETE", `/accounts/${a.accountId}`)).status).toBe(204);
    expect(t.accounts.lookup(a.accessKeyId)).toBeUndefined();
    const gone = await t.api("GET", `/accounts/${a.accountId}`);
    expect([gone.status, gone.json.error.code]).toEqual([404, "NoSuchAccount"]);
    expect((await t.api("DELETE", `/accounts/${a.accountId}`)).status).toBe(404);
  });

  it("never writes a secret in plaintext under the data dir", async () => {
    const a = await newAccount();
    const b = await t.api("POST", `/accounts/${a.accountId}/reset-key`);
    const secrets = [a.secretAccessKey, b.json.secretAccessKey, t.accounts.rootCredentials().secretAccessKey];
    const files = await allFiles(t.dataDir);
    expect(files.some((f) => f.endsWith("accounts.json"))).toBe(true);
    for (const f of files) {
      const content = await readFile(f, "latin1");
      for (const s of secrets) {
        expect(content.includes(s), `${s.slice(0, 4)}… found in ${f}`).toBe(false);
        expect(content.includes(Buffer.from(s).toString("base64"))).toBe(false);
      }
    }
  });
});

describe("buckets and roles", () => {
  it("lists buckets with region, type, owner, object count and bytes; sets the type", async () => {
    const a = await newAccount();
    await t.engine.createBucket({ name: "photos", owner: a.accountId, region: "fr1" });
    await t.put("photos", "a.jpg", randomBytes(1000));
    await t.put("photos", "b.jpg", randomBytes(2500));
    const list = (await t.api("GET", "/buckets")).json.buckets;
    expect(list).toEqual([
      expect.objectContaining({
        name: "photos",
        region: "fr1",
        type: "performance",
        owner: a.accountId,
        ownerName: "app",
        tenant: "acme",
        objects: 2,
        bytes: 3500,
      }),
    ]);
    const p = await t.api("PATCH", "/buckets/photos", { type: "archive" });
    expect(p.json.type).toBe("archive");
    expect(t.engine.getBucket("photos")?.attrs.type).toBe("archive");
    expect((await t.api("PATCH", "/buckets/photos", { type: "cold" })).json.error.code).toBe(
      "InvalidBucketType",
    );
    expect((await t.api("GET", "/buckets?tenant=other")).json.buckets).toEqual([]);
    expect((await t.api("GET", "/buckets/nope")).json.error.code).toBe("NoSuchBucket");
  });

  it("stores per-bucket role bindings", async () => {
    const a = await newAccount();
    await t.engine.createBucket({ name: "shared", owner: t.accounts.rootCredentials().principal });
    const put = await t.api("PUT", `/buckets/shared/roles/${a.accountId}`, { role: "Writer" });
    expect(put.json).toMatchObject({ bucket: "shared", accountId: a.accountId, role: "Writer" });
    expect((await t.api("GET", "/buckets/shared/roles")).json.roles).toEqual([
      expect.objectContaining({ accountId: a.accountId, role: "Writer" }),
    ]);
    expect((await t.api("GET", `/accounts/${a.accountId}`)).json.roles).toHaveLength(1);
    expect((await t.api("PUT", `/buckets/shared/roles/${a.accountId}`, { role: "Owner" })).status).toBe(400);
    expect((await t.api("PUT", "/buckets/shared/roles/ghost", { role: "Reader" })).status).toBe(404);
    expect((await t.api("PUT", `/buckets/nope/roles/${a.accountId}`, { role: "Reader" })).status).toBe(404);
    expect((await t.api("DELETE", `/buckets/shared/roles/${a.accountId}`)).status).toBe(204);
    expect((await t.api("GET", "/buckets/shared/roles")).json.roles).toEqual([]);
  });
});

describe("topology, faults, placement and heal", () => {
  it("shows every zone, rack, node and disk with its state", async () => {
    const topo = (await t.api("GET", "/topology")).json;
    expect(topo).toMatchObject({ dataShards: 12, parityShards: 4, state: "online", activeFaults: 0 });
    expect(topo.zones.map((z: { id: string }) => z.id)).toEqual(["az1", "az2", "az3"]);
    const disk = topo.zones[0].racks[1].nodes[0].disks[1];
    expect(disk).toMatchObject({ id: "az1-r2-n1-d2", state: "online", faults: [] });

    const f = await t.api("POST", "/faults", { target: "az1-r2", kind: "offline" });
    await t.api("POST", "/faults", { target: "az2-r1-n1-d1", kind: "slow", params: { slowMs: 5 } });
    const after = (await t.api("GET", "/topology")).json;
    expect(after.state).toBe("degraded");
    expect(after.zones[0].state).toBe("degraded");
    expect(after.zones[0].racks[1]).toMatchObject({ id: "az1-r2", state: "offline", faults: [f.json.id] });
    expect(after.zones[0].racks[1].nodes[0].disks[1]).toMatchObject({
      state: "offline",
      faults: [f.json.id],
    });
    expect(after.zones[1].racks[0].nodes[0].disks[0]).toMatchObject({ state: "slow", slowMs: 5 });
  });

  it("validates fault requests", async () => {
    const kind = await t.api("POST", "/faults", { target: "az1", kind: "explode" });
    expect([kind.status, kind.json.error.code]).toEqual([400, "InvalidFaultKind"]);
    const target = await t.api("POST", "/faults", { target: "az9-r1", kind: "offline" });
    expect([target.status, target.json.error.code]).toEqual([400, "InvalidTarget"]);
    const params = await t.api("POST", "/faults", {
      target: "az1",
      kind: "slow",
      params: { slowMs: "fast" },
    });
    expect(params.status).toBe(400);
    const missing = await t.api("DELETE", "/faults/f999");
    expect([missing.status, missing.json.error.code]).toEqual([404, "NoSuchFault"]);
  });

  it("a zone fault takes an object's shards offline there; DELETE /faults/{id} restores them", async () => {
    await t.engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(200_000);
    await t.put("b", "dir/sub/file.bin", data);
    const before = (await t.api("GET", "/buckets/b/objects/dir/sub/file.bin/placement")).json;
    expect(before).toMatchObject({ key: "dir/sub/file.bin", size: 200_000, readable: true });
    expect(before.zones).toHaveLength(3);
    for (const z of before.zones) {
      expect(z.shards).toHaveLength(16);
      expect(z.shardsOnline).toBe(16);
      expect(new Set(z.shards.map((s: { disk: string }) => s.disk)).size).toBe(16);
    }

    const f = await t.api("POST", "/faults", { target: "az2", kind: "offline" });
    expect(f.status).toBe(201);
    expect(f.json).toMatchObject({ id: expect.any(String), target: "az2", kind: "offline" });
    expect((await t.api("GET", "/faults")).json.faults).toEqual([expect.objectContaining({ id: f.json.id })]);
    // The key sent percent-encoded reaches the same object.
    const during = (await t.api("GET", "/buckets/b/objects/dir%2Fsub%2Ffile.bin/placement")).json;
    const az2 = during.zones.find((z: { zone: string }) => z.zone === "az2");
    expect(az2.shardsOnline).toBe(0);
    expect(az2.readable).toBe(false);
    expect(az2.shards.every((s: { state: string; faults: string[] }) => s.state === "offline")).toBe(true);
    expect(during.readable).toBe(true);
    expect((await readObject(t.engine, "b", "dir/sub/file.bin")).equals(data)).toBe(true);

    const r = await t.api("DELETE", `/faults/${f.json.id}`);
    expect(r.status).toBe(200);
    expect(r.json.restored.id).toBe(f.json.id);
    expect((await t.api("GET", "/faults")).json.faults).toEqual([]);
    const after = (await t.api("GET", "/buckets/b/objects/dir/sub/file.bin/placement")).json;
    expect(after.zones.every((z: { shardsOnline: number }) => z.shardsOnline === 16)).toBe(true);
  });

  it("placement answers 404 for a missing key or version", async () => {
    await t.engine.createBucket({ name: "b", owner: "o" });
    expect((await t.api("GET", "/buckets/b/objects/none/placement")).json.error.code).toBe("NoSuchKey");
    await t.put("b", "k", randomBytes(10));
    expect((await t.api("GET", "/buckets/b/objects/k/placement?versionId=nope")).status).toBe(404);
    expect((await t.api("GET", "/buckets/zz/objects/k/placement")).json.error.code).toBe("NoSuchBucket");
  });

  it("heal through the API rebuilds shards lost to a wiped disk", async () => {
    await t.engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(150_000);
    await t.put("b", "k", data);
    const placement = (await t.api("GET", "/buckets/b/objects/k/placement")).json;
    const disk = placement.zones[0].shards[3].disk as string;
    const wipe = await t.api("POST", "/faults", { target: disk, kind: "wipe" });
    expect(wipe.status).toBe(201);
    const restored = await t.api("DELETE", `/faults/${wipe.json.id}`);
    expect(restored.json.note).toMatch(/heal/);

    const heal = await t.api("POST", "/heal", { deep: true });
    expect(heal.status).toBe(200);
    expect(heal.json).toMatchObject({ deep: true, unrecoverable: [] });
    expect(heal.json.repaired).toEqual([expect.objectContaining({ bucket: "b", key: "k" })]);
    const again = (await t.api("POST", "/heal")).json;
    expect(again).toMatchObject({ deep: true, repaired: [] }); // deep unless asked otherwise
    expect((await readObject(t.engine, "b", "k")).equals(data)).toBe(true);
    expect((await t.api("POST", "/heal", { deep: "yes" })).status).toBe(400);
    // A slow zone keeps the first pass busy while the second request arrives.
    await t.api("POST", "/faults", { target: "az1", kind: "slow", params: { slowMs: 20 } });
    const [h1, h2] = await Promise.all([t.api("POST", "/heal"), t.api("POST", "/heal")]);
    expect([h1.status, h2.status].sort()).toEqual([200, 409]);
    expect([h1, h2].find((h) => h.status === 409)?.json.error.code).toBe("HealInProgress");
  });
});
