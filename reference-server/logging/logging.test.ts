// The parts of access logging that need no server: AWS's record format (quoting, escaping, key
// encoding, redaction), log object names, and delivery's retry and bounds with an engine that fails.

import { describe, expect, test } from "vitest";
import { StorageError } from "../storage/errors.ts";
import { formatAwsRecord, logTime, parseAwsRecord } from "./aws-format.ts";
import type { LoggingConfig } from "./config.ts";
import { LogDelivery, logObjectKey } from "./delivery.ts";
import { type AccessRecord, operationName, redactUri } from "./record.ts";

const rec: AccessRecord = {
  time: Date.UTC(2019, 1, 6, 0, 0, 38),
  requestId: "3E57427F3EXAMPLE",
  hostId: "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
  remoteIp: "192.0.2.3",
  method: "GET",
  uri: "/awsexamplebucket1?versioning",
  httpVersion: "1.1",
  bucket: "awsexamplebucket1",
  operation: "REST.GET.VERSIONING",
  requester: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
  status: 200,
  bytesSent: 113,
  totalMs: 7,
  userAgent: "S3Console/0.4",
  signatureVersion: "SigV4",
  authType: "AuthHeader",
  cipher: "ECDHE-RSA-AES128-GCM-SHA256",
  tlsVersion: "TLSv1.2",
  host: "awsexamplebucket1.s3.us-west-1.amazonaws.com",
};
const OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

describe("AWS's record format", () => {
  test("AWS's documented example line, field for field", () => {
    expect(formatAwsRecord(rec, { bucket: "awsexamplebucket1", owner: OWNER })).toBe(
      `${OWNER} awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${OWNER} 3E57427F3EXAMPLE ` +
        `REST.GET.VERSIONING - "GET /awsexamplebucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - ` +
        `${rec.hostId} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader ` +
        "awsexamplebucket1.s3.us-west-1.amazonaws.com TLSv1.2 - -",
    );
    expect(logTime(Date.UTC(2026, 11, 31, 23, 5, 9))).toBe("[31/Dec/2026:23:05:09 +0000]");
  });

  test("keys are percent-encoded; quotes, backslashes and controls cannot break a record", () => {
    const tricky: AccessRecord = {
      ...rec,
      key: 'dir/ü "q" a b\n.txt',
      userAgent: 'agent "x" \\ \t end',
      referer: "line\nbreak",
      uri: '/b/"x y"',
      host: "host with space",
    };
    const line = formatAwsRecord(tricky, { bucket: "b", owner: OWNER });
    expect(line).not.toContain("\n");
    const f = parseAwsRecord(line);
    expect([f.key, f.userAgent, f.referer, f.requestUri, f.hostHeader]).toEqual([
      "dir/%C3%BC%20%22q%22%20a%20b%0A.txt",
      'agent "x" \\ \t end',
      "line\nbreak",
      'GET /b/"x y" HTTP/1.1',
      "host%20with%20space",
    ]);
  });

  test("signatures and session tokens are redacted from request URIs, the rest kept as sent", () => {
    expect(
      redactUri(
        "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fus-east-1%2Fs3%2Faws4_request" +
          "&X-Amz-Signature=abc&X-Amz-Security-Token=tok&versionId=v1",
      ),
    ).toBe(
      "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fus-east-1%2Fs3%2Faws4_request" +
        "&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED&versionId=v1",
    );
    expect(redactUri("/b/k?AWSAccessKeyId=AK&Expires=1&Signature=s%2Bg")).toBe(
      "/b/k?AWSAccessKeyId=AK&Expires=1&Signature=REDACTED",
    );
    expect(redactUri("/b/k")).toBe("/b/k");
  });

  test("operation names", () => {
    expect(operationName("GET", "GetObject", "object", "")).toBe("REST.GET.OBJECT");
    expect(operationName("PUT", "CopyObject", "object", "")).toBe("REST.COPY.OBJECT");
    expect(operationName("POST", "DeleteObjects", "bucket", "delete")).toBe("REST.POST.MULTI_OBJECT_DELETE");
    expect(operationName("GET", undefined, "bucket", "object-lock")).toBe(
      "REST.GET.OBJECT_LOCK_CONFIGURATION",
    );
    expect(operationName("GET", undefined, "bucket", "cors")).toBe("REST.GET.CORS");
    expect(operationName("GET", undefined, "object", "")).toBe("REST.GET.OBJECT");
    expect(operationName("OPTIONS", undefined, "object", "")).toBe("REST.OPTIONS.PREFLIGHT");
  });
});

