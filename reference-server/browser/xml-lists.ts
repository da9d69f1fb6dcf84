// Repeated elements of the CORS and website documents. The shared parser (http/xml.ts) turns one
// occurrence into a value and several into an array; these read both shapes the same way.

import { S3Error } from "../http/s3-error.ts";
import type { ParsedXml } from "../http/xml.ts";

/** Every text occurrence of a child element (an element with children where text is due: MalformedXML). */
export function xmlStrings(node: ParsedXml, name: string): string[] {
  const v = node[name];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (x === null || x === undefined) return "";
    if (typeof x === "object") throw new S3Error("MalformedXML");
    return String(x);
  });
}

/** Every element occurrence of a child element; an empty element counts as one with no children. */
export function xmlNodes(node: ParsedXml, name: string): ParsedXml[] {
  const v = node[name];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (x === "" || x === null) return {};
    if (typeof x !== "object") throw new S3Error("MalformedXML");
    return x as ParsedXml;
  });
}

/** At most one occurrence of a child element holding text. */
export function xmlOne(node: ParsedXml, name: string): string | undefined {
  const all = xmlStrings(node, name);
  if (all.length > 1) throw new S3Error("MalformedXML");
  return all[0];
}

/** At most one occurrence of a child element with children. */
export function xmlOneNode(node: ParsedXml, name: string): ParsedXml | undefined {
  const all = xmlNodes(node, name);
  if (all.length > 1) throw new S3Error("MalformedXML");
  return all[0];
}
