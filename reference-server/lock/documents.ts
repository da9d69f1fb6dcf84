// The Retention and LegalHold documents of Put/GetObjectRetention and Put/GetObjectLegalHold.

import { S3Error } from "../http/s3-error.ts";
import { parseXml, type XmlNode, xmlText } from "../http/xml.ts";
import { isRetentionMode } from "./config.ts";
import { type Retention, retentionDate } from "./state.ts";
import { parseRetainUntil } from "./write.ts";

/**
 * `<Retention><Mode/><RetainUntilDate/></Retention>`: both or neither. An empty document removes the
 * retention (undefined), which only an expired one or a bypassed GOVERNANCE one allows.
 */
export function parseRetentionDocument(text: string): Retention | undefined {
  const doc = parseXml(text, "Retention");
  const mode = xmlText(doc, "Mode");
  const until = xmlText(doc, "RetainUntilDate");
  if (mode === undefined && until === undefined) return undefined;
  if (!isRetentionMode(mode) || until === undefined) throw new S3Error("MalformedXML");
  const retainUntil = parseRetainUntil(until);
  if (retainUntil === undefined) throw new S3Error("MalformedXML");
  return { mode, retainUntil };
}

export function retentionXml(r: Retention): XmlNode {
  return { Mode: r.mode, RetainUntilDate: retentionDate(r.retainUntil) };
}

/** `<LegalHold><Status>ON|OFF</Status></LegalHold>` → on? */
export function parseLegalHoldDocument(text: string): boolean {
  const status = xmlText(parseXml(text, "LegalHold"), "Status");
  if (status !== "ON" && status !== "OFF") throw new S3Error("MalformedXML");
  return status === "ON";
}
