// Shared by the acl, ownership and public-access-block suites: buckets with ACLs enabled, account ids as
// ACLs name them, anonymous requests, and polling for access changes (AWS applies ACL, policy and public
// access block changes after a short, eventually consistent delay).

import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  ListBucketsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { expect, type TestContext } from "vitest";
import { rawRequest } from "../harness/raw.ts";
import type { Fixture } from "../harness/suite.ts";

export const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/** The canonical id of the account behind a client (ListBuckets' Owner), as ACL grants name it. */
export async function canonicalId(s3: S3Client): Promise<string> {
  const out = await s3.send(new ListBucketsCommand({ MaxBuckets: 1 }));
  const id = out.Owner?.ID;
  if (!id) return expect.fail("ListBuckets returned no Owner ID to name the account in a grant");
  return id;
}

/**
 * A bucket with ACLs enabled (ObjectWriter) and no public access block: the state an ACL check needs on
 * AWS, where new buckets disable ACLs and block public access.
 */
export async function aclBucket(f: Fixture, tag = "acl"): Promise<string> {
  const Bucket = f.bucketName(tag);
  await f.s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: "ObjectWriter" }));
  await f.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  return Bucket;
}

/** The alternate account's client and canonical id; skips the check without one. */
export async function alternate(f: Fixture, ctx: TestContext): Promise<{ s3: S3Client; id: string }> {
  if (!f.target.alternate) ctx.skip("the target declares no alternate account");
  const s3 = f.client({ account: "alternate" });
  return { s3, id: await canonicalId(s3) };
}

/** Status of an unsigned request. */
export async function anonymousStatus(f: Fixture, method: string, path: string): Promise<number> {
  return (await rawRequest(f, { method, path })).status;
}

/** Polls a probe until it gives `want` (at most ~10 s), then asserts it. */
export async function eventually<T>(probe: () => Promise<T>, want: T): Promise<void> {
  let last = await probe();
  for (let i = 0; i < 20 && last !== want; i += 1) {
    await new Promise((r) => setTimeout(r, 500));
    last = await probe();
  }
  expect(last).toBe(want);
}

/** Status of an SDK call: 200 on success, the error's HTTP status otherwise. */
export async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === undefined) throw e;
    return status;
  }
}
