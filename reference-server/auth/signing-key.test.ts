import { expect, test } from "vitest";
import { clearSigningKeyCache, signingKey } from "./signing-key.ts";

test("signing keys are derived as AWS documents and cached per (secret, date, region, service)", () => {
  // AWS SigV4 documentation example: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
  const key = signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  expect(key.export().toString("hex")).toBe(
    "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
  );
  expect(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")).toBe(key);
  expect(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "eu-west-1", "iam")).not.toBe(
    key,
  );
  clearSigningKeyCache();
  expect(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")).not.toBe(
    key,
  );
});
