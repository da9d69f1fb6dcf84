import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseTarget, TargetFileError, validateTarget } from "./target-file.ts";
import { resolveTarget } from "./targets.ts";

const valid = {
  name: "ecs-staging",
  endpoint: "https://127.0.0.1:9443",
  region: "fr-1",
  addressing: "path",
  tls: { caFile: "ca.pem", insecure: false },
  credentials: {
    main: { accessKeyIdEnv: "MAIN_KEY", secretAccessKeyEnv: "MAIN_SECRET" },
    alternate: { accessKeyIdEnv: "ALT_KEY", secretAccessKeyEnv: "ALT_SECRET" },
  },
  outOfScope: ["website", "SelectObjectContent"],
};

function problems(doc: unknown): readonly string[] {
  try {
    validateTarget(doc, "t.yaml", "t");
  } catch (error) {
    expect(error).toBeInstanceOf(TargetFileError);
    return (error as TargetFileError).problems;
  }
  throw new Error("expected the target to be refused");
}

describe("target files", () => {
  test("a complete target is accepted as written, defaults filled in", () => {
    expect(validateTarget(valid, "t.json", "t")).toEqual({ ...valid, endpoint: "https://127.0.0.1:9443" });
    const minimal = validateTarget(
      { endpoint: "http://127.0.0.1:9000", credentials: { main: valid.credentials.main } },
      "min.yaml",
      "min",
    );
    expect(minimal).toMatchObject({ name: "min", region: "us-east-1", addressing: "path", outOfScope: [] });
    expect(minimal.tls).toEqual({ insecure: false });
  });

  test("YAML and JSON parse to the same target", () => {
    const yaml = `name: ecs-staging
endpoint: https://127.0.0.1:9443
region: fr-1
addressing: path
tls: { caFile: ca.pem, insecure: false }
credentials:
  main: { accessKeyIdEnv: MAIN_KEY, secretAccessKeyEnv: MAIN_SECRET }
  alternate: { accessKeyIdEnv: ALT_KEY, secretAccessKeyEnv: ALT_SECRET }
outOfScope: [website, SelectObjectContent]
`;
    expect(parseTarget(yaml, "t.yaml", "t")).toEqual(parseTarget(JSON.stringify(valid), "t.json", "t"));
  });

  test("every problem is reported at once, naming the field", () => {
    const found = problems({
      endpoint: "ftp://example",
      region: "US East",
      addressing: "dns",
      tls: { insecure: "yes", pin: 1 },
      credentials: { main: { accessKeyIdEnv: "AKIAIOSFODNN7EXAMPLE/x", secretAccessKeyEnv: 3 } },
      outOfScope: ["teleportation"],
      secret: "x",
    });
    const text = found.join("\n");
    for (const field of [
      "secret: unknown field",
      "endpoint: must be http:// or https://",
      "region:",
      'addressing: "path" or "virtual"',
      "tls.insecure: true or false",
      "tls.pin: unknown field",
      "credentials.main.accessKeyIdEnv: must be the NAME of an environment variable",
      "credentials.main.secretAccessKeyEnv",
      'outOfScope: "teleportation" is neither',
    ]) {
      expect(text).toContain(field);
    }
  });

  test("missing endpoint and credentials, paths in the endpoint and non-objects are refused", () => {
    expect(problems({})).toEqual(
      expect.arrayContaining([
        "endpoint: required, an http:// or https:// URL",
        "credentials: required, { main: {...}, alternate?: {...} }",
      ]),
    );
    expect(problems({ ...valid, endpoint: "http://127.0.0.1:9000/bucket" })).toContain(
      "endpoint: no path, query or fragment",
    );
    expect(problems({ ...valid, endpoint: "http://user:pw@127.0.0.1:9000" })).toContain(
      "endpoint: credentials do not belong in the URL",
    );
    expect(problems([])).toEqual(["the document must be an object"]);
    expect(() => parseTarget("{ not json", "bad.json", "bad")).toThrow(/bad.json[\s\S]*not valid JSON/);
    expect(() => parseTarget("a: [", "bad.yaml", "bad")).toThrow(/not valid YAML/);
  });
});

describe("resolving --target", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parity-targets-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("a file target reads its credentials from the named variables, never from the file", async () => {
    const path = join(dir, "peer.yaml");
    await writeFile(
      path,
      "endpoint: http://127.0.0.1:9\ncredentials:\n  main: { accessKeyIdEnv: P_KEY, secretAccessKeyEnv: P_SECRET }\n",
    );
    const ok = await resolveTarget(path, {}, { P_KEY: "key", P_SECRET: "secret" });
    expect("started" in ok && ok.started.target).toMatchObject({
      name: "peer",
      kind: "file",
      main: { accessKeyId: "key", secretAccessKey: "secret" },
    });
    const missing = await resolveTarget(path, {}, { P_KEY: "key" });
    expect(missing).toMatchObject({ name: "peer", unavailable: expect.stringContaining("P_SECRET not set") });
  });

  test("unknown names, bad files and failing launchers make the target unavailable with the reason", async () => {
    expect(
      await resolveTarget("nosuch", { s3rver: async () => Promise.reject(new Error("x")) }),
    ).toMatchObject({
      unavailable: expect.stringContaining('unknown target "nosuch" (built-ins: s3rver'),
    });
    expect(await resolveTarget(join(dir, "absent.json"), {})).toMatchObject({
      unavailable: expect.stringContaining("cannot read"),
    });
    const failing = await resolveTarget("reference", {
      reference: async () => Promise.reject(new Error("cannot load reference-server/server.ts")),
    });
    expect(failing).toEqual({
      spec: "reference",
      name: "reference",
      unavailable: "cannot load reference-server/server.ts",
    });
  });
});
