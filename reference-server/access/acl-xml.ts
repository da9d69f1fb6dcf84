// The AccessControlPolicy document: parsed from PutBucketAcl / PutObjectAcl bodies (grantee types come
// from the xsi:type attribute, which the shared parser drops, hence a parser of its own) and rendered for
// GetBucketAcl / GetObjectAcl.

import { XMLParser, XMLValidator } from "fast-xml-parser";
import { S3Error } from "../http/s3-error.ts";
import type { XmlNode } from "../http/xml.ts";
import { type Acl, type Grant, type Grantee, PERMISSIONS, type Permission } from "./acl.ts";

const XSI = "http://www.w3.org/2001/XMLSchema-instance";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  isArray: (name) => name === "Grant",
});

const malformed = () => new S3Error("MalformedACLError");

type Node = Record<string, unknown>;

function child(n: Node, name: string): Node | undefined {
  const v = n[name];
  if (v === undefined) return undefined;
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Node;
  if (v === "") return {};
  throw malformed();
}

function text(n: Node, name: string): string | undefined {
  const v = n[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") throw malformed();
  return String(v);
}

/** An AccessControlPolicy body: the owner it names (if any) and its grants. */
export function parseAccessControlPolicy(body: string): { owner?: string; grants: Grant[] } {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new S3Error("MalformedXML");
  if (body.trim() === "" || XMLValidator.validate(body) !== true) throw new S3Error("MalformedXML");
  let doc: Node;
  try {
    doc = parser.parse(body) as Node;
  } catch {
    throw new S3Error("MalformedXML");
  }
  const root = child(doc, "AccessControlPolicy");
  if (!root) throw malformed();
  const ownerNode = child(root, "Owner");
  const owner = ownerNode ? text(ownerNode, "ID") : undefined;
  const list = child(root, "AccessControlList");
  if (!list) throw malformed();
  const raw = list.Grant;
  const items = raw === undefined ? [] : (raw as unknown[]);
  const grants = items.map((g): Grant => {
    if (typeof g !== "object" || g === null) throw malformed();
    const node = g as Node;
    const permission = text(node, "Permission");
    if (!permission || !PERMISSIONS.includes(permission as Permission)) throw malformed();
    const granteeNode = child(node, "Grantee");
    if (!granteeNode) throw malformed();
    return { grantee: grantee(granteeNode), permission: permission as Permission };
  });
  return { owner, grants };
}

function grantee(n: Node): Grantee {
  const type = n["@_type"];
  if (type === "CanonicalUser") {
    const id = text(n, "ID");
    if (!id) throw malformed();
    return { type, id };
  }
  if (type === "Group") {
    const uri = text(n, "URI");
    if (!uri) throw malformed();
    return { type, uri };
  }
  if (type === "AmazonCustomerByEmail") {
    const email = text(n, "EmailAddress");
    if (!email) throw malformed();
    return { type, email };
  }
  throw malformed();
}

/** The body of GetBucketAcl / GetObjectAcl (root AccessControlPolicy). */
export function aclXml(acl: Acl): XmlNode {
  return {
    Owner: { ID: acl.owner, DisplayName: acl.owner },
    AccessControlList: {
      Grant: acl.grants.map((g) => ({
        Grantee: granteeXml(g.grantee),
        Permission: g.permission,
      })),
    },
  };
}

function granteeXml(g: Grantee): XmlNode {
  const attrs = { "@_xmlns:xsi": XSI, "@_xsi:type": g.type };
  if (g.type === "CanonicalUser") return { ...attrs, ID: g.id, DisplayName: g.id };
  if (g.type === "Group") return { ...attrs, URI: g.uri };
  return { ...attrs, EmailAddress: g.email };
}
