// ListBuckets: the caller's buckets in name order, with prefix, bucket-region and pagination.

import { intParam, queryValue, type S3Request, sendXml } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import { isoDate } from "../http/xml.ts";

export async function listBuckets(r: S3Request): Promise<void> {
  const prefix = queryValue(r, "prefix") ?? "";
  const region = queryValue(r, "bucket-region");
  const max = intParam(r, "max-buckets", 10_000, 1, 10_000);
  const token = queryValue(r, "continuation-token");
  let after: string | undefined;
  if (token !== undefined) {
    after = Buffer.from(token, "base64url").toString("utf8");
    if (token === "" || Buffer.from(after, "utf8").toString("base64url") !== token) {
      throw new S3Error("InvalidArgument", {
        message: "The continuation token provided is incorrect",
        extra: { ArgumentName: "continuation-token" },
      });
    }
  }
  const all = r.engine
    .listBuckets()
    .filter((b) => b.owner === r.principal && b.name.startsWith(prefix))
    .filter((b) => region === undefined || b.region === region)
    .filter((b) => after === undefined || b.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  sendXml(r, "ListAllMyBucketsResult", {
    Owner: { ID: r.principal, DisplayName: r.principal },
    Buckets: {
      Bucket: page.map((b) => ({ Name: b.name, CreationDate: isoDate(b.createdAt), BucketRegion: b.region })),
    },
    ContinuationToken: truncated
      ? Buffer.from(page[page.length - 1].name, "utf8").toString("base64url")
      : undefined,
    Prefix: queryValue(r, "prefix"),
  });
}
