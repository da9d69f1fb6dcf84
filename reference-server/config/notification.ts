// PutBucketNotificationConfiguration's rules beyond the schema: events S3 knows, key filter rules, ARNs of
// the right service, no two configurations sharing an event type for overlapping keys, an id on every
// configuration, and destination validation. AWS checks that each destination exists and accepts S3's
// messages; this server reaches no SNS, SQS or Lambda, so every destination fails that check, as an
// unreachable one does on AWS, unless the client asks to skip it (x-amz-skip-destination-validation).

import { randomBytes } from "node:crypto";
import { S3Error } from "../http/s3-error.ts";
import type { XmlNode } from "../http/xml.ts";
import { invalidArgument } from "./document.ts";
import { child, children, text } from "./shape.ts";
import { NOTIFICATION_DESTINATIONS } from "./shapes.ts";

const EVENT_TYPES: Record<string, readonly string[]> = {
  ObjectCreated: ["Put", "Post", "Copy", "CompleteMultipartUpload"],
  ObjectRemoved: ["Delete", "DeleteMarkerCreated"],
  ObjectRestore: ["Post", "Completed", "Delete"],
  ObjectTagging: ["Put", "Delete"],
  ObjectAcl: ["Put"],
  ObjectRetention: ["Put"],
  ObjectAnnotation: ["Put", "Delete"],
  LifecycleExpiration: ["Delete", "DeleteMarkerCreated"],
  LifecycleTransition: [],
  IntelligentTiering: [],
  ReducedRedundancyLostObject: [],
  Replication: [
    "OperationFailedReplication",
    "OperationMissedThreshold",
    "OperationNotTracked",
    "OperationReplicatedAfterThreshold",
  ],
};

// The ARN service each destination kind must name.
const ARN = {
  Topic: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
  Queue: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/,
  CloudFunction: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/,
} as const;

function checkEvent(event: string): void {
  const m = /^s3:([A-Za-z]+)(?::(.+))?$/.exec(event);
  const kinds = m ? EVENT_TYPES[m[1]] : undefined;
  const ok =
    kinds !== undefined &&
    (m![2] === undefined ? kinds.length === 0 : m![2] === "*" || kinds.includes(m![2]));
  if (!ok) throw invalidArgument("The event is not supported for notifications", "Event", event);
}

interface Scope {
  events: string[];
  prefix: string;
  suffix: string;
}

function scopeOf(config: XmlNode): Scope {
  let prefix: string | undefined;
  let suffix: string | undefined;
  for (const rule of children(child(child(config, "Filter"), "S3Key"), "FilterRule")) {
    const name = (text(rule, "Name") ?? "").toLowerCase();
    const value = text(rule, "Value") ?? "";
    if (name !== "prefix" && name !== "suffix") {
      throw invalidArgument("filter rule name must be either prefix or suffix", "FilterRule", name);
    }
    if ((name === "prefix" ? prefix : suffix) !== undefined) {
      throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, "FilterRule", name);
    }
    if (name === "prefix") prefix = value;
    else suffix = value;
  }
  return { events: (config.Event as string[]) ?? [], prefix: prefix ?? "", suffix: suffix ?? "" };
}

const eventsOverlap = (a: string, b: string) =>
  a === b ||
  (a.endsWith(":*") && b.startsWith(a.slice(0, -1))) ||
  (b.endsWith(":*") && a.startsWith(b.slice(0, -1)));

// Two filters overlap when some key could match both: one prefix extends the other, and so do the suffixes.
const keysOverlap = (a: Scope, b: Scope) =>
  (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix)) &&
  (a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix));

/** Validate a shape-checked NotificationConfiguration; returns it with an Id on every configuration. */
export function checkNotification(doc: XmlNode, skipDestinationValidation: boolean): XmlNode {
  const out: XmlNode = {};
  const scopes: Scope[] = [];
  const ids = new Set<string>();
  const unreachable: string[] = [];
  for (const [element, arnElement] of Object.entries(NOTIFICATION_DESTINATIONS)) {
    const configs = children(doc, element);
    if (configs.length === 0) continue;
    out[element] = configs.map((c) => {
      const arn = text(c, arnElement) ?? "";
      if (!ARN[arnElement].test(arn)) throw invalidArgument("The ARN is not well formed", arnElement, arn);
      for (const e of (c.Event as string[]) ?? []) checkEvent(e);
      const scope = scopeOf(c);
      for (const other of scopes) {
        if (
          keysOverlap(scope, other) &&
          scope.events.some((e) => other.events.some((o) => eventsOverlap(e, o)))
        ) {
          throw invalidArgument(
            "Configurations overlap. Configurations on the same bucket cannot share a common event type.",
            "Event",
            scope.events.join(","),
          );
        }
      }
      scopes.push(scope);
      // AWS names every configuration, generating an id for those sent without one.
      const id = text(c, "Id") || randomBytes(24).toString("base64");
      if (ids.has(id)) throw invalidArgument("Configuration Ids must be unique", "Id", id);
      ids.add(id);
      unreachable.push(arn);
      const { Id: _given, ...rest } = c;
      return { Id: id, ...rest };
    });
  }
  if (doc.EventBridgeConfiguration !== undefined) out.EventBridgeConfiguration = {};
  if (!skipDestinationValidation && unreachable.length > 0) {
    const extra: Record<string, string> = {};
    unreachable.forEach((arn, i) => {
      extra[`ArgumentName${i + 1}`] = arn;
      extra[`ArgumentValue${i + 1}`] = "Not authorized to invoke the destination, or it does not exist";
    });
    throw new S3Error("InvalidArgument", {
      message: "Unable to validate the following destination configurations",
      extra,
    });
  }
  return out;
}
