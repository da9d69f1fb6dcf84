import { describe, expect, test } from "vitest";
import { CATALOG } from "../catalog/catalog.ts";
import { EvidenceRecorder, redactHeaders, redactText, redactUrl } from "./evidence.ts";
import { type ReportedTest, targetResults, toCheckRun } from "./results.ts";

const ROOT = "/repo";

// What vitest reports for a test, reduced to the fields the harness reads.
function fake(name: string, state: ReportedTest["state"], extra: Partial<ReportedTest> = {}): ReportedTest {
  return {
    name,
    fullName: `objects > ${name}`,
    moduleId: `${ROOT}/suites/objects/objects.test.ts`,
    meta: {},
    state,
    errors: [],
    durationMs: 12.4,
    ...extra,
  };
}

describe("from vitest results to check runs", () => {
  test("the check comes from meta, else from the test name; status from state and error kind", () => {
    const viaMeta = toCheckRun(
      fake("anything", "passed", {
        meta: { s3Check: { operation: "PutObject", check: "put-object.roundtrip" } },
      }),
      ROOT,
    );
    expect(viaMeta).toEqual({
      operation: "PutObject",
      check: "put-object.roundtrip",
      status: "pass",
      durationMs: 12,
      file: "suites/objects/objects.test.ts",
    });
    const failed = toCheckRun(
      fake("[GetObject] get-object.no-such-key", "failed", {
        errors: [
          { name: "AssertionError", message: "expected 200 to be 404", diff: "\u001b[32m- 404\u001b[39m" },
        ],
        meta: { s3Evidence: [{ request: { method: "GET", url: "http://127.0.0.1/b/k", headers: {} } }] },
      }),
      ROOT,
    );
    expect(failed).toMatchObject({
      operation: "GetObject",
      check: "get-object.no-such-key",
      status: "fail",
      error: "AssertionError: expected 200 to be 404\n- 404",
      evidence: [{ request: { method: "GET" } }],
    });
    const errored = toCheckRun(
      fake("[GetObject] get-object.roundtrip (minio)", "failed", {
        errors: [{ name: "TypeError", message: "x" }],
      }),
    );
    expect(errored).toMatchObject({ status: "error", variant: "minio" });
    // A wrong S3 answer thrown by the SDK is the target's failure, not a broken exchange.
    const wrongAnswer = toCheckRun(
      fake("[GetObject] get-object.roundtrip", "failed", {
        errors: [{ name: "NotImplemented", message: "This operation is not implemented." }],
      }),
    );
    expect(wrongAnswer.status).toBe("fail");
    const refused = toCheckRun(
      fake("[GetObject] get-object.roundtrip", "failed", {
        errors: [{ name: "Error", message: "connect ECONNREFUSED 127.0.0.1:9" }],
      }),
    );
    expect(refused.status).toBe("error");
    const skipped = toCheckRun(
      fake("[HeadBucket] head-bucket.no-such-bucket", "skipped", { skipNote: "why" }),
    );
    expect(skipped).toMatchObject({ status: "skipped", skipReason: "why" });
  });

  test("aggregation: an operation passes only when every check passes; the denominator is the catalog", () => {
    const loc = CATALOG.find((e) => e.operation === "GetBucketLocation")!;
    const get = CATALOG.find((e) => e.operation === "GetObject")!;
    const runs = [
      ...loc.checks.map((c) => fake(`[GetBucketLocation] ${c}`, "passed")),
      fake("[GetObject] get-object.roundtrip", "passed"),
      fake("[GetObject] get-object.no-such-key", "failed", {
        errors: [{ name: "AssertionError", message: "m" }],
      }),
      // The same check through a second client: the worst outcome stands.
      fake("[GetObject] get-object.roundtrip (minio)", "failed", { errors: [{ name: "AssertionError" }] }),
      fake("[NotAnOp] not-a-check", "passed"),
    ].map((t) => toCheckRun(t, ROOT));
    const r = targetResults({ name: "fake" }, runs, { outOfScope: ["website"] });
    const totalChecks = CATALOG.reduce((n, e) => n + e.checks.length, 0);
    expect(r.score.operations).toEqual({
      passed: 1,
      total: CATALOG.length,
      percent: (1 / CATALOG.length) * 100,
    });
    expect(r.score.checks).toEqual({
      passed: loc.checks.length,
      total: totalChecks,
      percent: (loc.checks.length / totalChecks) * 100,
    });
    expect(r.score.byScope.core.operations.passed).toBe(1);
    const getOp = r.operations.find((o) => o.operation === "GetObject")!;
    expect(getOp.status).toBe("fail");
    expect(getOp.checks).toHaveLength(get.checks.length);
    const roundtrip = getOp.checks.find((c) => c.check === "get-object.roundtrip")!;
    expect(roundtrip).toMatchObject({ status: "fail", durationMs: 24 });
    expect(roundtrip.runs.map((x) => x.variant)).toEqual([undefined, "minio"]);
    expect(getOp.checks.find((c) => c.check === "get-object.range-forms")?.status).toBe("missing");
    expect(r.operations.find((o) => o.operation === "PutBucketWebsite")?.declaredOutOfScope).toBe(true);
    expect(r.unknown.map((u) => u.check)).toEqual(["not-a-check"]);
  });

  test("an unavailable target scores zero over the full denominator", () => {
    const r = targetResults({ name: "down" }, [], { unavailable: "connection refused" });
    expect(r.unavailable).toBe("connection refused");
    expect(r.score.operations).toMatchObject({ passed: 0, total: CATALOG.length, percent: 0 });
    expect(r.operations.every((o) => o.status === "unproven")).toBe(true);
  });
});

