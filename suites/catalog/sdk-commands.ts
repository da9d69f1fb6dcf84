// The operations of the installed @aws-sdk/client-s3, read from the package at run time so that an SDK
// upgrade adds catalog rows (and fails the coverage test until they are classified).

import * as s3 from "@aws-sdk/client-s3";

const COMMAND_NAME = /^([A-Z][A-Za-z0-9]*)Command$/;

/** Operation names (`PutObject`, `ListObjectsV2`, ...) of every command class the SDK exports, sorted. */
export function sdkOperations(): string[] {
  const base: unknown = s3.$Command;
  const names: string[] = [];
  for (const [exported, value] of Object.entries(s3)) {
    const match = COMMAND_NAME.exec(exported);
    if (!match || typeof value !== "function") continue;
    // The name alone is not proof: `$Command` is the smithy base class, not an operation.
    if (typeof base === "function" && !(value.prototype instanceof base)) continue;
    names.push(match[1]);
  }
  return names.sort();
}
