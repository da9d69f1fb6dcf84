// Listing invariants with fast-check (fixed seed): for arbitrary key sets, prefixes, delimiters (any
// string) and page sizes, paging through ListObjectsV2 (continuation tokens) and ListObjects (markers)
// yields every key and common prefix exactly once, in byte order, pages filled exactly as S3 fills them
// (common prefixes count against max-keys) — compared with an in-memory model.

import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import { beforeAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { assertProperty } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";
import { delimiter, keySet, modelListing, modelPages } from "./arbitraries.ts";

const fx = useFixture();

/** A key set under its own run prefix, a listing prefix (the run prefix plus a start of some key) and paging. */
const scenario = keySet.chain((keys) =>
  fc.record({
    keys: fc.constant(keys),
    extra:
      keys.length === 0
        ? fc.constant("")
        : fc.constantFrom(...keys).chain((k) => fc.nat(k.length).map((n) => k.slice(0, n))),
    delimiter,
    maxKeys: fc.integer({ min: 1, max: 4 }),
  }),
);

suite("listing properties", () => {
  const f = fx!;
  let bucket = "";
  let run = 0;
  beforeAll(async () => {
    bucket = f.bucketName("proplist");
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  /** Writes the keys under a fresh run prefix; returns the full keys and that prefix. */
  const seed = async (keys: readonly string[], tag: string) => {
    run += 1;
    const root = `${tag}${run}/`;
    const full = keys.map((k) => root + k);
    await Promise.all(full.map((Key) => f.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "" }))));
    return { full, root };
  };

  check("ListObjectsV2", "list-objects-v2.property-every-key-once", async () => {
    await assertProperty(
      fc.asyncProperty(scenario, async ({ keys, extra, delimiter: d, maxKeys }) => {
        const { full, root } = await seed(keys, "v2-");
        const prefix = root + extra;
        const expected = modelPages(modelListing(full, prefix, d), maxKeys);
        const pages: { keys: string[]; prefixes: string[] }[] = [];
        let token: string | undefined;
        for (let i = 0; i <= expected.length; i += 1) {
          const out = await f.s3.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              MaxKeys: maxKeys,
              ...(d ? { Delimiter: d } : {}),
              ...(token ? { ContinuationToken: token } : {}),
            }),
          );
          const page = {
            keys: (out.Contents ?? []).map((o) => o.Key ?? ""),
            prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""),
          };
          pages.push(page);
          expect(out.KeyCount).toBe(page.keys.length + page.prefixes.length);
          if (!out.IsTruncated) break;
          token = out.NextContinuationToken;
          expect(token).toBeTruthy();
        }
        expect({ prefix, delimiter: d, maxKeys, pages }).toEqual({
          prefix,
          delimiter: d,
          maxKeys,
          pages: expected,
        });
      }),
      { numRuns: 20 },
    );
  });

  check("ListObjects", "list-objects.marker-pagination", async () => {
    await assertProperty(
      fc.asyncProperty(scenario, async ({ keys, extra, delimiter: d, maxKeys }) => {
        const { full, root } = await seed(keys, "v1-");
        const prefix = root + extra;
        const expected = modelPages(modelListing(full, prefix, d), maxKeys);
        const pages: { keys: string[]; prefixes: string[] }[] = [];
        let marker: string | undefined;
        for (let i = 0; i <= expected.length; i += 1) {
          const out = await f.s3.send(
            new ListObjectsCommand({
              Bucket: bucket,
              Prefix: prefix,
              MaxKeys: maxKeys,
              ...(d ? { Delimiter: d } : {}),
              ...(marker ? { Marker: marker } : {}),
            }),
          );
          const page = {
            keys: (out.Contents ?? []).map((o) => o.Key ?? ""),
            prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""),
          };
          pages.push(page);
          if (!out.IsTruncated) {
            expect(out.NextMarker).toBeUndefined();
            break;
          }
          if (d) {
            // NextMarker is the page's last entry, key or common prefix.
            const entries = [...page.keys, ...page.prefixes].sort((a, b) =>
              Buffer.compare(Buffer.from(a), Buffer.from(b)),
            );
            expect(out.NextMarker).toBe(entries.at(-1));
            marker = out.NextMarker;
          } else {
            expect(out.NextMarker).toBeUndefined();
            marker = page.keys.at(-1);
          }
        }
        expect({ prefix, delimiter: d, maxKeys, pages }).toEqual({
          prefix,
          delimiter: d,
          maxKeys,
          pages: expected,
        });
      }),
      { numRuns: 20 },
    );
  });
});
