// Errors of S3 Select: AWS's codes (all 400), raised before the response starts (an HTTP error) or
// during the scan (an error event in the stream).

export type SelectErrorCode =
  | "ParseUnexpectedToken"
  | "ParseExpectedExpression"
  | "ParseUnsupportedSyntax"
  | "ExpressionTooLong"
  | "InvalidColumnIndex"
  | "CSVParsingError"
  | "JSONParsingError"
  | "InvalidCompressionFormat"
  | "InvalidExpressionType"
  | "CastFailed"
  | "MissingRequiredParameter"
  | "UnsupportedScanRangeInput"
  | "EvaluatorInvalidArguments"
  | "OverMaxRecordSize";

export class SelectError extends Error {
  readonly code: SelectErrorCode;
  constructor(code: SelectErrorCode, message: string) {
    super(message);
    this.name = "SelectError";
    this.code = code;
  }
}

export function isSelectError(e: unknown): e is SelectError {
  return e instanceof SelectError;
}
