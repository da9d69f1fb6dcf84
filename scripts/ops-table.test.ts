// docs/s3-operations.md cannot drift: it must equal what scripts/ops-table.ts computes from the SDK, the
// route table and the test files, and it must list no command without a test.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { sdkOperations } from "../suites/catalog/sdk-commands.ts";
import { computeRows, DOC_PATH, headerComment, renderTable, servedActions } from "./ops-table.ts";

const rows = computeRows();

describe("operations table", () => {
  test("lists every SDK command once, in the SDK's order", () => {
    expect(rows.map((r) => r.operation)).toEqual(sdkOperations());
  });

  test("docs/s3-operations.md is up to date (regenerate: node scripts/ops-table.ts --write)", () => {
    expect(readFileSync(DOC_PATH, "utf8")).toBe(renderTable(rows));
  });

  test("every command has a test", () => {
    expect(rows.filter((r) => r.tests.length === 0).map((r) => r.operation)).toEqual([]);
  });

  test("the route table's List actions served through a Get route are counted", () => {
    const served = servedActions();
    expect(served.has("ListBucketMetricsConfigurations")).toBe(true);
    expect(served.has("PutObject")).toBe(true);
    expect(rows.find((r) => r.operation === "ListBucketMetricsConfigurations")?.served).toBe(true);
  });

  test("what the server does comes from the action file's header comment", () => {
    const source = "// PutThing: stores a thing,\n// validated.\n\nimport x from 'y';\n// not this\n";
    expect(headerComment(source, "PutThing")).toBe("stores a thing, validated.");
    const row = rows.find((r) => r.operation === "GetBucketTagging");
    expect(row?.behaviour).toMatch(/NoSuchTagSet/);
  });
});
