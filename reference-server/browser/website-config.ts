// The bucket website configuration: parsed and validated as PutBucketWebsite does, stored on the bucket
// record (attrs.website), rendered back for GetBucketWebsite, and read by the website endpoint.

import { S3Error } from "../http/s3-error.ts";
import type { ParsedXml, XmlNode } from "../http/xml.ts";
import { xmlNodes, xmlOne, xmlOneNode } from "./xml-lists.ts";

export interface WebsiteRedirect {
  protocol?: "http" | "https";
  hostName?: string;
  replaceKeyPrefixWith?: string;
  replaceKeyWith?: string;
  httpRedirectCode?: string;
}

export interface RoutingRule {
  condition?: { keyPrefixEquals?: string; httpErrorCodeReturnedEquals?: string };
  redirect: WebsiteRedirect;
}

export interface WebsiteConfig {
  redirectAll?: { hostName: string; protocol?: "http" | "https" };
  indexSuffix?: string;
  errorKey?: string;
  routingRules: RoutingRule[];
}

export const MAX_ROUTING_RULES = 50;

function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error("InvalidArgument", { message, extra: { ArgumentName: name, ArgumentValue: value } });
}

function protocolOf(v: string | undefined): "http" | "https" | undefined {
  if (v === undefined) return undefined;
  if (v !== "http" && v !== "https") {
    throw invalidArgument(
      "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.",
      "Protocol",
      v,
    );
  }
  return v;
}

/** A WebsiteConfiguration document (already parsed) → the configuration, refused as AWS refuses it. */
export function parseWebsiteConfiguration(doc: ParsedXml): WebsiteConfig {
  const redirectAllNode = xmlOneNode(doc, "RedirectAllRequestsTo");
  const indexNode = xmlOneNode(doc, "IndexDocument");
  const errorNode = xmlOneNode(doc, "ErrorDocument");
  const rulesNode = xmlOneNode(doc, "RoutingRules");
  if (redirectAllNode) {
    if (indexNode || errorNode || rulesNode) {
      throw invalidArgument(
        "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
        "RedirectAllRequestsTo",
        "not null",
      );
    }
    const hostName = xmlOne(redirectAllNode, "HostName");
    if (hostName === undefined || hostName === "") throw new S3Error("MalformedXML");
    const protocol = protocolOf(xmlOne(redirectAllNode, "Protocol"));
    return { redirectAll: { hostName, ...(protocol ? { protocol } : {}) }, routingRules: [] };
  }
  if (!indexNode) {
    throw invalidArgument(
      "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
      "IndexDocument",
      "null",
    );
  }
  const suffix = xmlOne(indexNode, "Suffix");
  if (suffix === undefined) throw new S3Error("MalformedXML");
  if (suffix === "" || suffix.includes("/")) {
    throw invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
  }
  let errorKey: string | undefined;
  if (errorNode) {
    errorKey = xmlOne(errorNode, "Key");
    if (errorKey === undefined) throw new S3Error("MalformedXML");
    if (errorKey === "")
      throw invalidArgument("The ErrorDocument Key is not well formed", "ErrorDocument", "");
  }
  const rules = rulesNode ? xmlNodes(rulesNode, "RoutingRule").map(parseRoutingRule) : [];
  if (rules.length > MAX_ROUTING_RULES) {
    throw invalidArgument(
      `The number of routing rules must not exceed the allowed limit of ${MAX_ROUTING_RULES} rules.`,
      "RoutingRules",
      String(rules.length),
    );
  }
  return {
    indexSuffix: suffix,
    ...(errorKey === undefined ? {} : { errorKey }),
    routingRules: rules,
  };
}

