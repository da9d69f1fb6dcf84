// The one place S3 XML bodies are built and parsed (fast-xml-parser). Handlers deal in plain objects.

import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeXml, S3Error } from "./s3-error.ts";

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** A value in an XML document to build: arrays repeat the element; undefined omits it. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Leaves are escaped by `prepare` with S3's escaping (control characters included).
  processEntities: false,
  suppressEmptyNode: false,
});

/** S3 timestamps in XML: ISO 8601 with milliseconds. */
export function isoDate(ms: number | Date): string {
  return (typeof ms === "number" ? new Date(ms) : ms).toISOString();
}

function prepare(v: XmlValue): unknown {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null).map(prepare);
  if (v instanceof Date) return isoDate(v);
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined || val === null) continue;
      out[k] = k.startsWith("@_") ? escapeXml(String(val)) : prepare(val);
    }
    return out;
  }
  return escapeXml(String(v));
}

/** `<?xml ...?>` + the root element with S3's namespace. */
export function buildXml(root: string, body: XmlNode, opts: { xmlns?: boolean } = {}): string {
  const node = { ...(opts.xmlns === false ? {} : { "@_xmlns": S3_XMLNS }), ...body };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: prepare(node) })}`;
}

/**
 * One element without declaration or namespace, for documents whose children of different names must
 * interleave in a given order (ListVersionsResult's Version and DeleteMarker), which a keyed object
 * cannot express.
 */
export function buildXmlElement(name: string, body: XmlNode): string {
  return builder.build({ [name]: prepare(body) });
}

// Elements that may repeat in request documents: always arrays, even when one is present.
const LIST_ELEMENTS = new Set(["Part", "Object", "Tag", "Rule", "Grant", "CORSRule", "FilterRule"]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

export type ParsedXml = Record<string, unknown>;

/**
 * Parse a request document; anything not well formed, with a DTD, or without the expected root is
 * MalformedXML (S3 answers the same for all of them).
 */
export function parseXml(text: string, root: string): ParsedXml {
  const malformed = () => new S3Error("MalformedXML");
  // DTDs (entity expansion, external entities) have no place in S3 requests.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed();
  if (text.trim() === "" || XMLValidator.validate(text) !== true) throw malformed();
  let doc: ParsedXml;
  try {
    doc = parser.parse(text) as ParsedXml;
  } catch {
    throw malformed();
  }
  const top = doc[root];
  if (top === undefined) throw malformed();
  // An empty root element parses as "".
  return typeof top === "object" && top !== null ? (top as ParsedXml) : {};
}

/** A child element's text, or undefined. */
export function xmlText(node: ParsedXml, name: string): string | undefined {
  const v = node[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") throw new S3Error("MalformedXML");
  return String(v);
}

/** Repeated child elements (declared in LIST_ELEMENTS) as objects. */
export function xmlList(node: ParsedXml, name: string): ParsedXml[] {
  const v = node[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (typeof x === "object" && x !== null ? (x as ParsedXml) : {}));
}
