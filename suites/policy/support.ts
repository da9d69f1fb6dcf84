// Shared by the policy suite files: bucket setup, principals as a policy names them, policy documents,
// and polling for policy changes (AWS applies a new policy after a short, eventually consistent delay).

import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import type { Fixture } from "../harness/suite.ts";

/** Awaits a request AWS answers with success; an S3 error answer fails the check as an assertion. */
export async function ok<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === undefined) throw error;
    return expect.fail(`expected success, got HTTP ${status} ${e.name ?? ""}: ${e.message ?? ""}`.trim());
  }
}

export interface Answer {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
}

/** What the target answered: 2xx status, or the error's status, code and message. */
export async function answer(request: Promise<{ $metadata: { httpStatusCode?: number } }>): Promise<Answer> {
  try {
    const out = await request;
    return { status: out.$metadata.httpStatusCode ?? 0 };
  } catch (error) {
    const e = error as {
      name?: string;
      Code?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = e.$metadata?.httpStatusCode;
    if (status === undefined) throw error;
    return { status, code: e.Code ?? e.name, ...(e.message ? { message: e.message } : {}) };
  }
}

/** The canonical id of the account behind a client (ListBuckets' Owner), as a policy's CanonicalUser. */
export async function canonicalId(s3: S3Client): Promise<string> {
  const out = await ok(s3.send(new ListBucketsCommand({})));
  const id = out.Owner?.ID;
  if (!id) return expect.fail("ListBuckets returned no Owner ID to name the account in a policy");
  return id;
}

/** A fresh bucket of the main account holding `keys` (body = key). */
export async function bucketWith(f: Fixture, keys: readonly string[] = []): Promise<string> {
  const Bucket = f.bucketName("pol");
  await ok(f.s3.send(new CreateBucketCommand({ Bucket })));
  for (const Key of keys) await ok(f.s3.send(new PutObjectCommand({ Bucket, Key, Body: Key })));
  return Bucket;
}

/**
 * AWS blocks public policies on new buckets (Block Public Access on by default); a check about a public
 * policy lifts the block first. A target without the operation has no block to lift, so its failure is
 * not the check's concern: PutBucketPolicy's answer is.
 */
export async function allowPublicPolicies(f: Fixture, Bucket: string): Promise<void> {
  await f.s3.send(new DeletePublicAccessBlockCommand({ Bucket })).catch(() => undefined);
}

export interface StatementSpec {
  readonly Sid?: string;
  readonly Effect?: "Allow" | "Deny";
  readonly Principal: unknown;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: unknown;
}

export function policyDoc(...statements: StatementSpec[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({ Effect: "Allow", ...s })),
  });
}

export const arn = (bucket: string, key?: string) =>
  `arn:aws:s3:::${bucket}${key === undefined ? "" : `/${key}`}`;

export const putPolicy = (s3: S3Client, Bucket: string, Policy: string) =>
  s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));

/** Is the target's endpoint on the loopback interface (so the caller's source address is loopback too)? */
export function loopbackEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
