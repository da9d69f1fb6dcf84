// The S3 endpoint's response class: its identifying headers go out with the first writeHead instead
// of being set ahead of it. node's writeHead takes its fast path (the header object handed over whole)
// only when no header was set before it; three early setHeader calls sent every response's headers
// through setHeader one by one (validate, lower-case, store), a visible share of a small GET.

import type { IncomingMessage } from "node:http";
import { headerObjectOf, ObservedResponse } from "../logging/observe.ts";

export interface ResponseIds {
  requestId: string;
  hostId: string;
}

/** The headers every response of the S3 endpoint carries. */
export function idHeaders(ids: ResponseIds): Record<string, string> {
  return { "x-amz-request-id": ids.requestId, "x-amz-id-2": ids.hostId, server: "s3-parity" };
}

export class S3Response<Request extends IncomingMessage = IncomingMessage> extends ObservedResponse<Request> {
  /** Sent with the response's headers, whichever way they are written. */
  ids: ResponseIds | undefined = undefined;

  override writeHead(status: number, a?: unknown, b?: unknown): this {
    const ids = this.ids;
    if (ids !== undefined) {
      this.ids = undefined;
      const own = idHeaders(ids);
      const headers = headerObjectOf(a, b);
      if (headers !== undefined) {
        const all = { ...own, ...headers };
        return b === undefined ? super.writeHead(status, all) : super.writeHead(status, a as string, all);
      }
      for (const [name, value] of Object.entries(own)) if (!this.hasHeader(name)) this.setHeader(name, value);
    }
    return (super.writeHead as (s: number, a?: unknown, b?: unknown) => this)(status, a, b);
  }
}
