// The LifecycleConfiguration document as PutBucketLifecycleConfiguration receives it: parsed and validated
// as AWS does (schema violations are MalformedXML, out-of-range values InvalidArgument with AWS's
// messages, contradictory rules InvalidRequest). render.ts writes it back.

import { randomUUID } from "node:crypto";
import { S3Error } from "../http/s3-error.ts";
import { type ParsedXml, parseXml, xmlText } from "../http/xml.ts";
import type {
  LifecycleConfig,
  LifecycleRule,
  MinObjectSize,
  NoncurrentTransition,
  RuleFilter,
  Transition,
} from "./types.ts";

export const MAX_RULES = 1000;
export const MAX_ID_CHARS = 255;
/** Storage classes a transition may name (the schema's TransitionStorageClass). */
export const TRANSITION_CLASSES = new Set([
  "GLACIER",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "DEEP_ARCHIVE",
  "GLACIER_IR",
]);
/** Classes with a 30-day minimum before a transition into them. */
const THIRTY_DAY_CLASSES = new Set(["STANDARD_IA", "ONEZONE_IA"]);

const malformed = () => new S3Error("MalformedXML");
const invalidArgument = (message: string) => new S3Error("InvalidArgument", { message });
const invalidRequest = (message: string) => new S3Error("InvalidRequest", { message });

/** Elements outside the schema make the document invalid. */
function allowOnly(node: ParsedXml, names: readonly string[]): void {
  for (const k of Object.keys(node)) if (!names.includes(k)) throw malformed();
}

/** A single child element with children (an empty one is {}); absent: undefined. */
function element(node: ParsedXml, name: string): ParsedXml | undefined {
  const v = node[name];
  if (v === undefined || v === null) return undefined;
  if (v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) throw malformed();
  return v as ParsedXml;
}

/** A repeatable child element as a list (fast-xml-parser gives one object or an array). */
function elements(node: ParsedXml, name: string): ParsedXml[] {
  const v = node[name];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (x === "") return {};
    if (typeof x !== "object" || x === null || Array.isArray(x)) throw malformed();
    return x as ParsedXml;
  });
}

/** An xs:int / xs:long: digits with an optional sign, else the document does not validate. */
function integer(node: ParsedXml, name: string): number | undefined {
  const t = xmlText(node, name);
  if (t === undefined) return undefined;
  if (!/^[+-]?\d{1,18}$/.test(t)) throw malformed();
  return Number(t);
}

function positive(node: ParsedXml, name: string, message: string): number | undefined {
  const n = integer(node, name);
  if (n !== undefined && (n <= 0 || n > 2_147_483_647)) throw invalidArgument(message);
  return n;
}

/** xs:dateTime; AWS only accepts midnight UTC for lifecycle dates. */
function midnightDate(node: ParsedXml, name: string): number | undefined {
  const t = xmlText(node, name);
  if (t === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(t)) throw malformed();
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw malformed();
  if (ms % 86_400_000 !== 0) throw invalidArgument("'Date' must be at midnight GMT");
  return ms;
}

function tagOf(node: ParsedXml): [string, string] {
  allowOnly(node, ["Key", "Value"]);
  const key = xmlText(node, "Key");
  const value = xmlText(node, "Value") ?? "";
  if (key === undefined) throw malformed();
  if ([...key].length > 128)
    throw new S3Error("InvalidTag", { message: "The TagKey you have provided is too long, max 128" });
  if ([...value].length > 256)
    throw new S3Error("InvalidTag", { message: "The TagValue you have provided is too long, max 256" });
  return [key, value];
}

function sizes(node: ParsedXml): { sizeGreaterThan?: number; sizeLessThan?: number } {
  const gt = integer(node, "ObjectSizeGreaterThan");
  const lt = integer(node, "ObjectSizeLessThan");
  if (gt !== undefined && gt < 0)
    throw invalidArgument("'ObjectSizeGreaterThan' should be greater than or equal to 0");
  if (lt !== undefined && lt <= 0) throw invalidArgument("'ObjectSizeLessThan' should be greater than 0");
  if (gt !== undefined && lt !== undefined && gt >= lt)
    throw invalidArgument("'ObjectSizeGreaterThan' should be less than 'ObjectSizeLessThan'");
  return { sizeGreaterThan: gt, sizeLessThan: lt };
}

