// One account holding 999 buckets (the seeds' per-tenant figure; AWS's default quota is higher), all
// listed, page by page. Slow: it creates and removes up to 999 buckets, so it runs in `parity conform`
// only. It uses the alternate account so the main account's buckets of concurrently running files do not
// count against it.

import {
  CreateBucketCommand,
  DeleteBucketCommand,
  ListBucketsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, target, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const HOLD = 999;

async function ownedBuckets(s3: S3Client, prefix?: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const out = await s3.send(
      new ListBucketsCommand({ MaxBuckets: 500, ContinuationToken: token, Prefix: prefix }),
    );
    for (const b of out.Buckets ?? []) if (b.Name) names.push(b.Name);
    token = out.ContinuationToken;
    if (!token) break;
  }
  return names;
}

suite("an account with 999 buckets", () => {
  const f = fx!;
  const created: string[] = [];
  const prefix = `parity-many-${Math.random().toString(36).slice(2, 8)}-`;
  let alt: S3Client | undefined;
  afterAll(async () => {
    for (let i = 0; i < created.length; i += 20) {
      await Promise.all(
        created
          .slice(i, i + 20)
          .map((Bucket) => alt!.send(new DeleteBucketCommand({ Bucket })).catch(() => {})),
      );
    }
  }, 600_000);

  check(
    "CreateBucket",
    "create-bucket.holds-999-buckets",
    async (ctx) => {
      if (!target?.alternate) ctx.skip("the target declares no alternate account");
      alt = f.client({ account: "alternate" });
      const before = (await ownedBuckets(alt)).length;
      const wanted = Math.max(0, HOLD - before);
      for (let i = 0; i < wanted; i += 20) {
        const batch = Array.from({ length: Math.min(20, wanted - i) }, (_, j) => `${prefix}${i + j}`);
        await Promise.all(
          batch.map(async (Bucket) => {
            await alt!.send(new CreateBucketCommand({ Bucket }));
            created.push(Bucket);
          }),
        );
      }
      const mine = await ownedBuckets(alt, prefix);
      expect(mine.length).toBe(wanted);
      expect(new Set(mine).size).toBe(wanted);
      expect((await ownedBuckets(alt)).length).toBeGreaterThanOrEqual(HOLD);
    },
    { slow: true, timeout: 600_000 },
  );
});