describe("evidence redaction", () => {
  const secrets = ["AKIAPARITYSECRETKEY1", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"];
  test("signatures, credentials, SSE-C keys and known secrets never survive", () => {
    const headers = redactHeaders(
      {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIAPARITYSECRETKEY1/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abcdef0123",
        "x-amz-server-side-encryption-customer-key": "c2VjcmV0",
        "x-amz-meta-leak": "the secret is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "content-type": "text/plain",
      },
      secrets,
    );
    const text = JSON.stringify(headers);
    for (const s of [...secrets, "abcdef0123", "c2VjcmV0"]) expect(text).not.toContain(s);
    expect(headers["content-type"]).toBe("text/plain");
    expect(headers.authorization).toContain("SignedHeaders=host");
    const url = redactUrl(
      "https://127.0.0.1/b/k?X-Amz-Credential=AKIAPARITYSECRETKEY1%2F2026&X-Amz-Signature=ff00&partNumber=1",
      secrets,
    );
    expect(url).toBe(
      "https://127.0.0.1/b/k?X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>&partNumber=1",
    );
    expect(redactText("<AWSAccessKeyId>AKIAPARITYSECRETKEY1</AWSAccessKeyId>", secrets)).not.toContain(
      "AKIA",
    );
  });
});

describe("minio trace as evidence", () => {
  test("each REQUEST starts an exchange; headers, status and error body land in it, redacted", async () => {
    const recorder = new EvidenceRecorder();
    recorder.addSecrets("MINIOACCESSKEY01");
    const trace = recorder.minioTrace("http://127.0.0.1:9000");
    const lines = [
      "REQUEST: GET /b/missing",
      "authorization: AWS4-HMAC-SHA256 Credential=MINIOACCESSKEY01/20260101/us-east-1/s3/aws4_request, Signature=**REDACTED**",
      "host: 127.0.0.1:9000",
      "",
      "RESPONSE: 404",
      "x-amz-request-id: R1",
      "",
      "ERROR BODY:",
      '{"code": "NoSuchKey"}',
      "REQUEST: HEAD /b/other",
      "",
    ];
    for (const line of lines) trace.write(`${line}\n`);
    await new Promise((resolve) => trace.end(resolve));
    const [first, second] = recorder.snapshot();
    expect(first).toEqual({
      request: {
        method: "GET",
        url: "http://127.0.0.1:9000/b/missing",
        headers: {
          authorization:
            "AWS4-HMAC-SHA256 Credential=<redacted>/20260101/us-east-1/s3/aws4_request, Signature=**REDACTED**",
          host: "127.0.0.1:9000",
        },
      },
      response: { status: 404, headers: { "x-amz-request-id": "R1" }, body: '{"code": "NoSuchKey"}\n' },
    });
    expect(second.request).toMatchObject({ method: "HEAD", url: "http://127.0.0.1:9000/b/other" });
  });
});