function parseRoutingRule(node: ParsedXml): RoutingRule {
  const cond = xmlOneNode(node, "Condition");
  const red = xmlOneNode(node, "Redirect");
  if (!red) throw new S3Error("MalformedXML");
  let condition: RoutingRule["condition"];
  if (cond) {
    const keyPrefixEquals = xmlOne(cond, "KeyPrefixEquals");
    const code = xmlOne(cond, "HttpErrorCodeReturnedEquals");
    if (keyPrefixEquals === undefined && code === undefined) {
      throw invalidArgument(
        "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.",
        "Condition",
        "",
      );
    }
    if (code !== undefined && !/^[45]\d\d$/.test(code)) {
      throw invalidArgument(
        `The provided HTTP error code (${code}) is not valid. Valid codes are 4XX or 5XX.`,
        "HttpErrorCodeReturnedEquals",
        code,
      );
    }
    condition = {
      ...(keyPrefixEquals === undefined ? {} : { keyPrefixEquals }),
      ...(code === undefined ? {} : { httpErrorCodeReturnedEquals: code }),
    };
  }
  const protocol = protocolOf(xmlOne(red, "Protocol"));
  const hostName = xmlOne(red, "HostName");
  const replaceKeyPrefixWith = xmlOne(red, "ReplaceKeyPrefixWith");
  const replaceKeyWith = xmlOne(red, "ReplaceKeyWith");
  const httpRedirectCode = xmlOne(red, "HttpRedirectCode");
  if (
    protocol === undefined &&
    hostName === undefined &&
    replaceKeyPrefixWith === undefined &&
    replaceKeyWith === undefined &&
    httpRedirectCode === undefined
  ) {
    throw invalidArgument(
      "The Redirect element must contain at least one of HostName, Protocol, ReplaceKeyPrefixWith, ReplaceKeyWith or HttpRedirectCode.",
      "Redirect",
      "",
    );
  }
  if (replaceKeyPrefixWith !== undefined && replaceKeyWith !== undefined) {
    throw invalidArgument(
      "You can only define ReplaceKeyPrefix or ReplaceKey but not both.",
      "ReplaceKeyPrefixWith",
      replaceKeyPrefixWith,
    );
  }
  if (httpRedirectCode !== undefined && (!/^3\d\d$/.test(httpRedirectCode) || httpRedirectCode === "300")) {
    throw invalidArgument(
      `The provided HTTP redirect code (${httpRedirectCode}) is not valid. Valid codes are 3XX except 300.`,
      "HttpRedirectCode",
      httpRedirectCode,
    );
  }
  return {
    ...(condition ? { condition } : {}),
    redirect: {
      ...(protocol ? { protocol } : {}),
      ...(hostName === undefined ? {} : { hostName }),
      ...(replaceKeyPrefixWith === undefined ? {} : { replaceKeyPrefixWith }),
      ...(replaceKeyWith === undefined ? {} : { replaceKeyWith }),
      ...(httpRedirectCode === undefined ? {} : { httpRedirectCode }),
    },
  };
}

/** The configuration as GetBucketWebsite renders it, in the schema's element order. */
export function renderWebsiteConfiguration(c: WebsiteConfig): XmlNode {
  return {
    RedirectAllRequestsTo: c.redirectAll
      ? { HostName: c.redirectAll.hostName, Protocol: c.redirectAll.protocol }
      : undefined,
    IndexDocument: c.indexSuffix === undefined ? undefined : { Suffix: c.indexSuffix },
    ErrorDocument: c.errorKey === undefined ? undefined : { Key: c.errorKey },
    RoutingRules:
      c.routingRules.length === 0
        ? undefined
        : {
            RoutingRule: c.routingRules.map((r) => ({
              Condition: r.condition
                ? {
                    KeyPrefixEquals: r.condition.keyPrefixEquals,
                    HttpErrorCodeReturnedEquals: r.condition.httpErrorCodeReturnedEquals,
                  }
                : undefined,
              Redirect: {
                Protocol: r.redirect.protocol,
                HostName: r.redirect.hostName,
                ReplaceKeyPrefixWith: r.redirect.replaceKeyPrefixWith,
                ReplaceKeyWith: r.redirect.replaceKeyWith,
                HttpRedirectCode: r.redirect.httpRedirectCode,
              },
            })),
          },
  };
}

export function websiteConfigOf(attrs: Record<string, unknown>): WebsiteConfig | undefined {
  const w = attrs.website;
  return typeof w === "object" && w !== null ? (w as WebsiteConfig) : undefined;
}
