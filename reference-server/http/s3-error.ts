// S3 error type and AWS's XML error body. One table holds every code with its HTTP status and the default
// message AWS sends, so a handler only names the code.

type ErrorSpec = readonly [status: number, message: string];

const ERRORS = {
  AccessControlListNotSupported: [400, "The bucket does not allow ACLs"],
  AccessDenied: [403, "Access Denied"],
  AccessForbidden: [403, "CORSResponse: This CORS request is not allowed."],
  AccessPointAlreadyOwnedByYou: [
    409,
    "An access point with an identical name already exists in your account.",
  ],
  AccountProblem: [
    403,
    "There is a problem with your AWS account that prevents the operation from completing successfully.",
  ],
  AllAccessDisabled: [403, "All access to this Amazon S3 resource has been disabled."],
  AmbiguousGrantByEmailAddress: [
    400,
    "The email address you provided is associated with more than one account.",
  ],
  AnnotationLimitExceeded: [
    400,
    "The request would exceed the maximum number of annotations allowed per object.",
  ],
  AnnotationNameTooLong: [400, "The annotation name exceeds 512 bytes."],
  AuthorizationHeaderMalformed: [400, "The authorization header you provided is invalid."],
  AuthorizationQueryParametersError: [400, "Error parsing the query-string authentication parameters."],
  // AWS's code for some limits, e.g. more than 10 tags on an object.
  BadRequest: [400, "Bad Request"],
  BadDigest: [400, "The Content-MD5 you specified did not match what we received."],
  BucketAlreadyExists: [
    409,
    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
  ],
  BucketAlreadyOwnedByYou: [
    409,
    "Your previous request to create the named bucket succeeded and you already own it.",
  ],
  BucketNotEmpty: [409, "The bucket you tried to delete is not empty"],
  ClientTokenConflict: [409, "There is a conflict with a previous request with the same client token."],
  ConditionalRequestConflict: [
    409,
    "A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.",
  ],
  CredentialsNotSupported: [400, "This request does not support credentials."],
  CrossLocationLoggingProhibited: [
    403,
    "Cross S3 location logging not allowed. Buckets in one geographic location cannot log information to a bucket in another location.",
  ],
  DeviceNotActiveError: [400, "The device is not currently active."],
  EncryptionTypeMismatch: [
    400,
    "The existing object was created with a different encryption type. Subsequent write requests must include the appropriate encryption parameters in the request or while creating the session.",
  ],
  EntityTooLarge: [400, "Your proposed upload exceeds the maximum allowed size"],
  EntityTooSmall: [400, "Your proposed upload is smaller than the minimum allowed size"],
  ExpiredToken: [400, "The provided token has expired."],
  IllegalLocationConstraintException: [
    400,
    "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
  ],
  IllegalVersioningConfigurationException: [400, "The Versioning element must be specified"],
  IncompleteBody: [
    400,
    "You did not provide the number of bytes specified by the Content-Length HTTP header",
  ],
  IncorrectEndpoint: [
    400,
    "The specified bucket exists in another Region. Direct requests to the correct endpoint.",
  ],
  IncorrectNumberOfFilesInPostRequest: [400, "POST requires exactly one file upload per request."],
  InlineDataTooLarge: [400, "Inline data exceeds the maximum allowed size."],
  InternalError: [500, "We encountered an internal error. Please try again."],
  InvalidAccessKeyId: [403, "The AWS Access Key Id you provided does not exist in our records."],
  InvalidAccessPoint: [400, "The specified access point name or account is not valid."],
  InvalidAccessPointAliasError: [400, "The specified access point alias name is not valid."],
  InvalidAddressingHeader: [400, "You must specify the Anonymous role."],
  InvalidAnnotationName: [400, "The annotation name you provided is invalid."],
  InvalidArgument: [400, "Invalid Argument"],
  InvalidBucketAclWithBlockPublicAccessError: [
    400,
    "Bucket cannot have public ACLs set with BlockPublicAccess enabled",
  ],
  InvalidBucketAclWithObjectOwnership: [
    400,
    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
  ],
  InvalidBucketName: [400, "The specified bucket is not valid."],
  InvalidBucketOwnerAWSAccountID: [
    400,
    "The value of the expected bucket owner parameter must be an AWS account ID.",
  ],
  InvalidBucketState: [409, "The request is not valid with the current state of the bucket."],
  InvalidChunkSizeError: [403, "Only the last chunk is allowed to have a size less than 8192 bytes"],
  InvalidDigest: [400, "The Content-MD5 you specified was invalid."],
  InvalidEncryptionAlgorithmError: [
    400,
    "The encryption request that you specified is not valid. The valid value is AES256.",
  ],
  InvalidLocationConstraint: [400, "The specified location-constraint is not valid"],
  InvalidObjectState: [403, "The operation is not valid for the object's storage class"],
  InvalidPrefix: [400, "The annotation prefix you provided is invalid."],
  InvalidPart: [
    400,
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  ],
  InvalidPartNumber: [416, "The requested partnumber is not satisfiable"],
  InvalidPartOrder: [
    400,
    "The list of parts was not in ascending order. Parts must be ordered by part number.",
  ],
  InvalidPayer: [403, "All access to this object has been disabled."],
  InvalidPolicyDocument: [
    400,
    "The content of the form does not meet the conditions specified in the policy document.",
  ],
  InvalidRange: [416, "The requested range is not satisfiable"],
  InvalidRequest: [400, "Invalid Request"],
  // Object lock: a default retention period that is not a positive integer in range.
  InvalidRetentionPeriod: [400, "Default retention period must be a positive integer value"],
  InvalidSecurity: [403, "The provided security credentials are not valid."],
  InvalidSOAPRequest: [400, "The SOAP request body is invalid."],
  InvalidStorageClass: [400, "The storage class you specified is not valid"],
  InvalidTag: [400, "The tag provided was not a valid tag."],
  InvalidTargetBucketForLogging: [400, "The target bucket for logging does not exist"],
  InvalidToken: [400, "The provided token is malformed or otherwise invalid."],
  InvalidURI: [400, "Couldn't parse the specified URI."],
  InvalidWriteOffset: [
    400,
    "The write offset value that you provided does not match the current object size.",
  ],
  KeyTooLongError: [400, "Your key is too long"],
  MalformedACLError: [
    400,
    "The XML you provided was not well-formed or did not validate against our published schema",
  ],
  MalformedPOSTRequest: [400, "The body of your POST request is not well-formed multipart/form-data."],
  MalformedPolicy: [400, "Policy has invalid resource"],
  MalformedTrailerError: [
    400,
    "The request contained trailing data that was not well-formed or did not conform to our published schema.",
  ],
  MalformedXML: [
    400,
    "The XML you provided was not well-formed or did not validate against our published schema",
  ],
  MaxMessageLengthExceeded: [400, "Your request was too big."],
  MaxPostPreDataLengthExceededError: [
    400,
    "Your POST request fields preceding the upload file were too large.",
  ],
  MetadataTooLarge: [400, "Your metadata headers exceed the maximum allowed metadata size"],
  // S3 Metadata configurations (V2 journal/inventory tables, V1 metadata table) absent or already there.
  MetadataConfigurationAlreadyExists: [409, "A metadata configuration already exists for this bucket."],
  MetadataConfigurationNotFound: [404, "The specified metadata configuration does not exist."],
  MetadataTableConfigurationAlreadyExists: [
    409,
    "A metadata table configuration already exists for this bucket.",
  ],
  MetadataTableConfigurationNotFound: [404, "The specified metadata table configuration does not exist."],
  MethodNotAllowed: [405, "The specified method is not allowed against this resource."],
  MissingAttachment: [400, "A SOAP attachment was expected, but none were found."],
  MissingContentLength: [411, "You must provide the Content-Length HTTP header."],
  MissingRequestBodyError: [400, "Request Body is empty"],
  MissingSecurityElement: [400, "The SOAP 1.1 request is missing a security element."],
  MissingSecurityHeader: [400, "Your request is missing a required header."],
  NoLoggingStatusForKey: [400, "There is no such thing as a logging status subresource for a key."],
  NoSuchAccessPoint: [404, "The specified accesspoint does not exist"],
  NoSuchAnnotation: [404, "The specified annotation does not exist on this object."],
  NoSuchBucket: [404, "The specified bucket does not exist"],
  NoSuchBucketPolicy: [404, "The bucket policy does not exist"],
  NoSuchConfiguration: [404, "The specified configuration does not exist."],
  NoSuchCORSConfiguration: [404, "The CORS configuration does not exist"],
  NoSuchKey: [404, "The specified key does not exist."],
  NoSuchLifecycleConfiguration: [404, "The lifecycle configuration does not exist"],
  NoSuchObjectLockConfiguration: [404, "The specified object does not have a ObjectLock configuration"],
  NoSuchPublicAccessBlockConfiguration: [404, "The public access block configuration was not found"],
  NoSuchTagSet: [404, "The TagSet does not exist"],
  NoSuchUpload: [
    404,
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  ],
  NoSuchVersion: [404, "The specified version does not exist."],
  NoSuchWebsiteConfiguration: [404, "The specified bucket does not have a website configuration"],
  NotImplemented: [501, "A header you provided implies functionality that is not implemented"],
  NotModified: [304, "Not Modified"],
  NotSignedUp: [403, "Your account is not signed up for the Amazon S3 service."],
  ObjectAlreadyInActiveTierError: [403, "The operation is not valid for the object's access tier"],
  ObjectLockConfigurationNotFoundError: [404, "Object Lock configuration does not exist for this bucket"],
  ObjectNotInActiveTierError: [403, "The operation is not valid for the object's storage class"],
  OperationAborted: [
    409,
    "A conflicting conditional operation is currently in progress against this resource. Please try again.",
  ],
  OwnershipControlsNotFoundError: [404, "The bucket ownership controls were not found"],
  PermanentRedirect: [
    301,
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
  ],
  PreconditionFailed: [412, "At least one of the pre-conditions you specified did not hold"],
  Redirect: [307, "Temporary redirect."],
  ReplicationConfigurationNotFoundError: [404, "The replication configuration was not found"],
  RequestHeaderSectionTooLarge: [400, "Your request header section exceeds the maximum allowed size."],
  RequestIsNotMultiPartContent: [400, "Bucket POST must be of the enclosure-type multipart/form-data"],
  RequestTimeout: [
    400,
    "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.",
  ],
  RequestTimeTooSkewed: [403, "The difference between the request time and the current time is too large."],
  RequestTorrentOfBucketError: [400, "Requesting the torrent file of a bucket is not permitted."],
  RestoreAlreadyInProgress: [409, "Object restore is already in progress"],
  ServerSideEncryptionConfigurationNotFoundError: [
    404,
    "The server side encryption configuration was not found",
  ],
  ServiceUnavailable: [503, "Please reduce your request rate."],
  SignatureDoesNotMatch: [
    403,
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  ],
  SlowDown: [503, "Please reduce your request rate."],
  TemporaryRedirect: [
    307,
    "Please re-send this request to the specified temporary endpoint. Continue to use the original request endpoint for future requests.",
  ],
  TokenRefreshRequired: [400, "The provided token must be refreshed."],
  TooManyAccessPoints: [
    400,
    "You have attempted to create more access points than are allowed for an account.",
  ],
  TooManyBuckets: [400, "You have attempted to create more buckets than allowed"],
  TooManyConfigurations: [
    400,
    "You are attempting to create a new configuration but have already reached the limit.",
  ],
  UnexpectedContent: [400, "This request does not support content"],
  UnsupportedMediaType: [415, "The annotation payload is not valid UTF-8 encoded text."],
  UnresolvableGrantByEmailAddress: [
    400,
    "The e-mail address you provided does not match any account on record.",
  ],
  UserKeyMustBeSpecified: [
    400,
    "The bucket POST must contain the specified field name. If it is specified, check the order of the fields.",
  ],
  XAmzContentSHA256Mismatch: [
    400,
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  ],
  // S3 Select (SelectObjectContent) errors.
  CSVParsingError: [400, "Encountered an error parsing the CSV file. Check the file and try again."],
  CastFailed: [
    400,
    "Attempt to convert from one data type to another using CAST failed in the SQL expression.",
  ],
  EvaluatorInvalidArguments: [
    400,
    "Incorrect number of arguments in the function call in the SQL expression.",
  ],
  ExpressionTooLong: [
    400,
    "The SQL expression is too long: The maximum byte-length for the SQL expression is 256 KB.",
  ],
  InvalidColumnIndex: [
    400,
    "The column index is invalid. Please check the service documentation and try again.",
  ],
  InvalidCompressionFormat: [
    400,
    "The file is not in a supported compression format. Only GZIP and BZIP2 are supported.",
  ],
  InvalidDataSource: [
    400,
    "Invalid data source type. Only CSV, JSON, and Parquet are supported at this time.",
  ],
  InvalidExpressionType: [
    400,
    "The ExpressionType is invalid. Only SQL expressions are supported at this time.",
  ],
  JSONParsingError: [400, "Encountered an error parsing the JSON file. Check the file and try again."],
  MissingRequiredParameter: [
    400,
    "The SelectRequest entity is missing a required parameter. Check the service documentation and try again.",
  ],
  OverMaxRecordSize: [
    400,
    "The length of a record in the input or result is greater than maxCharsPerRecord of 1 MB.",
  ],
  ParseExpectedExpression: [400, "Did not find the expected SQL expression."],
  ParseUnexpectedToken: [400, "Unexpected token found."],
  ParseUnsupportedSyntax: [400, "The SQL expression contains unsupported syntax."],
  UnsupportedScanRangeInput: [400, "Scan range queries are not supported on this type of object."],
} as const satisfies Record<string, ErrorSpec>;

