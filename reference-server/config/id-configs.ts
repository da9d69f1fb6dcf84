// The id-keyed configuration families (analytics, inventory, metrics, intelligent-tiering): each is a
// map id → configuration in the bucket's attrs, addressed by `?<sub>&id=`, listed 100 a page with an
// opaque continuation token, at most 1,000 a bucket. Get and List share one route (GET ?<sub>): AWS
// tells them apart by the presence of `id`, so the route's handler dispatches (byIdQuery).

import { type Handler, queryValue, type S3Request, sendEmpty, sendXml } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { XmlNode } from "../http/xml.ts";
import { invalidArgument, readConfig, storedConfig, updateConfig } from "./document.ts";
import { type StructShape, text } from "./shape.ts";

export interface IdFamily {
  /** Key in the bucket's attrs. */
  readonly attr: string;
  /** Root element of the configuration document. */
  readonly root: string;
  readonly shape: StructShape;
  /** Root element of the List response and its member order (AWS's order differs per family). */
  readonly listRoot: string;
  readonly listFirst: boolean;
  /** The family's own semantic rules, after the shape check. */
  readonly validate: (config: XmlNode, r: S3Request) => void;
}

export const PAGE_SIZE = 100;
export const MAX_CONFIGURATIONS = 1000;
const ID = /^[A-Za-z0-9._-]{1,64}$/;

type Stored = Record<string, XmlNode>;

function idOf(r: S3Request): string {
  const id = queryValue(r, "id");
  if (id === undefined || id === "") throw invalidArgument("Missing required parameter: id", "id", "");
  return id;
}

export async function putIdConfig(r: S3Request, family: IdFamily): Promise<void> {
  const id = idOf(r);
  const config = await readConfig(r, family.root, family.shape, false);
  const bodyId = text(config, "Id") ?? "";
  if (!ID.test(bodyId)) {
    throw invalidArgument(
      "The configuration ID may contain only letters, numbers, periods, dashes and underscores, up to 64 characters",
      "Id",
      bodyId,
    );
  }
  if (bodyId !== id) {
    throw invalidArgument("The ID in the configuration does not match the id of the request", "id", id);
  }
  family.validate(config, r);
  await updateConfig<Stored>(r, family.attr, (current) => {
    const all = { ...current };
    if (!Object.hasOwn(all, id) && Object.keys(all).length >= MAX_CONFIGURATIONS) {
      throw new S3Error("TooManyConfigurations");
    }
    all[id] = config;
    return all;
  });
  sendEmpty(r, 200);
}

export async function getIdConfig(r: S3Request, family: IdFamily): Promise<void> {
  const id = idOf(r);
  const all = storedConfig<Stored>(r, family.attr) ?? {};
  if (!Object.hasOwn(all, id)) throw new S3Error("NoSuchConfiguration");
  sendXml(r, family.root, all[id]);
}

export async function deleteIdConfig(r: S3Request, family: IdFamily): Promise<void> {
  const id = idOf(r);
  await updateConfig<Stored>(r, family.attr, (current) => {
    if (!current || !Object.hasOwn(current, id)) throw new S3Error("NoSuchConfiguration");
    const { [id]: _removed, ...rest } = current;
    return Object.keys(rest).length === 0 ? undefined : rest;
  });
  sendEmpty(r, 204);
}

export async function listIdConfigs(r: S3Request, family: IdFamily): Promise<void> {
  const token = queryValue(r, "continuation-token");
  const after = token === undefined ? undefined : decodeToken(token);
  const all = storedConfig<Stored>(r, family.attr) ?? {};
  const ids = Object.keys(all)
    .sort()
    .filter((id) => after === undefined || id > after);
  const page = ids.slice(0, PAGE_SIZE);
  const truncated = ids.length > page.length;
  const paging: XmlNode = {
    IsTruncated: truncated,
    ContinuationToken: token,
    NextContinuationToken: truncated ? encodeToken(page[page.length - 1]) : undefined,
  };
  const list: XmlNode = { [family.root]: page.map((id) => all[id]) };
  sendXml(r, family.listRoot, family.listFirst ? { ...list, ...paging } : { ...paging, ...list });
}

// The token names the last id of the previous page; opaque to clients, as AWS's is.
function encodeToken(id: string): string {
  return Buffer.from(`id:${id}`, "utf8").toString("base64url");
}

function decodeToken(token: string): string {
  const decoded = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  if (!decoded.startsWith("id:")) {
    throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
  }
  return decoded.slice(3);
}

/** GET ?<sub>: Get with an id, List without (the SDK's x-id is only a hint). */
export function byIdQuery(get: Handler, listAction: string, list: Handler): Handler {
  const handler: Handler = (r) =>
    r.query.has("id") ? get(r) : list({ ...r, action: listAction } satisfies S3Request);
  // The operations table reads which actions a route serves (scripts/ops-table.ts).
  return Object.assign(handler, { alsoServes: [listAction] });
}
