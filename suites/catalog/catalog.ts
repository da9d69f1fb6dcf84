// The operation catalog: every command of @aws-sdk/client-s3, its scope, why, and the named checks that
// prove it. The score's denominator is this list, so rows are never removed to flatter a target.
//
// Conventions:
// - A check id is `<operation-in-kebab-case>.<what-it-proves>`, unique across the catalog.
// - AWS S3 is the specification: a check must be one that AWS itself passes on a general-purpose bucket.
// - Cross-cutting areas (sigv4, sigv2, presigned, post-upload, checksums, conditional, ranges, errors,
//   tls, network) have no SDK command of their own; their checks ride on the operation whose request they
//   prove, and the slug names the area (`get-object.presigned-expired`).
// - A feature a bucket may switch off even on AWS rides on the extended operation that governs it, not on
//   the core operations that carry its headers: SSE-C checks sit under PutBucketEncryption (which can
//   block SSE-C), so a service without SSE-C fails encryption, not PutObject.
// - `aws-only` operations still have checks: the answer AWS gives on a general-purpose bucket (usually a
//   clean S3 error), which any service can give.

import { AREAS, type Area, type CatalogEntry, SCOPES, type Scope } from "./catalog-types.ts";
import { ACCESS } from "./operations/access.ts";
import { BUCKET_FEATURES } from "./operations/bucket-features.ts";
import { BUCKETS } from "./operations/buckets.ts";
import { CONFIGURATION } from "./operations/configuration.ts";
import { EXTRAS } from "./operations/extras.ts";
import { LIFECYCLE_ENCRYPTION } from "./operations/lifecycle-encryption.ts";
import { MULTIPART_COPY } from "./operations/multipart-copy.ts";
import { OBJECTS } from "./operations/objects.ts";
import { TAGGING_VERSIONING_LOCK } from "./operations/tagging-versioning-lock.ts";

export { AREAS, type Area, type CatalogEntry, SCOPES, type Scope };

// The rows live in operations/, one module per group of sections; the order here is the catalog's order.
export const CATALOG = [
  ...BUCKETS, // buckets
  ...OBJECTS, // objects, listing
  ...MULTIPART_COPY, // multipart, copy
  ...TAGGING_VERSIONING_LOCK, // tagging, versioning, object lock
  ...LIFECYCLE_ENCRYPTION, // lifecycle, encryption
  ...ACCESS, // policy, ACLs and ownership, public access block
  ...BUCKET_FEATURES, // CORS, website, logging
  ...CONFIGURATION, // configuration-only operations
  ...EXTRAS, // object annotations, select and restore, S3 Metadata tables
] as const satisfies readonly CatalogEntry[];

export type OperationName = (typeof CATALOG)[number]["operation"];
/** The check ids of one operation, as a type, so a suite cannot name another operation's check. */
export type CheckIdOf<Op extends OperationName> = Extract<
  (typeof CATALOG)[number],
  { operation: Op }
>["checks"][number];
export type CheckId = CheckIdOf<OperationName>;

const byOperation = new Map<string, CatalogEntry>(CATALOG.map((entry) => [entry.operation, entry]));
const ownerOfCheck = new Map<string, string>(
  CATALOG.flatMap((entry) => entry.checks.map((id): [string, string] => [id, entry.operation])),
);

export function catalogEntry(operation: string): CatalogEntry | undefined {
  return byOperation.get(operation);
}

/** The operation a check id belongs to, or undefined for an id the catalog does not know. */
export function operationOfCheck(checkId: string): string | undefined {
  return ownerOfCheck.get(checkId);
}

/** `ListObjectsV2` → `list-objects-v2`: the prefix every check id of the operation carries. */
export function kebabOperation(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
