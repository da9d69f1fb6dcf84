// RestoreObject: asks for a temporary readable copy of an archived version for Days days. 202 when the
// restore starts, 200 when a restored copy exists (its expiry moves to the new Days), 409
// RestoreAlreadyInProgress while one runs. The state lives in the version's attrs.restore; the copy is
// readable from readyAt (a tier-dependent delay on the S3 clock) until expiresAt.

import { readSmallBody, type S3Request, sendEmpty, versionIdParam } from "../../http/context.ts";
import { verifyDocumentDigests } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { type ParsedXml, parseXml, xmlText } from "../../http/xml.ts";
import {
  expiryOf,
  isArchived,
  type RestoreState,
  restoreDelay,
  restorePhase,
  TIERS,
  type Tier,
} from "../../restore/state.ts";

interface RestoreRequest {
  days: number;
  tier: Tier;
}

function parseRequest(text: string): RestoreRequest {
  const doc = text.trim() === "" ? {} : parseXml(text, "RestoreRequest");
  const type = xmlText(doc, "Type");
  if (type !== undefined) {
    if (type !== "SELECT") throw new S3Error("MalformedXML");
    // AWS retired S3 Select restores (and S3 Select) for new customers.
    throw new S3Error("InvalidRequest", { message: "SELECT type of restore is not supported." });
  }
  if (doc.OutputLocation !== undefined || doc.SelectParameters !== undefined) {
    throw new S3Error("InvalidRequest", {
      message: "OutputLocation and SelectParameters are only valid for SELECT restore requests.",
    });
  }
  const daysText = xmlText(doc, "Days");
  if (daysText === undefined) {
    throw new S3Error("MalformedXML", { message: "Days is required for a restore of an archived object." });
  }
  if (!/^-?\d{1,10}$/.test(daysText)) throw new S3Error("MalformedXML");
  const days = Number(daysText);
  if (days < 1) {
    throw new S3Error("InvalidArgument", {
      message: "Days must be a positive integer",
      extra: { ArgumentName: "Days", ArgumentValue: daysText },
    });
  }
  const params = doc.GlacierJobParameters;
  let tierText = xmlText(doc, "Tier");
  if (params !== undefined) {
    if (typeof params !== "object" || params === null) throw new S3Error("MalformedXML");
    const t = xmlText(params as ParsedXml, "Tier");
    if (t === undefined) throw new S3Error("MalformedXML");
    tierText = t;
  }
  const tier = (tierText ?? "Standard") as Tier;
  if (!TIERS.includes(tier)) throw new S3Error("MalformedXML");
  return { days, tier };
}

export async function restoreObject(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const { data, trailers } = await readSmallBody(r, 64 * 1024);
  await verifyDocumentDigests(r, data, trailers, false);
  const req = parseRequest(data.toString("utf8"));
  const rec = r.engine.headObject({ bucket: r.bucket!, key: r.key!, versionId });
  if (!isArchived(rec)) {
    throw new S3Error("InvalidObjectState", {
      message: "Restore is not allowed for the object's current storage class",
      extra: { StorageClass: rec.storageClass },
    });
  }
  const delay = restoreDelay(rec.storageClass, req.tier);
  if (delay === undefined) {
    throw new S3Error("InvalidArgument", {
      message: `The ${req.tier} tier is not supported for the ${rec.storageClass} storage class`,
      extra: { ArgumentName: "Tier", ArgumentValue: req.tier },
    });
  }
  let status = 202;
  await r.engine.updateVersion(r.bucket!, r.key!, rec.versionId, (v) => {
    const now = r.config.now();
    const phase = restorePhase(v, now);
    if (phase === "ongoing") throw new S3Error("RestoreAlreadyInProgress");
    let next: RestoreState;
    if (phase === "restored") {
      // A restored copy only gets a new expiry, counted from now.
      status = 200;
      const cur = v.attrs.restore as RestoreState;
      next = { ...cur, days: req.days, expiresAt: expiryOf(now, req.days) };
    } else {
      const readyAt = now + delay;
      next = {
        tier: req.tier,
        days: req.days,
        requestedAt: now,
        readyAt,
        expiresAt: expiryOf(readyAt, req.days),
      };
    }
    return { ...v, attrs: { ...v.attrs, restore: next } };
  });
  sendEmpty(r, status);
}
