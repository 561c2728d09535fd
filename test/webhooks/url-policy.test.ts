import { describe, expect, it } from "vitest";
import { urlProblem } from "../../src/webhooks/url-policy";

describe("webhook URL policy", () => {
  const allowed = [
    "https://crm.example.com/hook?auth=s3cret",
    "https://8.8.8.8/x",
    "https://[2606:4700::1111]/",
    "https://example.com:8443/a",
  ];
  const refused = {
    "http://crm.example.com/hook": "Only https URLs are allowed.",
    "ftp://example.com/": "Only https URLs are allowed.",
    "https://user:pass@example.com/": "Credentials in the URL are not allowed; use a query parameter such as ?auth= instead.",
    "https://localhost/": "The host localhost is not a public address.",
    "https://api.localhost/": "The host api.localhost is not a public address.",
    "https://metadata.google.internal/computeMetadata/v1/": "The host metadata.google.internal is not a public address.",
    "https://metadata/": "The host metadata is not a public address.",
    "https://intranet/": "The host intranet is not a public domain name.",
    "https://127.0.0.1/": "The address 127.0.0.1 is not a public address (loopback).",
    "https://2130706433/": "The address 127.0.0.1 is not a public address (loopback).",
    "https://0x7f.1/": "The address 127.0.0.1 is not a public address (loopback).",
    "https://10.1.2.3/": "The address 10.1.2.3 is not a public address (private).",
    "https://172.16.0.1/": "The address 172.16.0.1 is not a public address (private).",
    "https://192.168.1.1/": "The address 192.168.1.1 is not a public address (private).",
    "https://169.254.169.254/latest/meta-data/": "The address 169.254.169.254 is not a public address (linkLocal).",
    "https://100.64.0.1/": "The address 100.64.0.1 is not a public address (carrierGradeNat).",
    "https://224.0.0.1/": "The address 224.0.0.1 is not a public address (multicast).",
    "https://0.0.0.0/": "The address 0.0.0.0 is not a public address (unspecified).",
    "https://[::1]/": "The address ::1 is not a public address (loopback).",
    "https://[::]/": "The address :: is not a public address (unspecified).",
    "https://[::ffff:127.0.0.1]/": "The address ::ffff:7f00:1 is not a public address (ipv4Mapped).",
    "https://[fe80::1]/": "The address fe80::1 is not a public address (linkLocal).",
    "https://[fd00::1]/": "The address fd00::1 is not a public address (uniqueLocal).",
    "https://[2002:7f00:1::]/": "The address 2002:7f00:1:: is not a public address (6to4).",
    "https://[64:ff9b::7f00:1]/": "The address 64:ff9b::7f00:1 is not a public address (rfc6052).",
    "not a url": "Enter a valid URL.",
  };

  it.each(allowed)("allows %s", (url) => expect(urlProblem(url, false)).toBeNull());
  it.each(Object.entries(refused))("refuses %s", (url, reason) => expect(urlProblem(url, false)).toBe(reason));

  it("allows http and loopback for local development only, and nothing else more", () => {
    for (const url of ["http://127.0.0.1:9000/hook", "http://localhost:9000/", "http://[::1]:9000/", "http://127.5.6.7/"]) {
      expect([url, urlProblem(url, true)]).toEqual([url, null]);
      expect(urlProblem(url, false)).not.toBeNull();
    }
    for (const url of [
      "http://0.0.0.0/",
      "http://[::]/",
      "http://[::ffff:127.0.0.1]/",
      "http://metadata.google.internal/",
      "http://10.0.0.1/",
      "http://169.254.169.254/",
    ]) {
      expect([url, urlProblem(url, true)]).not.toEqual([url, null]);
    }
  });
});