const simple: LoggingConfig = { targetBucket: "logs", targetPrefix: "p/", targetGrants: [] };
const source = { bucket: "src", owner: "o1", region: "us-east-1" };
const T = Date.UTC(2026, 6, 4, 5, 6, 7);

test("log object keys", () => {
  expect(logObjectKey(simple, source, T, T, "0123456789ABCDEF")).toBe(
    "p/2026-07-04-05-06-07-0123456789ABCDEF",
  );
  const partitioned = (dateSource?: "EventTime" | "DeliveryTime"): LoggingConfig => ({
    ...simple,
    keyFormat: { kind: "PartitionedPrefix", dateSource },
  });
  const earlier = Date.UTC(2026, 6, 3, 23, 0, 0);
  expect(logObjectKey(partitioned("EventTime"), source, T, earlier, "X")).toBe(
    "p/o1/us-east-1/src/2026/07/03/2026-07-04-05-06-07-X",
  );
  expect(logObjectKey(partitioned(), source, T, earlier, "X")).toBe(
    "p/o1/us-east-1/src/2026/07/04/2026-07-04-05-06-07-X",
  );
  expect(logObjectKey(simple, source, T, T)).toMatch(/^p\/2026-07-04-05-06-07-[0-9A-F]{16}$/);
});

/** An engine whose writes fail while `failing` is set, recording what it stored. */
function fakeEngine() {
  const state = {
    /** Owner of each bucket that exists. */
    buckets: new Map([["logs", "o1"]]),
    failing: undefined as Error | undefined,
    stored: [] as { bucket: string; key: string; body: string }[],
  };
  const engine = {
    getBucket(name: string) {
      const owner = state.buckets.get(name);
      return owner === undefined ? undefined : { name, owner };
    },
    async putObject(input: { bucket: string; key: string; body: AsyncIterable<Uint8Array> }) {
      const parts: Buffer[] = [];
      for await (const c of input.body) parts.push(Buffer.from(c));
      if (state.failing) throw state.failing;
      state.stored.push({ bucket: input.bucket, key: input.key, body: Buffer.concat(parts).toString() });
      return {};
    },
  };
  return { state, engine: engine as never };
}

describe("delivery", () => {
  test("batches of maxRecords; a failed write keeps its records, in order, for the next flush", async () => {
    const { state, engine } = fakeEngine();
    const errors: string[] = [];
    const d = new LogDelivery({
      engine,
      clock: () => T,
      flushIntervalMs: 0,
      maxRecords: 3,
      onError: (_e, target) => errors.push(target),
    });
    state.failing = new StorageError("InsufficientWriteQuorum", "disks down");
    for (let i = 1; i <= 2; i++) d.add(source, simple, `r${i}`, T);
    expect(await d.flush()).toEqual({ delivered: 0, objects: 0, pending: 2, dropped: 0, failures: 1 });
    expect(errors).toEqual(["logs"]);
    state.failing = undefined;
    for (let i = 3; i <= 4; i++) d.add(source, simple, `r${i}`, T);
    const stats = await d.flush();
    expect(stats).toEqual({ delivered: 4, objects: 2, pending: 0, dropped: 0, failures: 1 });
    expect(state.stored.map((s) => s.body)).toEqual(["r1\nr2\nr3\n", "r4\n"]);
    expect(state.stored.every((s) => s.bucket === "logs" && s.key.startsWith("p/2026-07-04-05-06-07-"))).toBe(
      true,
    );
  });

  test("a full buffer is delivered without waiting; records past maxPending are dropped and counted", async () => {
    const { state, engine } = fakeEngine();
    state.failing = new Error("disk full");
    const d = new LogDelivery({
      engine,
      clock: () => T,
      flushIntervalMs: 0,
      maxRecords: 2,
      maxPending: 3,
      onError: () => {},
    });
    for (let i = 1; i <= 5; i++) d.add(source, simple, `r${i}`, T);
    expect(await d.flush()).toMatchObject({ pending: 3, dropped: 2 });
    state.failing = undefined;
    d.add(source, simple, "r6", T); // still full: dropped
    const stats = await d.flush();
    expect(stats).toMatchObject({ delivered: 3, pending: 0, dropped: 3 });
    expect(state.stored.map((s) => s.body).join("")).toBe("r1\nr2\nr3\n");
  });

  test("records for a target bucket that no longer exists are dropped, not retried forever", async () => {
    const { state, engine } = fakeEngine();
    state.failing = new StorageError("NoSuchBucket", "gone", { bucket: "logs" });
    const d = new LogDelivery({ engine, clock: () => T, flushIntervalMs: 0 });
    d.add(source, simple, "r1", T);
    expect(await d.flush()).toEqual({ delivered: 0, objects: 0, pending: 0, dropped: 1, failures: 0 });
    state.buckets.delete("logs");
    state.failing = undefined;
    d.add(source, simple, "r2", T);
    expect(await d.flush()).toMatchObject({ delivered: 0, pending: 0, dropped: 2 });
  });

  test("a target now owned by another account gets nothing", async () => {
    const { state, engine } = fakeEngine();
    state.buckets.set("logs", "someone-else");
    const d = new LogDelivery({ engine, clock: () => T, flushIntervalMs: 0 });
    d.add(source, simple, "secret request", T);
    expect(await d.flush()).toMatchObject({ delivered: 0, pending: 0, dropped: 1 });
    expect(state.stored).toEqual([]);
  });
});

