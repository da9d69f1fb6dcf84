// PutBucketReplication's rules beyond the schema, as AWS applies them: versioning Enabled on the source
// and on the destination, a destination bucket that exists (here: on this service), the V1 (rule Prefix)
// and V2 (rule Filter, with Priority and DeleteMarkerReplication) schemas not mixed, unique rule ids and
// priorities, and Replication Time Control only with metrics. The server stores the configuration; it
// does not copy objects (a second site is out of its scope).

import { randomBytes } from "node:crypto";
import type { S3Request } from "../http/context.ts";
import { bucketOf } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { XmlNode } from "../http/xml.ts";
import { invalidArgument, invalidRequest } from "./document.ts";
import { checkBucketArn } from "./families.ts";
import { child, children, text } from "./shape.ts";
import { checkFilterTags } from "./tags.ts";

export const MAX_RULES = 1000;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Validate a shape-checked ReplicationConfiguration; returns it with an ID on every rule. */
export function checkReplication(r: S3Request, doc: XmlNode): XmlNode {
  if (bucketOf(r).versioning !== "Enabled") {
    throw invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  }
  const role = text(doc, "Role") ?? "";
  if (!ROLE_ARN.test(role)) throw invalidArgument("Invalid Role specified", "Role", role);
  const rules = children(doc, "Rule");
  if (rules.length > MAX_RULES) throw invalidArgument(`Number of rules exceeds ${MAX_RULES}`, "Rule");
  const v2 = rules.map((rule) => rule.Filter !== undefined);
  if (v2.some((x) => x) && v2.some((x) => !x)) {
    throw invalidRequest("Rules of the V1 (Prefix) and V2 (Filter) replication schemas cannot be mixed");
  }
  const ids = new Set<string>();
  const priorities = new Set<number>();
  const out = rules.map((rule) => {
    checkRule(r, rule, v2[0]);
    const id = text(rule, "ID") || randomBytes(24).toString("base64");
    if (id.length > 255) throw invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
    if (ids.has(id)) throw invalidArgument("Rule Id must be unique", "ID", id);
    ids.add(id);
    const priority = rule.Priority as number | undefined;
    if (priority !== undefined && v2[0]) {
      if (priorities.has(priority)) {
        throw invalidRequest(`Found two rules with same priority ${priority} for the same destination`);
      }
      priorities.add(priority);
    }
    const { ID: _given, ...rest } = rule;
    return { ID: id, ...rest };
  });
  if (!v2[0]) checkV1Prefixes(out);
  return { Role: role, Rule: out };
}

function checkRule(r: S3Request, rule: XmlNode, v2: boolean): void {
  if (v2) {
    checkFilterTags(child(rule, "Filter"));
    if (rule.Prefix !== undefined) throw new S3Error("MalformedXML");
    if (rule.Priority === undefined) {
      throw invalidRequest(
        "Priority must be specified for this version of Cross Region Replication configuration schema.",
      );
    }
    if (child(rule, "DeleteMarkerReplication") === undefined) {
      throw invalidRequest(
        "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.",
      );
    }
  } else {
    if (rule.Prefix === undefined) throw new S3Error("MalformedXML");
    if (rule.DeleteMarkerReplication !== undefined || rule.ExistingObjectReplication !== undefined) {
      throw invalidRequest(
        "DeleteMarkerReplication and ExistingObjectReplication require a rule Filter (V2 schema)",
      );
    }
  }
  const dest = child(rule, "Destination")!;
  const name = checkBucketArn(text(dest, "Bucket"), "Bucket");
  if (name === r.bucket) throw invalidRequest("Destination bucket cannot be the same as the source bucket.");
  const target = r.engine.getBucket(name);
  if (!target) throw invalidRequest("Destination bucket must exist.");
  if (target.versioning !== "Enabled")
    throw invalidRequest("Destination bucket must have versioning enabled.");
  const rtc = child(dest, "ReplicationTime");
  const metrics = child(dest, "Metrics");
  if (rtc && text(rtc, "Status") === "Enabled") {
    if (!metrics || text(metrics, "Status") !== "Enabled") {
      throw invalidRequest("Replication Time Control requires Metrics to be enabled");
    }
    if (child(rtc, "Time")?.Minutes !== 15) {
      throw invalidArgument("Replication Time Control supports 15 minutes only", "Minutes");
    }
  }
  if (text(child(child(rule, "SourceSelectionCriteria"), "SseKmsEncryptedObjects"), "Status") === "Enabled") {
    if (!text(child(dest, "EncryptionConfiguration"), "ReplicaKmsKeyID")) {
      throw invalidRequest("ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.");
    }
  }
}

// V1 rules select objects by prefix alone: two enabled rules towards one destination with overlapping
// prefixes would replicate one object twice.
function checkV1Prefixes(rules: XmlNode[]): void {
  const enabled = rules
    .filter((x) => text(x, "Status") === "Enabled")
    .map((x) => ({ prefix: text(x, "Prefix") ?? "", dest: text(child(x, "Destination"), "Bucket") }));
  enabled.forEach((a, i) => {
    for (const b of enabled.slice(i + 1)) {
      if (a.dest === b.dest && (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))) {
        throw invalidRequest(
          `Found overlapping prefixes '${a.prefix}' and '${b.prefix}' for same destination bucket. Multiple rules for same destination bucket cannot have overlapping prefixes`,
        );
      }
    }
  });
}
