// The request documents of the bucket configuration operations, as the S3 service model defines them
// (element names, nesting, enumerations, required members), field order as AWS answers them.

import { bool, int, many, req, type StructShape, str, struct } from "./shape.ts";

export const TAG = struct({ Key: req(str()), Value: req(str()) });

/** `<Tagging><TagSet><Tag>…</Tag></TagSet></Tagging>` (PutBucketTagging). */
export const TAGGING = struct({ TagSet: req(struct({ Tag: many(TAG) })) });

export const ACCELERATE = struct({ Status: req(str(["Enabled", "Suspended"])) });

export const REQUEST_PAYMENT = struct({ Payer: req(str(["BucketOwner", "Requester"])) });

// ---- notification: events and filter rule names are checked by the configuration's own rules, as AWS
// answers them with InvalidArgument rather than MalformedXML.
const NOTIFICATION_FILTER = struct({
  S3Key: struct({ FilterRule: many(struct({ Name: req(str()), Value: req(str()) })) }),
});
const destination = (arnElement: string): StructShape =>
  struct({ Id: str(), [arnElement]: req(str()), Event: many(str(), true), Filter: NOTIFICATION_FILTER });
export const NOTIFICATION_DESTINATIONS = {
  TopicConfiguration: "Topic",
  QueueConfiguration: "Queue",
  CloudFunctionConfiguration: "CloudFunction",
} as const;
export const NOTIFICATION = struct({
  TopicConfiguration: many(destination("Topic")),
  QueueConfiguration: many(destination("Queue")),
  CloudFunctionConfiguration: many(destination("CloudFunction")),
  EventBridgeConfiguration: struct({}),
});

// ---- replication
const STATUS = str(["Enabled", "Disabled"]);
const STATUS_OF = struct({ Status: req(STATUS) });
const MINUTES = struct({ Minutes: int });
export const STORAGE_CLASSES = [
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "OUTPOSTS",
  "GLACIER_IR",
  "SNOW",
  "EXPRESS_ONEZONE",
] as const;
export const REPLICATION = struct({
  Role: req(str()),
  Rule: many(
    struct({
      ID: str(),
      Priority: int,
      Prefix: str(),
      Filter: struct({ Prefix: str(), Tag: TAG, And: struct({ Prefix: str(), Tag: many(TAG) }) }, true),
      Status: req(STATUS),
      SourceSelectionCriteria: struct({ SseKmsEncryptedObjects: STATUS_OF, ReplicaModifications: STATUS_OF }),
      ExistingObjectReplication: STATUS_OF,
      Destination: req(
        struct({
          Bucket: req(str()),
          Account: str(),
          StorageClass: str(STORAGE_CLASSES),
          AccessControlTranslation: struct({ Owner: req(str(["Destination"])) }),
          EncryptionConfiguration: struct({ ReplicaKmsKeyID: str() }),
          ReplicationTime: struct({ Status: req(STATUS), Time: req(MINUTES) }),
          Metrics: struct({ Status: req(STATUS), EventThreshold: MINUTES }),
        }),
      ),
      DeleteMarkerReplication: struct({ Status: STATUS }),
    }),
    true,
  ),
});

// ---- the id-keyed families (analytics, inventory, metrics, intelligent-tiering)
const AND_TAGS = { Prefix: str(), Tag: many(TAG) };

export const ANALYTICS = struct({
  Id: req(str()),
  Filter: struct({ Prefix: str(), Tag: TAG, And: struct(AND_TAGS) }, true),
  StorageClassAnalysis: req(
    struct({
      DataExport: struct({
        OutputSchemaVersion: req(str(["V_1"])),
        Destination: req(
          struct({
            S3BucketDestination: req(
              struct({
                Format: req(str(["CSV"])),
                BucketAccountId: str(),
                Bucket: req(str()),
                Prefix: str(),
              }),
            ),
          }),
        ),
      }),
    }),
  ),
});

export const INVENTORY_FIELDS = [
  "Size",
  "LastModifiedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "EncryptionStatus",
  "ObjectLockRetainUntilDate",
  "ObjectLockMode",
  "ObjectLockLegalHoldStatus",
  "IntelligentTieringAccessTier",
  "BucketKeyStatus",
  "ChecksumAlgorithm",
  "ObjectAccessControlList",
  "ObjectOwner",
  "LifecycleExpirationDate",
  "IntelligentTieringReferenceDate",
  "ObjectLockEventHoldDuration",
  "ObjectLockEventHoldStatus",
] as const;

export const INVENTORY = struct({
  Destination: req(
    struct({
      S3BucketDestination: req(
        struct({
          AccountId: str(),
          Bucket: req(str()),
          Format: req(str(["CSV", "ORC", "Parquet"])),
          Prefix: str(),
          Encryption: struct({ "SSE-S3": struct({}), "SSE-KMS": struct({ KeyId: req(str()) }) }, true),
        }),
      ),
    }),
  ),
  IsEnabled: req(bool),
  Filter: struct({ Prefix: req(str()) }),
  Id: req(str()),
  IncludedObjectVersions: req(str(["All", "Current"])),
  OptionalFields: struct({ Field: many(str(INVENTORY_FIELDS)) }),
  Schedule: req(struct({ Frequency: req(str(["Daily", "Weekly"])) })),
});

export const METRICS = struct({
  Id: req(str()),
  Filter: struct(
    {
      Prefix: str(),
      Tag: TAG,
      AccessPointArn: str(),
      And: struct({ ...AND_TAGS, AccessPointArn: str() }),
    },
    true,
  ),
});

export const INTELLIGENT_TIERING = struct({
  Id: req(str()),
  Filter: struct({ Prefix: str(), Tag: TAG, And: struct(AND_TAGS) }, true),
  Status: req(str(["Enabled", "Disabled"])),
  Tiering: many(
    struct({ Days: req(int), AccessTier: req(str(["ARCHIVE_ACCESS", "DEEP_ARCHIVE_ACCESS"])) }),
    true,
  ),
});

// ---- S3 Metadata (V2: journal, inventory and annotation tables; V1: one table in a table bucket)
const TABLE_STATE = str(["ENABLED", "DISABLED"]);
const TABLE_ENCRYPTION = struct({ SseAlgorithm: req(str(["aws:kms", "AES256"])), KmsKeyArn: str() });
export const RECORD_EXPIRATION = struct({ Expiration: req(TABLE_STATE), Days: int });
export const JOURNAL_TABLE = struct({
  RecordExpiration: req(RECORD_EXPIRATION),
  EncryptionConfiguration: TABLE_ENCRYPTION,
});
export const INVENTORY_TABLE = struct({
  ConfigurationState: req(TABLE_STATE),
  EncryptionConfiguration: TABLE_ENCRYPTION,
});
export const ANNOTATION_TABLE = struct({
  ConfigurationState: req(TABLE_STATE),
  EncryptionConfiguration: TABLE_ENCRYPTION,
  Role: str(),
});
export const METADATA_CONFIGURATION = struct({
  JournalTableConfiguration: req(JOURNAL_TABLE),
  InventoryTableConfiguration: INVENTORY_TABLE,
  AnnotationTableConfiguration: ANNOTATION_TABLE,
});
/** The Update* documents carry the journal's expiration only. */
export const JOURNAL_TABLE_UPDATE = struct({ RecordExpiration: req(RECORD_EXPIRATION) });
export const METADATA_TABLE_CONFIGURATION = struct({
  S3TablesDestination: req(struct({ TableBucketArn: req(str()), TableName: req(str()) })),
});
