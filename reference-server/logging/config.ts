// A bucket's server access logging configuration (PutBucketLogging / GetBucketLogging): parsed and
// validated from BucketLoggingStatus, stored in the bucket's attrs under `logging`, rendered back.

import { S3Error } from "../http/s3-error.ts";
import { type ParsedXml, type XmlNode, xmlList, xmlText } from "../http/xml.ts";
import type { BucketRecord } from "../storage/index-db.ts";

export const PERMISSIONS = ["FULL_CONTROL", "READ", "WRITE"] as const;
export type LogPermission = (typeof PERMISSIONS)[number];

/** The predefined groups S3 knows; any other URI is refused. */
export const GROUP_URIS = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
  "http://acs.amazonaws.com/groups/s3/LogDelivery",
] as const;

export type LogGrantee =
  | { type: "CanonicalUser"; id: string }
  | { type: "AmazonCustomerByEmail"; email: string }
  | { type: "Group"; uri: string };

export interface LogGrant {
  grantee: LogGrantee;
  permission: LogPermission;
}

export type LogKeyFormat =
  | { kind: "SimplePrefix" }
  | { kind: "PartitionedPrefix"; dateSource?: "EventTime" | "DeliveryTime" };

export interface LoggingConfig {
  targetBucket: string;
  targetPrefix: string;
  targetGrants: LogGrant[];
  /** Absent when the request had no TargetObjectKeyFormat (logs then use the simple form). */
  keyFormat?: LogKeyFormat;
}

const ATTR = "logging";

/** The bucket's logging configuration, or undefined when logging is disabled. */
export function loggingOf(b: BucketRecord): LoggingConfig | undefined {
  const v = b.attrs[ATTR];
  return typeof v === "object" && v !== null ? (v as LoggingConfig) : undefined;
}

/** attrs with logging set (or removed when `config` is undefined). */
export function withLogging(b: BucketRecord, config: LoggingConfig | undefined): Record<string, unknown> {
  const { [ATTR]: _old, ...rest } = b.attrs;
  return config === undefined ? rest : { ...rest, [ATTR]: config };
}

const malformed = () => new S3Error("MalformedXML");

function child(node: ParsedXml, name: string): ParsedXml | undefined {
  const v = node[name];
  if (v === undefined || v === null) return undefined;
  // An empty element (<SimplePrefix/>) parses as "".
  if (v === "") return {};
  if (typeof v !== "object" || Array.isArray(v)) throw malformed();
  return v as ParsedXml;
}

function grantee(node: ParsedXml): LogGrantee {
  // The parser drops attributes, so xsi:type is known by the element that names the grantee.
  const id = xmlText(node, "ID");
  const email = xmlText(node, "EmailAddress");
  const uri = xmlText(node, "URI");
  if ([id, email, uri].filter((x) => x !== undefined).length !== 1) throw malformed();
  if (id !== undefined) {
    // Canonical ids here are account ids: lower-case hex.
    if (!/^[0-9a-f]{32,64}$/.test(id)) {
      throw new S3Error("InvalidArgument", {
        message: "Invalid id",
        extra: { ArgumentName: "CanonicalUser/ID", ArgumentValue: id },
      });
    }
    return { type: "CanonicalUser", id };
  }
  if (email !== undefined) {
    // Accounts here have no e-mail addresses, as in the AWS regions that no longer resolve them.
    throw new S3Error("UnresolvableGrantByEmailAddress", { extra: { EmailAddress: email } });
  }
  if (!(GROUP_URIS as readonly string[]).includes(uri!)) {
    throw new S3Error("InvalidArgument", {
      message: "Invalid group uri",
      extra: { ArgumentName: "Group/URI", ArgumentValue: uri! },
    });
  }
  return { type: "Group", uri: uri! };
}

function keyFormat(node: ParsedXml): LogKeyFormat {
  const simple = child(node, "SimplePrefix");
  const partitioned = child(node, "PartitionedPrefix");
  // A union: exactly one of the two forms.
  if ((simple === undefined) === (partitioned === undefined)) throw malformed();
  if (simple !== undefined) return { kind: "SimplePrefix" };
  const source = xmlText(partitioned!, "PartitionDateSource");
  if (source === undefined) return { kind: "PartitionedPrefix" };
  if (source !== "EventTime" && source !== "DeliveryTime") throw malformed();
  return { kind: "PartitionedPrefix", dateSource: source };
}

/**
 * BucketLoggingStatus → the configuration to store, or undefined for an empty status (logging off).
 * Only the document is checked here; the target bucket is checked by the caller.
 */
export function parseLoggingStatus(doc: ParsedXml): LoggingConfig | undefined {
  const enabled = child(doc, "LoggingEnabled");
  if (enabled === undefined) return undefined;
  const targetBucket = xmlText(enabled, "TargetBucket");
  const targetPrefix = xmlText(enabled, "TargetPrefix");
  // Both are required by the schema; an empty prefix is allowed.
  if (targetBucket === undefined || targetBucket === "" || targetPrefix === undefined) throw malformed();
  const grantsNode = child(enabled, "TargetGrants");
  const targetGrants = grantsNode
    ? xmlList(grantsNode, "Grant").map((g): LogGrant => {
        const who = child(g, "Grantee");
        const permission = xmlText(g, "Permission");
        if (who === undefined || permission === undefined) throw malformed();
        if (!(PERMISSIONS as readonly string[]).includes(permission)) throw malformed();
        return { grantee: grantee(who), permission: permission as LogPermission };
      })
    : [];
  const formatNode = child(enabled, "TargetObjectKeyFormat");
  return {
    targetBucket,
    targetPrefix,
    targetGrants,
    ...(formatNode ? { keyFormat: keyFormat(formatNode) } : {}),
  };
}

const XSI = "http://www.w3.org/2001/XMLSchema-instance";

function granteeXml(g: LogGrantee): XmlNode {
  const head = { "@_xmlns:xsi": XSI, "@_xsi:type": g.type };
  if (g.type === "CanonicalUser") return { ...head, ID: g.id };
  if (g.type === "AmazonCustomerByEmail") return { ...head, EmailAddress: g.email };
  return { ...head, URI: g.uri };
}

/** The body of GetBucketLogging's BucketLoggingStatus. */
export function loggingStatusXml(config: LoggingConfig | undefined): XmlNode {
  if (config === undefined) return {};
  const fmt = config.keyFormat;
  return {
    LoggingEnabled: {
      TargetBucket: config.targetBucket,
      TargetPrefix: config.targetPrefix,
      TargetGrants:
        config.targetGrants.length === 0
          ? undefined
          : {
              Grant: config.targetGrants.map((g) => ({
                Grantee: granteeXml(g.grantee),
                Permission: g.permission,
              })),
            },
      TargetObjectKeyFormat:
        fmt === undefined
          ? undefined
          : fmt.kind === "SimplePrefix"
            ? { SimplePrefix: "" }
            : { PartitionedPrefix: fmt.dateSource ? { PartitionDateSource: fmt.dateSource } : "" },
    },
  };
}
