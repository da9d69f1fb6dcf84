// Non-ASCII user metadata, as S3 handles it: values are decoded per RFC 2047 when stored, and returned
// encoded per RFC 2047 (UTF-8, base64 "B" encoding) so every response header stays US-ASCII. Node hands
// header bytes over as latin1 characters; raw UTF-8 sent by a client is recovered from them.

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function decodeWord(charset: string, kind: string, text: string): string | undefined {
  const bytes =
    kind.toUpperCase() === "B"
      ? Buffer.from(text, "base64")
      : Buffer.from(
          text
            .replace(/_/g, " ")
            .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          "latin1",
        );
  const cs = charset.toLowerCase().split("*")[0];
  if (cs === "utf-8" || cs === "utf8") return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (cs === "iso-8859-1" || cs === "latin1" || cs === "us-ascii") return bytes.toString("latin1");
  return undefined; // an unknown charset stays as sent
}

/** The stored form of a request header value: encoded-words decoded, raw UTF-8 bytes recovered. */
export function decodeHeaderValue(raw: string): string {
  if (raw.includes("=?")) {
    // Whitespace between two adjacent encoded-words is not part of the text (RFC 2047 §6.2).
    const joined = raw.replace(/(\?=)\s+(=\?)/g, "$1$2");
    return joined.replace(ENCODED_WORD, (word, cs: string, kind: string, text: string) => {
      return decodeWord(cs, kind, text) ?? word;
    });
  }
  if (!/[\u0080-\u00ff]/.test(raw)) return raw;
  const bytes = Buffer.from(raw, "latin1");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return raw; // not UTF-8: the latin1 reading is the only one there is
  }
}

/** The response form of a stored value: unchanged when printable ASCII, else one UTF-8 encoded-word. */
export function encodeHeaderValue(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}
