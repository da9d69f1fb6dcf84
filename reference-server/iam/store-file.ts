// The accounts file: one small JSON document, replaced atomically (temp file, fsync, rename, fsync of
// the directory) so a crash leaves the old or the new document, never a torn one.

import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { SealedSecret } from "./sealing.ts";

export const ROLES = ["Maintainer", "Writer", "Reader"] as const;
export type Role = (typeof ROLES)[number];

export interface TenantRecord {
  name: string;
  createdAt: string; // ISO 8601
}

export interface StoredAccount {
  id: string; // the principal: bucket owner, ListBuckets Owner ID
  tenant: string;
  name: string;
  createdAt: string;
  root?: true;
  key: { accessKeyId: string; createdAt: string; sealed: SealedSecret };
}

export interface RoleBinding {
  bucket: string;
  accountId: string;
  role: Role;
  createdAt: string;
}

export interface StoreDocument {
  version: 1;
  tenants: TenantRecord[];
  accounts: StoredAccount[];
  bindings: RoleBinding[];
}

export function emptyDocument(): StoreDocument {
  return { version: 1, tenants: [], accounts: [], bindings: [] };
}

/** The document, or an empty one when the file does not exist yet. Malformed files are errors. */
export async function readDocument(file: string): Promise<StoreDocument> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyDocument();
    throw e;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`accounts file ${file} is not valid JSON`, { cause: e });
  }
  const d = doc as Partial<StoreDocument>;
  if (
    typeof doc !== "object" ||
    doc === null ||
    d.version !== 1 ||
    !Array.isArray(d.tenants) ||
    !Array.isArray(d.accounts) ||
    !Array.isArray(d.bindings)
  ) {
    throw new Error(`accounts file ${file} is not a version 1 accounts document`);
  }
  return d as StoreDocument;
}

export async function writeDocument(file: string, doc: StoreDocument, durable: boolean): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  const fh = await open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(JSON.stringify(doc, null, 2) + "\n", "utf8");
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  if (durable) {
    // Makes the rename itself durable; a platform that cannot open directories skips it.
    const dh = await open(dir, "r").catch(() => undefined);
    if (dh) await dh.sync().catch(() => {});
    await dh?.close();
  }
}