describe("platform log lines", () => {
  test("appended in batches while an append is in flight, every line once and in order", async () => {
    const { mkdtemp, readFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { PlatformLog, platformLogFile } = await import("./platform-log.ts");
    const dataDir = await mkdtemp(join(tmpdir(), "platform-log-"));
    try {
      const log = new PlatformLog({ dataDir, batchLines: 100 });
      for (let i = 0; i < 2_000; i++) log.add({ ...rec, requestId: String(i) });
      await log.flush();
      // One append per 100 lines (the first append is still running while the rest arrive).
      expect(log.appends).toBeLessThanOrEqual(21);
      const lines = (await readFile(platformLogFile(dataDir, rec.time), "utf8")).trim().split("\n");
      expect(lines.map((l) => JSON.parse(l).requestId)).toEqual(
        Array.from({ length: 2_000 }, (_, i) => String(i)),
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("every field of the record, time as ISO 8601, absent ones left out", async () => {
    const { platformLine } = await import("./platform-log.ts");
    const full = {
      ...(rec as Required<AccessRecord>),
      key: "a/b.txt",
      action: "GetObject",
      accessKeyId: "AKID",
      errorCode: "NoSuchKey",
      bytesReceived: 5,
      objectSize: 9,
      turnaroundMs: 1,
      referer: "https://example.com/",
      versionId: "null",
      copySource: { bucket: "src", key: "k", versionId: "v1" },
    };
    const line = JSON.parse(platformLine(full));
    expect(Object.keys(line).length).toBe(29); // every field of AccessRecord
    expect(line).toEqual({ ...full, time: "2019-02-06T00:00:38.000Z" });
    expect(Object.keys(line)[0]).toBe("time");
    const sparse = JSON.parse(platformLine({ ...rec, copySource: undefined, referer: undefined }));
    expect(sparse).toEqual({ ...rec, time: "2019-02-06T00:00:38.000Z" });
    expect("copySource" in sparse || "referer" in sparse).toBe(false);
  });

  test("exactly JSON.stringify's text for any strings (quotes, controls, lone surrogates) and absent fields", async () => {
    const fc = (await import("fast-check")).default;
    const { platformLine } = await import("./platform-log.ts");
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
    const opt = <T>(a: import("fast-check").Arbitrary<T>) => fc.option(a, { nil: undefined });
    const record = fc.record({
      time: fc.integer({ min: 0, max: 4102444800000 }),
      requestId: text,
      hostId: text,
      remoteIp: text,
      method: text,
      uri: text,
      httpVersion: text,
      bucket: opt(text),
      key: opt(text),
      operation: text,
      status: fc.integer({ min: 100, max: 599 }),
      errorCode: opt(text),
      bytesSent: fc.nat(),
      objectSize: opt(fc.nat()),
      userAgent: opt(text),
      copySource: opt(fc.record({ bucket: text, key: text, versionId: opt(text) })),
    });
    fc.assert(
      fc.property(record, (r) => {
        const { time, ...rest } = r;
        expect(platformLine(r as AccessRecord)).toBe(
          JSON.stringify({ time: new Date(time).toISOString(), ...rest }),
        );
      }),
    );
  });
});
