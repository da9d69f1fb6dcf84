// S3 Metadata configurations of a general-purpose bucket. V2 (?metadataConfiguration): a journal table,
// and optional inventory and annotation tables, in the AWS-managed table bucket `aws-s3` under the
// namespace `b_<bucket>`. V1 (?metadataTable): one table in a customer table bucket. The server validates
// and stores them and reports the tables AWS would create; it runs no Iceberg tables itself.

import { randomUUID } from "node:crypto";
import { bucketOf, type S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { XmlNode } from "../http/xml.ts";
import { invalidArgument, storedConfig } from "./document.ts";
import { child, text } from "./shape.ts";

export const V2_ATTR = "metadataConfiguration";
export const V1_ATTR = "metadataTable";

/** What is kept for V2: the requested tables with the ARNs assigned at creation. */
export interface StoredMetadata {
  journal: XmlNode;
  inventory: XmlNode;
  annotation?: XmlNode;
  tableIds: { journal: string; inventory: string; annotation: string };
}

const MAX_DAYS = 2147483647;

export function checkRecordExpiration(exp: XmlNode | undefined): void {
  const days = exp?.Days as number | undefined;
  if (text(exp, "Expiration") === "ENABLED") {
    if (days === undefined || days < 7 || days > MAX_DAYS) {
      throw invalidArgument(
        "Days must be between 7 and 2147483647 when Expiration is ENABLED",
        "Days",
        String(days ?? ""),
      );
    }
  } else if (days !== undefined) {
    throw invalidArgument("Days cannot be specified when Expiration is DISABLED", "Days", String(days));
  }
}

/** SSE-KMS names its key; AES256 must not. */
export function checkTableEncryption(table: XmlNode | undefined): void {
  const enc = child(table, "EncryptionConfiguration");
  if (!enc) return;
  const kms = text(enc, "KmsKeyArn");
  if (text(enc, "SseAlgorithm") === "aws:kms" && !kms) {
    throw invalidArgument("KmsKeyArn is required when SseAlgorithm is aws:kms", "KmsKeyArn", "");
  }
  if (text(enc, "SseAlgorithm") === "AES256" && kms) {
    throw invalidArgument("KmsKeyArn cannot be specified when SseAlgorithm is AES256", "KmsKeyArn", kms);
  }
}

export function storedV2(r: S3Request): StoredMetadata {
  const m = storedConfig<StoredMetadata>(r, V2_ATTR);
  if (!m) throw new S3Error("MetadataConfigurationNotFound");
  return m;
}

function tableBucketArn(r: S3Request, name: string): string {
  return `arn:aws:s3tables:${r.config.region}:${bucketOf(r).owner}:bucket/${name}`;
}

export function newTableIds(): StoredMetadata["tableIds"] {
  return { journal: randomUUID(), inventory: randomUUID(), annotation: randomUUID() };
}

function tableResult(r: S3Request, name: string, id: string, table: XmlNode | undefined): XmlNode {
  const enabled = text(table, "ConfigurationState") === "ENABLED";
  return {
    ConfigurationState: text(table, "ConfigurationState") ?? "DISABLED",
    TableStatus: enabled ? "ACTIVE" : undefined,
    TableName: enabled ? name : undefined,
    TableArn: enabled ? `${tableBucketArn(r, "aws-s3")}/table/${id}` : undefined,
  };
}

/** GetBucketMetadataConfiguration's result for a stored V2 configuration. */
export function v2Result(r: S3Request, m: StoredMetadata): XmlNode {
  const namespace = `b_${r.bucket!.replace(/[-.]/g, "_")}`;
  const annotation = m.annotation
    ? {
        ...tableResult(r, "annotation", m.tableIds.annotation, m.annotation),
        Role: text(m.annotation, "Role"),
      }
    : undefined;
  return {
    MetadataConfigurationResult: {
      DestinationResult: {
        TableBucketType: "aws",
        TableBucketArn: tableBucketArn(r, "aws-s3"),
        TableNamespace: namespace,
      },
      JournalTableConfigurationResult: {
        TableStatus: "ACTIVE",
        TableName: "journal",
        TableArn: `${tableBucketArn(r, "aws-s3")}/table/${m.tableIds.journal}`,
        RecordExpiration: child(m.journal, "RecordExpiration"),
      },
      InventoryTableConfigurationResult: tableResult(r, "inventory", m.tableIds.inventory, m.inventory),
      AnnotationTableConfigurationResult: annotation,
    },
  };
}

const TABLE_BUCKET_ARN =
  /^arn:aws[a-z-]*:s3tables:[a-z0-9-]+:\d{12}:bucket\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[a-z0-9][a-z0-9_]{0,253}[a-z0-9]$|^[a-z0-9]$/;

/** V1's destination: a table bucket ARN and an S3 Tables table name. */
export function checkV1Destination(config: XmlNode): void {
  const dest = child(config, "S3TablesDestination");
  const arn = text(dest, "TableBucketArn") ?? "";
  if (!TABLE_BUCKET_ARN.test(arn)) throw invalidArgument("Invalid table bucket ARN", "TableBucketArn", arn);
  const name = text(dest, "TableName") ?? "";
  if (!TABLE_NAME.test(name)) throw invalidArgument("Invalid table name", "TableName", name);
}

/** GetBucketMetadataTableConfiguration's result for a stored V1 configuration. */
export function v1Result(config: XmlNode, tableId: string): XmlNode {
  const dest = child(config, "S3TablesDestination");
  const arn = text(dest, "TableBucketArn") ?? "";
  return {
    MetadataTableConfigurationResult: {
      S3TablesDestinationResult: {
        TableBucketArn: arn,
        TableName: text(dest, "TableName"),
        TableArn: `${arn}/table/${tableId}`,
        TableNamespace: "aws_s3_metadata",
      },
    },
    Status: "ACTIVE",
  };
}