function parseFilter(node: ParsedXml): RuleFilter {
  const names = ["Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"];
  allowOnly(node, names);
  const present = names.filter((n) => node[n] !== undefined);
  // A filter holds one condition; several are combined with <And>.
  if (present.length > 1) throw malformed();
  if (present.length === 0) return { form: "empty" };
  switch (present[0]) {
    case "Prefix":
      return { form: "prefix", prefix: xmlText(node, "Prefix") ?? "" };
    case "Tag": {
      const tags = elements(node, "Tag");
      if (tags.length !== 1) throw malformed();
      return { form: "tag", tags: [tagOf(tags[0])] };
    }
    case "ObjectSizeGreaterThan":
      return { form: "size-gt", ...sizes(node) };
    case "ObjectSizeLessThan":
      return { form: "size-lt", ...sizes(node) };
    default: {
      const and = element(node, "And") ?? {};
      allowOnly(and, ["Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"]);
      const tags = elements(and, "Tag").map(tagOf);
      const keys = new Set(tags.map(([k]) => k));
      if (keys.size !== tags.length) throw invalidRequest("Duplicate Tag Keys are not allowed.");
      const prefix = xmlText(and, "Prefix");
      const s = sizes(and);
      return { form: "and", prefix, tags, ...s };
    }
  }
}

function parseExpiration(node: ParsedXml): LifecycleRule["expiration"] {
  allowOnly(node, ["Date", "Days", "ExpiredObjectDeleteMarker"]);
  const days = positive(node, "Days", "'Days' for Expiration action must be a positive integer");
  const date = midnightDate(node, "Date");
  const marker = xmlText(node, "ExpiredObjectDeleteMarker");
  if (marker !== undefined && marker !== "true" && marker !== "false") throw malformed();
  if (days !== undefined && date !== undefined) throw malformed();
  if (marker !== undefined && (days !== undefined || date !== undefined)) {
    throw invalidRequest(
      "ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy",
    );
  }
  if (days === undefined && date === undefined && marker === undefined) throw malformed();
  return { days, date, expiredObjectDeleteMarker: marker === undefined ? undefined : marker === "true" };
}

function parseTransition(node: ParsedXml): Transition {
  allowOnly(node, ["Date", "Days", "StorageClass"]);
  const days = integer(node, "Days");
  const date = midnightDate(node, "Date");
  const storageClass = xmlText(node, "StorageClass");
  if (storageClass === undefined || !TRANSITION_CLASSES.has(storageClass)) throw malformed();
  if ((days === undefined) === (date === undefined)) throw malformed();
  if (days !== undefined && days < 0)
    throw invalidArgument("'Days' for Transition action must be a positive integer");
  if (days !== undefined && days < 30 && THIRTY_DAY_CLASSES.has(storageClass)) {
    throw invalidArgument(
      `'Days' in Transition action must be greater than or equal to 30 for storageClass '${storageClass}'`,
    );
  }
  return { days, date, storageClass };
}

function parseNoncurrentTransition(node: ParsedXml): NoncurrentTransition {
  allowOnly(node, ["NoncurrentDays", "StorageClass", "NewerNoncurrentVersions"]);
  const days = integer(node, "NoncurrentDays");
  const storageClass = xmlText(node, "StorageClass");
  if (days === undefined || storageClass === undefined || !TRANSITION_CLASSES.has(storageClass))
    throw malformed();
  if (days < 0)
    throw invalidArgument(
      "'NoncurrentDays' for NoncurrentVersionTransition action must be a positive integer",
    );
  if (days < 30 && THIRTY_DAY_CLASSES.has(storageClass)) {
    throw invalidArgument(
      `'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '${storageClass}'`,
    );
  }
  const newer = newerNoncurrent(node, "NoncurrentVersionTransition");
  return { noncurrentDays: days, storageClass, newerNoncurrentVersions: newer };
}

function newerNoncurrent(node: ParsedXml, action: string): number | undefined {
  const n = integer(node, "NewerNoncurrentVersions");
  if (n !== undefined && (n < 1 || n > 100)) {
    throw invalidArgument(
      `'NewerNoncurrentVersions' for ${action} action must be a positive integer up to 100`,
    );
  }
  return n;
}

function filterText(f: RuleFilter): string {
  return f.prefix !== undefined ? `prefix '${f.prefix}'` : "filter";
}

