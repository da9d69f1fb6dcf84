// Declarative shapes of S3 configuration documents (the service model's structures), and the one walker
// that validates a parsed request document against a shape and normalises it into the form the response
// renders. AWS validates these documents against its schema and answers MalformedXML for anything the
// schema refuses (unknown or repeated elements, missing required ones, values outside an enumeration),
// so the walker does too; semantic rules (limits, ids, destinations) are each configuration's own.

import { S3Error } from "../http/s3-error.ts";
import type { XmlNode, XmlValue } from "../http/xml.ts";

export type Shape = ScalarShape | StructShape;

export interface ScalarShape {
  readonly kind: "string" | "int" | "bool";
  /** The enumeration the value must belong to. */
  readonly values?: readonly string[];
}

export interface StructShape {
  readonly kind: "struct";
  /** Fields in the order the response lists them. */
  readonly fields: Readonly<Record<string, Field>>;
  /** A union: at most one field may be present (filters). */
  readonly union?: boolean;
}

export interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
  /** The element repeats in place (a flattened list); the normalised value is an array. */
  readonly repeated?: boolean;
}

export const str = (values?: readonly string[]): ScalarShape =>
  values ? { kind: "string", values } : { kind: "string" };
export const int: ScalarShape = { kind: "int" };
export const bool: ScalarShape = { kind: "bool" };
export const struct = (fields: Record<string, Field | Shape>, union = false): StructShape => {
  const out: Record<string, Field> = {};
  for (const [name, f] of Object.entries(fields)) out[name] = "kind" in f ? { shape: f } : f;
  return union ? { kind: "struct", fields: out, union } : { kind: "struct", fields: out };
};
export const req = (shape: Shape): Field => ({ shape, required: true });
export const many = (shape: Shape, required = false): Field => ({ shape, repeated: true, required });

const malformed = () => new S3Error("MalformedXML");

/** Validate a parsed element against its shape; returns the normalised value (an XmlNode for structs). */
export function readShape(value: unknown, shape: StructShape): XmlNode;
export function readShape(value: unknown, shape: Shape): XmlValue;
export function readShape(value: unknown, shape: Shape): XmlValue {
  if (shape.kind === "struct") return readStruct(value, shape);
  if (typeof value !== "string") throw malformed();
  if (shape.values && !shape.values.includes(value)) throw malformed();
  if (shape.kind === "int") {
    if (!/^-?\d{1,15}$/.test(value)) throw malformed();
    return Number(value);
  }
  if (shape.kind === "bool") {
    if (value !== "true" && value !== "false") throw malformed();
    return value === "true";
  }
  return value;
}

function readStruct(value: unknown, shape: StructShape): XmlNode {
  // An empty element (`<Filter/>`) parses as "".
  if (value === "") value = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed();
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) if (!Object.hasOwn(shape.fields, name)) throw malformed();
  const out: XmlNode = {};
  let present = 0;
  for (const [name, field] of Object.entries(shape.fields)) {
    const v = given[name];
    if (v === undefined) {
      if (field.required) throw malformed();
      continue;
    }
    present += 1;
    if (field.repeated) {
      out[name] = (Array.isArray(v) ? v : [v]).map((item) => readShape(item, field.shape));
    } else {
      // The parser makes some names lists everywhere (Tag, Rule): one occurrence is still one element.
      if (Array.isArray(v) && v.length !== 1) throw malformed();
      out[name] = readShape(Array.isArray(v) ? v[0] : v, field.shape);
    }
  }
  if (shape.union && present > 1) throw malformed();
  return out;
}

// ---- reading normalised values back (stored configurations are plain data of these shapes)

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const v = node?.[name];
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date)
    ? (v as XmlNode)
    : undefined;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? (v as XmlNode[]) : [];
}

export function text(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[name];
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}
