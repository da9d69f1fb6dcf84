// What a suite file uses: the target from the environment, SDK and minio clients wired to it, unique
// bucket names with cleanup, and the evidence recorder hooked to every test. Without a target (a plain
// `vitest run` with nothing started) the suites skip, saying why.

import { Agent as HttpsAgent } from "node:https";
import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import * as Minio from "minio";
import { afterAll, beforeEach, describe } from "vitest";
import { EvidenceRecorder } from "./evidence.ts";
import { type Credentials, type RuntimeTarget, slowEnabled, TARGET_ENV, targetFromEnv } from "./target.ts";

export const target: RuntimeTarget | undefined = targetFromEnv();
export const slow = slowEnabled();
export const NO_TARGET = `no target: set ${TARGET_ENV} (parity conform does) to run the suites`;

/** `describe` that skips when no target is configured. */
export function suite(name: string, fn: () => void): void {
  describe.skipIf(target === undefined)(name, fn);
}

export interface ClientOptions {
  /** `WHEN_SUPPORTED` is the SDK default (aws-chunked with a CRC32 trailer); checks of that mode opt in. */
  readonly checksums?: "WHEN_SUPPORTED" | "WHEN_REQUIRED";
  readonly account?: "main" | "alternate";
  /** Overrides the account's credentials (signature refusal checks use wrong ones). */
  readonly credentials?: Credentials;
  /** Milliseconds added to the signing clock (skew checks). */
  readonly clockOffsetMs?: number;
}

export class Fixture {
  readonly target: RuntimeTarget;
  readonly recorder = new EvidenceRecorder();
  private readonly buckets = new Set<string>();
  private readonly clients: S3Client[] = [];
  private counter = 0;
  private main: S3Client | undefined;
  private readonly runId = Math.random().toString(36).slice(2, 8);

  constructor(t: RuntimeTarget) {
    this.target = t;
    for (const c of [t.main, t.alternate]) if (c) this.recorder.addSecrets(c.secretAccessKey, c.accessKeyId);
  }

  /** The main account's client with default settings, shared by a file's tests. */
  get s3(): S3Client {
    this.main ??= this.client();
    return this.main;
  }

  credentials(account: "main" | "alternate" = "main"): Credentials | undefined {
    return account === "main" ? this.target.main : this.target.alternate;
  }

  client(options: ClientOptions = {}): S3Client {
    const credentials = options.credentials ?? this.credentials(options.account);
    if (!credentials) throw new Error(`target ${this.target.name} has no ${options.account} account`);
    const checksums = options.checksums ?? "WHEN_REQUIRED";
    const config: S3ClientConfig = {
      endpoint: this.target.endpoint,
      region: this.target.region,
      forcePathStyle: this.target.addressing === "path",
      credentials,
      requestChecksumCalculation: checksums,
      responseChecksumValidation: checksums,
      // Retries would hide the first answer, which is the one under test.
      maxAttempts: 1,
      ...(options.clockOffsetMs ? { systemClockOffset: options.clockOffsetMs } : {}),
    };
    if (this.target.endpoint.startsWith("https:")) {
      const agent = new HttpsAgent({ ca: this.target.tls.ca, rejectUnauthorized: !this.target.tls.insecure });
      config.requestHandler = { httpsAgent: agent, requestTimeout: 30_000 };
    } else {
      config.requestHandler = { requestTimeout: 30_000 };
    }
    const client = new S3Client(config);
    // Only the peer the harness restarts after a crash: elsewhere a refused connection is the answer.
    if (this.target.kind === "s3rver") retryRefusedConnections(client);
    this.recorder.attach(client);
    this.clients.push(client);
    return client;
  }

  minio(): Minio.Client {
    const url = new URL(this.target.endpoint);
    const secure = url.protocol === "https:";
    const client = new Minio.Client({
      endPoint: url.hostname,
      port: Number(url.port || (secure ? 443 : 80)),
      useSSL: secure,
      accessKey: this.target.main.accessKeyId,
      secretKey: this.target.main.secretAccessKey,
      region: this.target.region,
      pathStyle: this.target.addressing === "path",
      ...(secure
        ? {
            transportAgent: new HttpsAgent({
              ca: this.target.tls.ca,
              rejectUnauthorized: !this.target.tls.insecure,
            }),
          }
        : {}),
    });
    client.traceOn(this.recorder.minioTrace(this.target.endpoint));
    return client;
  }

  /** A fresh, valid, run-unique bucket name; remembered so afterAll removes it and its contents. */
  bucketName(tag = "b"): string {
    this.counter += 1;
    const name = `parity-${this.runId}-${tag}-${this.counter}`.toLowerCase().slice(0, 63);
    this.buckets.add(name);
    return name;
  }

  async cleanup(): Promise<void> {
    const s3 = this.s3;
    for (const bucket of this.buckets) {
      try {
        await emptyBucket(s3, bucket);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      } catch {
        // Best effort: the bucket may never have been created, or the target may not allow deletion.
      }
    }
    for (const c of this.clients) c.destroy();
  }
}

/**
 * Removes everything a check left in a bucket: every version and delete marker (null versions named
 * "null", as S3 accepts), page by page, and incomplete multipart uploads. Governance-locked versions go
 * with the bypass header; compliance-locked ones cannot be removed by anyone, so their bucket stays.
 */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  for (let page = 0; page < 100; page += 1) {
    const keys = await listSomeVersions(s3, bucket);
    if (keys.length === 0) break;
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys, Quiet: true },
        BypassGovernanceRetention: true,
      }),
    );
    // Whatever refused (locked versions) would come back on the next page forever.
    if ((out.Errors ?? []).length >= keys.length) break;
  }
  for (let page = 0; page < 20; page += 1) {
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket })).catch(() => undefined);
    const list = uploads?.Uploads ?? [];
    if (list.length === 0) break;
    for (const u of list)
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  }
}

async function listSomeVersions(
  s3: S3Client,
  bucket: string,
): Promise<{ Key: string; VersionId?: string }[]> {
  try {
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    return [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]
      .filter((v) => v.Key !== undefined)
      .map((v) => ({ Key: v.Key!, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
  } catch {
    // A target without versioning support lists plain keys.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
    return (listed.Contents ?? []).filter((o) => o.Key !== undefined).map((o) => ({ Key: o.Key! }));
  }
}

/**
 * Registers the per-file hooks: evidence is reset before each test and attached to a failing test's
 * meta; buckets are removed after the file. Returns undefined when there is no target.
 */
export function useFixture(): Fixture | undefined {
  if (target === undefined) return undefined;
  const fixture = new Fixture(target);
  beforeEach((ctx) => {
    fixture.recorder.reset();
    ctx.onTestFailed(() => {
      ctx.task.meta.s3Evidence = fixture.recorder.snapshot();
    });
  });
  afterAll(() => fixture.cleanup());
  return fixture;
}

/**
 * A refused connection never reached the server, so trying it again hides no answer: a peer restarted
 * after a crash (s3rver, s3rver.ts) is back within a second or two, and checks that land in that window
 * would otherwise all fail alike, saying nothing about their area.
 */
function retryRefusedConnections(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(args);
        } catch (e) {
          if ((e as { code?: string }).code !== "ECONNREFUSED" || attempt >= REFUSED_ATTEMPTS) throw e;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    { step: "finalizeRequest", name: "retryRefusedConnections", priority: "low" },
  );
}

const REFUSED_ATTEMPTS = 50;