function parseRule(node: ParsedXml): LifecycleRule {
  allowOnly(node, [
    "ID",
    "Prefix",
    "Filter",
    "Status",
    "Expiration",
    "Transition",
    "NoncurrentVersionTransition",
    "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload",
  ]);
  // An empty ID is no ID: one is generated, as for a rule without the element.
  const id = xmlText(node, "ID") || undefined;
  if (id !== undefined && [...id].length > MAX_ID_CHARS)
    throw invalidArgument("ID length should not exceed allowed limit of 255");
  const status = xmlText(node, "Status");
  if (status !== "Enabled" && status !== "Disabled") throw malformed();
  const legacy = xmlText(node, "Prefix");
  const filterNode = element(node, "Filter");
  // Exactly one of the legacy <Prefix> and <Filter>.
  if ((legacy === undefined) === (filterNode === undefined)) throw malformed();
  const filter: RuleFilter =
    filterNode === undefined ? { form: "legacy", prefix: legacy } : parseFilter(filterNode);
  const exp = element(node, "Expiration");
  const expiration = exp === undefined ? undefined : parseExpiration(exp);
  const transitions = elements(node, "Transition").map(parseTransition);
  const noncurrentTransitions = elements(node, "NoncurrentVersionTransition").map(parseNoncurrentTransition);
  const nve = element(node, "NoncurrentVersionExpiration");
  let noncurrentExpiration: LifecycleRule["noncurrentExpiration"];
  if (nve !== undefined) {
    allowOnly(nve, ["NoncurrentDays", "NewerNoncurrentVersions"]);
    const days = positive(
      nve,
      "NoncurrentDays",
      "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
    );
    if (days === undefined) throw malformed();
    noncurrentExpiration = {
      noncurrentDays: days,
      newerNoncurrentVersions: newerNoncurrent(nve, "NoncurrentVersionExpiration"),
    };
  }
  const abort = element(node, "AbortIncompleteMultipartUpload");
  let abortDays: number | undefined;
  if (abort !== undefined) {
    allowOnly(abort, ["DaysAfterInitiation"]);
    abortDays = positive(
      abort,
      "DaysAfterInitiation",
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
    );
    if (abortDays === undefined) throw malformed();
  }
  const rule: LifecycleRule = {
    id: id ?? Buffer.from(randomUUID()).toString("base64"),
    status,
    filter,
    expiration,
    transitions,
    noncurrentTransitions,
    noncurrentExpiration,
    abortIncompleteMultipartUploadDays: abortDays,
  };
  checkActions(rule);
  return rule;
}

/** Rules between actions of one rule, as AWS checks them. */
function checkActions(rule: LifecycleRule): void {
  const { filter, expiration } = rule;
  const hasAction =
    expiration !== undefined ||
    rule.transitions.length > 0 ||
    rule.noncurrentTransitions.length > 0 ||
    rule.noncurrentExpiration !== undefined ||
    rule.abortIncompleteMultipartUploadDays !== undefined;
  if (!hasAction) throw invalidRequest("At least one action needs to be specified in a rule");
  const tagged = (filter.tags?.length ?? 0) > 0;
  if (tagged && rule.abortIncompleteMultipartUploadDays !== undefined)
    throw invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags.");
  if (tagged && expiration?.expiredObjectDeleteMarker !== undefined)
    throw invalidRequest("ExpiredObjectDeleteMarker cannot be specified with Tags.");
  const classes = rule.transitions.map((t) => t.storageClass);
  if (new Set(classes).size !== classes.length) {
    throw invalidArgument(
      `'StorageClass' must be different for 'Transition' actions in same 'Rule' with ${filterText(filter)}`,
    );
  }
  const ncClasses = rule.noncurrentTransitions.map((t) => t.storageClass);
  if (new Set(ncClasses).size !== ncClasses.length) {
    throw invalidArgument(
      `'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' with ${filterText(filter)}`,
    );
  }
  // Days and Date cannot be mixed among a rule's transitions and expiration.
  const byDays = rule.transitions.some((t) => t.days !== undefined) || expiration?.days !== undefined;
  const byDate = rule.transitions.some((t) => t.date !== undefined) || expiration?.date !== undefined;
  if (byDays && byDate)
    throw invalidRequest(
      "Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for " +
        filterText(filter),
    );
  for (const t of rule.transitions) {
    if (expiration?.days !== undefined && t.days !== undefined && expiration.days <= t.days) {
      throw invalidArgument(
        `'Days' in the Expiration action for ${filterText(filter)} must be greater than 'Days' in the Transition action`,
      );
    }
    if (expiration?.date !== undefined && t.date !== undefined && expiration.date <= t.date) {
      throw invalidArgument(
        `'Date' in the Expiration action for ${filterText(filter)} must be later than 'Date' in the Transition action`,
      );
    }
  }
  const nve = rule.noncurrentExpiration;
  for (const t of rule.noncurrentTransitions) {
    if (nve && nve.noncurrentDays <= t.noncurrentDays) {
      throw invalidArgument(
        `'NoncurrentDays' in the NoncurrentVersionExpiration action for ${filterText(filter)} must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action`,
      );
    }
  }
}

/** Parse and validate a PutBucketLifecycleConfiguration body. */
export function parseLifecycle(text: string, minObjectSize: MinObjectSize): LifecycleConfig {
  const doc = parseXml(text, "LifecycleConfiguration");
  allowOnly(doc, ["Rule"]);
  const nodes = elements(doc, "Rule");
  if (nodes.length === 0) throw malformed();
  if (nodes.length > MAX_RULES) {
    throw invalidRequest(
      `The number of lifecycle rules must not exceed the allowed limit of ${MAX_RULES} rules`,
    );
  }
  const rules = nodes.map(parseRule);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw invalidArgument("Rule ID must be unique. Found same ID for more than one rule");
    ids.add(r.id);
  }
  return { rules, minObjectSize };
}
