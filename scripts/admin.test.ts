import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestAdmin, type TestAdmin } from "../reference-server/admin/test-support.ts";
import { runAdmin } from "./admin.ts";

let t: TestAdmin;
beforeEach(async () => {
  t = await startTestAdmin();
});
afterEach(async () => {
  await t.close();
});

/** Runs `parity admin ...` in-process against the live test server, capturing its output. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runAdmin(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: { ADMIN_ENDPOINT: t.admin.endpoint, ADMIN_TOKEN: t.admin.token, ...env },
  });
  return { code, stdout, stderr };
}

function creds(stdout: string) {
  const get = (name: string) => new RegExp(`^${name}=(.+)$`, "m").exec(stdout)?.[1];
  return { accessKeyId: get("AWS_ACCESS_KEY_ID")!, secretAccessKey: get("AWS_SECRET_ACCESS_KEY")! };
}

describe("parity admin", () => {
  it("manages tenants and accounts; the secret is printed once, eval-able", async () => {
    expect((await cli(["tenants", "create", "acme"])).stdout).toBe("created tenant acme\n");
    const created = await cli(["accounts", "create", "--tenant", "acme", "backup"]);
    expect(created.code).toBe(0);
    const c = creds(created.stdout);
    expect(t.accounts.lookup(c.accessKeyId)?.secretAccessKey).toBe(c.secretAccessKey);
    expect(created.stderr).toMatch(/shown only this once/);

    const list = await cli(["accounts", "--tenant", "acme"]);
    expect(list.stdout).toMatch(/^ACCOUNT ID\s+TENANT\s+NAME\s+ACCESS KEY ID/);
    expect(list.stdout).toContain(c.accessKeyId);
    expect(list.stdout).not.toContain(c.secretAccessKey);
    const tenants = await cli(["tenants"]);
    expect(tenants.stdout).toMatch(/acme\s+1/);

    const json = JSON.parse((await cli(["accounts", "list", "--json"])).stdout);
    const id = json.accounts.find((a: { name: string }) => a.name === "backup").accountId;
    const reset = await cli(["accounts", "reset-key", id]);
    const next = creds(reset.stdout);
    expect(next.accessKeyId).not.toBe(c.accessKeyId);
    expect(t.accounts.lookup(c.accessKeyId)).toBeUndefined();
    expect((await cli(["accounts", "show", id])).stdout).toContain(next.accessKeyId);
    expect((await cli(["accounts", "delete", id])).code).toBe(0);
    const gone = await cli(["accounts", "show", id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/NoSuchAccount \(404\)/);
  });

  it("lists buckets, sets their type and manages role bindings", async () => {
    await cli(["tenants", "create", "acme"]);
    const a = creds((await cli(["accounts", "create", "--tenant", "acme", "app"])).stdout);
    const id = t.accounts.lookup(a.accessKeyId)!.principal;
    await t.engine.createBucket({ name: "photos", owner: id, region: "fr1" });
    await t.put("photos", "x", randomBytes(3000));
    const list = await cli(["buckets"]);
    expect(list.stdout).toMatch(/photos\s+fr1\s+performance\s+acme\/app\s+1\s+2\.93 KiB/);
    expect((await cli(["buckets", "set-type", "photos", "archive"])).stdout).toMatch(
      /photos\s+fr1\s+archive/,
    );
    expect((await cli(["buckets", "grant", "photos", id, "Reader"])).code).toBe(0);
    expect((await cli(["buckets", "roles", "photos"])).stdout).toMatch(
      new RegExp(`photos\\s+${id}\\s+Reader`),
    );
    expect((await cli(["buckets", "revoke", "photos", id])).code).toBe(0);
    expect((await cli(["buckets", "roles", "photos"])).stdout).toBe("(none)\n");
  });

  it("shows topology, injects and restores faults, shows placement and heals", async () => {
    await t.engine.createBucket({ name: "b", owner: "o" });
    await t.put("b", "dir/obj", randomBytes(100_000));
    const topo = await cli(["topology"]);
    expect(topo.stdout).toMatch(/^az1\s+online\s+disks: 16 online$/m);
    expect(topo.stdout).toMatch(/^ {2}az1-r2\s+online/m);
    expect((await cli(["topology", "--disks"])).stdout).toMatch(/^ {6}az1-r2-n1-d2\s+online$/m);

    const inject = await cli(["faults", "inject", "az2", "offline"]);
    expect(inject.stdout).toBe("fault f1: offline on az2 (16 disk(s))\n");
    expect((await cli(["faults"])).stdout).toMatch(/^f1\s+az2\s+offline\s+16/m);
    expect((await cli(["topology"])).stdout).toMatch(/^az2\s+offline\s+disks: 16 offline\s+faults: f1$/m);
    const placement = await cli(["placement", "b", "dir/obj"]);
    expect(placement.stdout).toContain("az2: 0/16 shards on online disks — zone cannot serve it");
    expect(placement.stdout).toMatch(/^az1: 16\/16/m);
    expect(placement.stdout).toMatch(/b\/dir\/obj .* readable$/m);

    expect((await cli(["faults", "restore", "f1"])).stdout).toBe("restored f1 (offline on az2)\n");
    expect((await cli(["faults"])).stdout).toBe("(none)\n");

    await cli(["faults", "inject", "az1-r1-n1-d1", "wipe"]);
    const heal = await cli(["heal"]);
    expect(heal.code).toBe(0);
    expect(heal.stdout).toMatch(/versions scanned 1, healthy \d, repaired \d, unrecoverable 0/);
    const shallow = JSON.parse((await cli(["heal", "--shallow", "--json"])).stdout);
    expect(shallow).toMatchObject({ deep: false, unrecoverable: [], repaired: [] });
  });

  it("says clearly when the server is unreachable, the token is wrong or the command is unknown", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((r) => closed.close(() => r()));
    const down = await cli(["tenants"], { ADMIN_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the admin API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    const bad = await cli(["tenants", "--token", "not-the-token"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused the token \(InvalidToken\)/);

    const none = await cli(["tenants"], { ADMIN_ENDPOINT: "" });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/no endpoint/)]);
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["faults", "inject", "az1"])).stderr).toMatch(/expected faults inject TARGET KIND/);
    expect((await cli(["tenants", "--bogus"])).code).toBe(2);
    const invalid = await cli(["faults", "inject", "az9", "offline"]);
    expect([invalid.code, invalid.stderr]).toEqual([1, expect.stringMatching(/InvalidTarget \(400\)/)]);
    expect((await cli(["--help"])).stdout).toMatch(/^usage: parity admin/);
  });
});