export type S3ErrorCode = keyof typeof ERRORS;

export interface S3ErrorOptions {
  message?: string;
  resource?: string;
  /** Extra XML elements AWS adds for this error, in order (e.g. StringToSign, HostId-less diagnostics). */
  extra?: Record<string, string>;
  cause?: unknown;
}

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly resource?: string;
  readonly extra?: Record<string, string>;

  constructor(code: S3ErrorCode, options: S3ErrorOptions = {}) {
    const [status, defaultMessage] = ERRORS[code];
    super(
      options.message ?? defaultMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "S3Error";
    this.code = code;
    this.status = status;
    if (options.resource !== undefined) this.resource = options.resource;
    if (options.extra !== undefined) this.extra = options.extra;
  }
}

export function isS3Error(e: unknown): e is S3Error {
  return e instanceof S3Error;
}

export function isS3ErrorCode(code: string): code is S3ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** Status and default message for a code, for callers that need them without building an error. */
export function s3ErrorSpec(code: S3ErrorCode): { status: number; message: string } {
  const [status, message] = ERRORS[code];
  return { status, message };
}

export const S3_ERROR_CODES: readonly S3ErrorCode[] = Object.keys(ERRORS) as S3ErrorCode[];

// Elements the renderer owns; an `extra` entry with one of these names would duplicate or spoof them.
const RESERVED = new Set(["Code", "Message", "Resource", "RequestId", "HostId"]);
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** AWS's error document: declaration line, then one `<Error>` element on a single line. */
export function renderErrorXml(err: S3Error, requestId: string, hostId: string): string {
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>`;
  if (err.resource !== undefined) xml += `<Resource>${escapeXml(err.resource)}</Resource>`;
  if (err.extra) {
    for (const [name, value] of Object.entries(err.extra)) {
      if (RESERVED.has(name) || !ELEMENT_NAME.test(name)) continue;
      xml += `<${name}>${escapeXml(value)}</${name}>`;
    }
  }
  return xml + `<RequestId>${escapeXml(requestId)}</RequestId><HostId>${escapeXml(hostId)}</HostId></Error>`;
}

// Characters XML 1.0 text cannot hold literally. CR/LF/TAB are escaped too so they survive attribute-free
// parsers that normalise line ends; other C0 controls get character references as S3 emits in listings.
const XML_SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\r\n\t\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(XML_SPECIAL, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
    }
  });
}
