import { describe, expect, test } from "vitest";
import { AREAS, CATALOG, type CatalogEntry, kebabOperation, operationOfCheck, SCOPES } from "./catalog.ts";
import { sdkOperations } from "./sdk-commands.ts";

const entries: readonly CatalogEntry[] = CATALOG;
const catalogOps = entries.map((e) => e.operation);

describe("the catalog covers the installed SDK exactly", () => {
  test("the SDK exports a plausible number of commands", () => {
    // Guards the enumeration itself: an empty or tiny list would make the coverage tests vacuous.
    const ops = sdkOperations();
    expect(ops.length).toBeGreaterThan(90);
    expect(ops).toContain("PutObject");
    expect(ops).toContain("ListObjectsV2");
    expect(ops.every((op) => /^[A-Z][A-Za-z0-9]*$/.test(op))).toBe(true);
  });

  test("every SDK command has a catalog row", () => {
    const missing = sdkOperations().filter((op) => !catalogOps.includes(op));
    expect(missing, "classify these new SDK commands in suites/catalog/operations/").toEqual([]);
  });

  test("every catalog row is an SDK command", () => {
    const sdk = new Set(sdkOperations());
    expect(catalogOps.filter((op) => !sdk.has(op))).toEqual([]);
  });

  test("operations are listed once", () => {
    expect(new Set(catalogOps).size).toBe(catalogOps.length);
  });
});

describe("every row is well formed", () => {
  test.each(entries.map((e) => [e.operation, e] as const))("%s", (_name, entry) => {
    expect(SCOPES).toContain(entry.scope);
    expect(AREAS).toContain(entry.area);
    expect(entry.reason.trim().length).toBeGreaterThan(10);
    expect(entry.reason).not.toMatch(/\n/);
    expect(entry.checks.length).toBeGreaterThanOrEqual(entry.scope === "core" ? 2 : 1);
    for (const id of entry.checks) {
      // The prefix ties an id to its operation at a glance and keeps ids unique across operations.
      expect(id.startsWith(`${kebabOperation(entry.operation)}.`), id).toBe(true);
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

test("check ids are unique across the catalog", () => {
  const ids = entries.flatMap((e) => e.checks);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(dupes).toEqual([]);
  expect(operationOfCheck("put-object.roundtrip")).toBe("PutObject");
  expect(operationOfCheck("no-such.check")).toBeUndefined();
});

test("every scope is represented", () => {
  for (const scope of SCOPES)
    expect(
      entries.some((e) => e.scope === scope),
      scope,
    ).toBe(true);
});

test("kebabOperation", () => {
  expect(kebabOperation("ListObjectsV2")).toBe("list-objects-v2");
  expect(kebabOperation("PutBucketAcl")).toBe("put-bucket-acl");
  expect(kebabOperation("WriteGetObjectResponse")).toBe("write-get-object-response");
});
