// WriteGetObjectResponse: the answer an S3 Object Lambda function sends back for a GetObject routed through
// an Object Lambda access point. This service has no Object Lambda (no access points, no Lambda), so no
// request route or token it could receive is one it issued: a clean 400 InvalidRequest, after the body is
// drained. The SDK sends `POST /WriteGetObjectResponse` to `{RequestRoute}.<endpoint>` signed for the
// `s3-object-lambda` service; a general-purpose endpoint's SigV4 scope check refuses that signature first
// (AuthorizationHeaderMalformed), so this handler answers what is signed for `s3`.

import type { IncomingHttpHeaders } from "node:http";
import { header, requestBody, type S3Request } from "../../http/context.ts";
import { type Route, route } from "../../http/route-key.ts";
import { S3Error } from "../../http/s3-error.ts";

export async function writeGetObjectResponse(r: S3Request): Promise<void> {
  const routeHeader = header(r, "x-amz-request-route");
  const token = header(r, "x-amz-request-token");
  if (!routeHeader || !token) {
    throw new S3Error("InvalidRequest", {
      message: "Missing required header for this request: x-amz-request-route and x-amz-request-token",
    });
  }
  // The body (the transformed object) is read and dropped so the connection stays usable.
  for await (const _ of requestBody(r)) {
    // discard
  }
  throw new S3Error("InvalidRequest", {
    message:
      "WriteGetObjectResponse is accepted only for a request routed through an S3 Object Lambda access " +
      "point; this endpoint has none, so the request route and token are not valid here.",
  });
}

/** In the route table under POST / with x-id (so the operations table sees it), and reached by its path. */
export const WGOR_ROUTE: Route = route("WriteGetObjectResponse", "signed", writeGetObjectResponse);

/**
 * The route of a WriteGetObjectResponse request, recognised by its path and its x-amz-request-route header
 * (path-style it would otherwise read as a POST upload to a bucket named "WriteGetObjectResponse").
 */
export function writeGetObjectResponseRoute(
  method: string,
  rawPath: string,
  headers: IncomingHttpHeaders,
): Route | undefined {
  if (method !== "POST" || headers["x-amz-request-route"] === undefined) return undefined;
  return rawPath === "/WriteGetObjectResponse" || rawPath.endsWith("/WriteGetObjectResponse")
    ? WGOR_ROUTE
    : undefined;
}
