import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalidUrnMessage, parseUrn, phoneDigits, phoneIdentities, URN_SCHEMES } from "../../src/contacts/urns";

// [input, normalised identity, display]. Comments name RapidPro's own test cases (temba/contacts/tests.py).
const VALID: [string, string, string | null][] = [
  // tel: international numbers become E.164
  ["tel:+250788383383", "tel:+250788383383", null],
  ["tel: +250788383383 ", "tel:+250788383383", null], // RapidPro
  ["tel:250788383383", "tel:+250788383383", null], // RapidPro: 11+ digits not starting with 0
  ["tel:2.50788383383E+11", "tel:+250788383383", null], // RapidPro: a spreadsheet's scientific notation
  ["tel:2.50788383383E+12", "tel:+250788383383", null], // RapidPro
  ["tel:2.50788383383e+11", "tel:+250788383383", null],
  ["tel:19179925253", "tel:+19179925253", null], // RapidPro
  ["tel:+62877747666", "tel:+62877747666", null], // RapidPro
  ["tel:22658125926", "tel:+22658125926", null], // RapidPro
  ["tel:263780821000", "tel:+263780821000", null], // RapidPro
  ["tel:+2203693333", "tel:+2203693333", null], // RapidPro: 10 digits are enough after a +
  ["tel:+23761234567", "tel:+23761234567", null], // RapidPro: old Cameroon format
  ["tel:+237661234567", "tel:+237661234567", null], // RapidPro: new Cameroon format
  ["tel:+49 151 1234-5678", "tel:+4915112345678", null],
  ["tel:+1 (206) 555-1212", "tel:+12065551212", null],
  ["tel:+1.206.555.1212", "tel:+12065551212", null],
  ["tel:+4402071234567", "tel:+442071234567", null], // libphonenumber drops the trunk 0 after the country code
  ["tel:+250788383383#Bob", "tel:+250788383383", "Bob"],
  ["tel:+250788383383?channel=abc#Bob", "tel:+250788383383", "Bob"],
  ["tel:+250788383383?foo", "tel:+250788383383", null],
  ["tel:+250788383383?", "tel:+250788383383", null],
  ["tel:+250788383383#", "tel:+250788383383", null],
  // whatsapp: digits exactly as given, or a business-scoped user id
  ["whatsapp:12065551212", "whatsapp:12065551212", null], // RapidPro
  ["whatsapp:4915112345678", "whatsapp:4915112345678", null],
  ["whatsapp: 4915112345678 ", "whatsapp:4915112345678", null],
  ["whatsapp:5215512345678", "whatsapp:5215512345678", null], // Mexico's wa_id keeps its 1
  ["whatsapp:556185123456", "whatsapp:556185123456", null], // Brazil, 8-digit subscriber number ...
  ["whatsapp:5561985123456", "whatsapp:5561985123456", null], // ... and 9-digit: a different URN
  ["whatsapp:004915112345678", "whatsapp:004915112345678", null],
  ["whatsapp:US.13491208655302741918", "whatsapp:US.13491208655302741918", null],
  ["whatsapp:IN.1648738043044942", "whatsapp:IN.1648738043044942", null],
  ["whatsapp:HK.abcDEF123#Dee", "whatsapp:HK.abcDEF123", "Dee"],
  [`whatsapp:US.${"a".repeat(128)}`, `whatsapp:US.${"a".repeat(128)}`, null],
  // mailto: lower-cased e-mail addresses
  ["mailto: nAme@domAIN.cOm ", "mailto:name@domain.com", null], // RapidPro
  ["mailto:abcd+label@x.y.z.com", "mailto:abcd+label@x.y.z.com", null], // RapidPro
  ["mailto:a_b+c@d.com", "mailto:a_b+c@d.com", null], // RapidPro
  ["mailto:First.Last@Example.ORG#Ann", "mailto:first.last@example.org", "Ann"],
  ["mailto:ops@localhost", "mailto:ops@localhost", null], // Django's allow-list
  ["mailto:a@Bücher.de", "mailto:a@bücher.de", null], // an internationalised domain
  ["mailto:a@xn--bcher-kva.de", "mailto:a@xn--bcher-kva.de", null],
  // ext: anything, case kept
  ["ext: eXterNAL123 ", "ext:eXterNAL123", null], // RapidPro
  ["ext:Aa0()+,-.:=@;$_!*'", "ext:Aa0()+,-.:=@;$_!*'", null], // RapidPro
  ["ext:two words", "ext:two words", null],
  // facebook: integer ids or referral refs
  ["facebook:12345678901234567", "facebook:12345678901234567", null], // RapidPro
  ["facebook:ref:asdf", "facebook:ref:asdf", null], // RapidPro
  // twitter: lower-cased handles without the @
  ["twitter: @jimmyJO", "twitter:jimmyjo", null], // RapidPro
  ["twitter:billy_bob", "twitter:billy_bob", null], // RapidPro
  ["twitter:abcdefghij12345", "twitter:abcdefghij12345", null],
  // twitterid: digits, the display a screen name
  ["twitterid:12345#@jimmyJO", "twitterid:12345", "jimmyjo"], // RapidPro
  ["twitterid:12345#jimmyjo", "twitterid:12345", "jimmyjo"], // RapidPro
  ["twitterid:12345#1234567", "twitterid:12345", "1234567"], // RapidPro
  ["twitterid:12345# @ ", "twitterid:12345", null],
  ["twitterid:2352362611", "twitterid:2352362611", null],
  // telegram, discord: digits
  ["telegram:12345678901234567", "telegram:12345678901234567", null], // RapidPro
  ["telegram:12345#foobar", "telegram:12345", "foobar"], // RapidPro
  ["discord:750841288886321253", "discord:750841288886321253", null], // RapidPro
  // viber
  ["viber:dKPvqVrLerGrZw15qTuVBQ==", "viber:dKPvqVrLerGrZw15qTuVBQ==", null], // RapidPro
  ["viber:abc_DEF_123456789012345=", "viber:abc_DEF_123456789012345=", null],
  // the other schemes: trimmed, case kept
  ["line:Uabc123DEF", "line:Uabc123DEF", null],
  ["jiochat:1234", "jiochat:1234", null],
  ["wechat:oQ-Ab_12xYz", "wechat:oQ-Ab_12xYz", null],
  ["fcm:  Token:ABC-def  ", "fcm:Token:ABC-def", null],
  [
    "freshchat:c0534f78-b6e9-4f79-8853-11cedfc1f35b/c0534f78-b6e9-4f79-8853-11cedfc1f35b",
    "freshchat:c0534f78-b6e9-4f79-8853-11cedfc1f35b/c0534f78-b6e9-4f79-8853-11cedfc1f35b",
    null,
  ], // RapidPro
  ["vk:12345678901234567", "vk:12345678901234567", null], // RapidPro
  ["rocketchat:AbC-123", "rocketchat:AbC-123", null],
  ["webchat:Visitor-1", "webchat:Visitor-1", null],
  [`webchat:${"w".repeat(247)}`, `webchat:${"w".repeat(247)}`, null], // 255 characters in all
  [`ext:${"x".repeat(251)}`, `ext:${"x".repeat(251)}`, null],
];

const INVALID: string[] = [
  // not a URN, or an unknown scheme
  "",
  "xxxx", // RapidPro
  "tel",
  ":12345",
  "xyz:2345",
  "x_y:123", // RapidPro
  "deleted:12345",
  "twilio:12345",
  "TEL:+250788383383",
  " tel:+250788383383",
  "constructor:x",
  "toString:x",
  // a path that is missing or blank
  "tel:",
  "tel: ",
  "ext:",
  "ext:   ",
  "ext:#display",
  "webchat:?query",
  // more than one query or display, or the query after the display (RapidPro's parse_urn)
  "ext:path?query?query",
  "ext:path#frag#frag",
  "ext:path#frag?query",
  // tel: not a possible international number
  "tel:+90987877", // the seed's example: Turkey has no 6-digit numbers
  "tel:0788383383", // RapidPro: a national number and no default country
  "tel:004915112345678",
  "tel:00 49 151 1234 5678",
  "tel:0151 12345678",
  "tel:+004915112345678",
  "tel:2203693333", // 10 digits without a + could be national
  "tel:12345", // RapidPro
  "tel:5912705", // RapidPro
  "tel:MTN", // RapidPro
  "tel:+1800FLOWERS",
  "tel:+4915112345678 ext. 12",
  "tel:+999123456789",
  "tel:+12",
  "tel:+491511234567890123",
  "tel:+",
  "tel:---",
  // whatsapp: a + or formatting, or no business-scoped user id
  "whatsapp:+12065551212", // RapidPro
  "whatsapp:+4915112345678",
  "whatsapp:1 206 555 1212",
  "whatsapp:1-206-555-1212",
  "whatsapp:us.13491208655302741918",
  "whatsapp:USA.13491208655302741918",
  "whatsapp:U.13491208655302741918",
  "whatsapp:US.",
  "whatsapp:US.ENT.13491208655302741918",
  "whatsapp:US.1349-1208",
  `whatsapp:US.${"a".repeat(129)}`,
  "whatsapp:abc",
  // mailto: not an e-mail address
  "mailto:@@@", // RapidPro
  "mailto:name",
  "mailto:@domain.com",
  "mailto:name@",
  "mailto:name@domain",
  "mailto:name@domain.c",
  "mailto:a..b@d.com",
  "mailto:.a@d.com",
  "mailto:na me@d.com",
  "mailto:name@-domain.com",
  "mailto:name@domain-.com",
  "mailto:name@domain.com-",
  "mailto:name@d_omain.com",
  "mailto:a@b.com/x",
  "mailto:a@b.com:80",
  "mailto:a@b.com%3Fx",
  // twitter, twitterid
  "twitter:jimmyjo!@", // RapidPro
  "twitter:billy bob", // RapidPro
  "twitter:@",
  "twitter:@@jimmyjo",
  "twitter:abcdefghij123456",
  "twitterid:jimmyjo#1234567", // RapidPro
  "twitterid:123#a.!f", // RapidPro
  "twitterid:+12345",
  // digits-only schemes
  "telegram:abcdef", // RapidPro
  "telegram:-12345",
  "facebook:abcdef", // RapidPro
  "facebook:-5",
  "facebook:ref:",
  "discord:not-a-discord-id", // RapidPro
  "discord:1e10",
  // viber
  "viber:has space",
  "viber:abcdefghijklmnopqrstuvwxy",
  "viber:a+b",
  // the whole input is at most 255 characters
  `ext:${"x".repeat(252)}`,
  `webchat:${"w".repeat(248)}`,
];

describe("parseUrn", () => {
  it.each(VALID)("normalises %j to %j", (input, identity, display) => {
    const scheme = identity.slice(0, identity.indexOf(":"));
    expect(parseUrn(input)).toEqual({ scheme, path: identity.slice(scheme.length + 1), identity, display });
  });

  it.each(INVALID.map((input) => [input]))("refuses %j", (input) => {
    expect(parseUrn(input)).toBeNull();
  });

  it.each(VALID)("is idempotent on %j", (input) => {
    const urn = parseUrn(input);
    expect(urn && parseUrn(urn.identity)?.identity).toBe(urn?.identity);
  });

  it("reads RapidPro's escapes in path and display, and keeps them in the identity", () => {
    expect(parseUrn("ext:pa%25th%23x#fra%3Fg")).toEqual({ scheme: "ext", path: "pa%th#x", identity: "ext:pa%25th%23x", display: "fra?g" });
    expect(parseUrn("ext:100%")).toEqual({ scheme: "ext", path: "100%", identity: "ext:100%25", display: null });
    expect(parseUrn("ext:%253F")?.path).toBe("%3F");
  });

  it("knows exactly the documented schemes", () => {
    expect([...URN_SCHEMES].sort()).toEqual(
      [
        "tel",
        "whatsapp",
        "mailto",
        "ext",
        "facebook",
        "twitter",
        "twitterid",
        "telegram",
        "viber",
        "line",
        "jiochat",
        "wechat",
        "fcm",
        "freshchat",
        "vk",
        "rocketchat",
        "discord",
        "webchat",
      ].sort(),
    );
  });

  it("never throws, and every URN it returns parses back to itself", () => {
    const input = fc.tuple(fc.constantFrom(...URN_SCHEMES, "xyz"), fc.string({ maxLength: 40 })).map(([s, rest]) => `${s}:${rest}`);
    fc.assert(
      fc.property(input, (text) => {
        const urn = parseUrn(text);
        if (urn) expect(parseUrn(urn.identity)).toEqual({ ...urn, display: null });
      }),
      { numRuns: 500 },
    );
  });
});

describe("invalidUrnMessage", () => {
  it("names the value as sent", () => {
    expect(invalidUrnMessage("tel:+90987877")).toBe("Invalid URN: tel:+90987877. Ensure phone numbers contain country codes.");
    expect(invalidUrnMessage(" tel:0049 ")).toBe("Invalid URN:  tel:0049 . Ensure phone numbers contain country codes.");
  });
});

describe("phoneDigits", () => {
  it.each([
    ["+49 151 1234-5678", "4915112345678"],
    ["4915112345678", "4915112345678"],
    [" 0049 151 12345678 ", "4915112345678"],
    ["0049151123456789", "49151123456789"],
    ["+0049 151 12345678", "4915112345678"],
    ["+1 (206) 555-1212", "12065551212"],
    ["1.206.555.1212", "12065551212"],
    ["+250788383383", "250788383383"],
    ["2203693333", "2203693333"], // unlike tel:, a wa_id never carries a trunk prefix, so 10 digits are read internationally
    ["+4402071234567", "4402071234567"], // digits as given, not libphonenumber's E.164
  ])("keeps the digits of %j", (input, digits) => {
    expect(phoneDigits(input)).toBe(digits);
  });

  it.each([
    "12",
    "",
    "   ",
    "+",
    "+90987877",
    "0151 12345678",
    "000049 151 12345678",
    "5215512345678", // libphonenumber no longer knows Mexico's mobile 1
    "+999123456789",
    "tel:+4915112345678",
    "whatsapp:4915112345678",
    "US.13491208655302741918",
    "+49 151 1234 5678 ext 1",
    "+49 151 CALLME",
  ])("refuses %j", (input) => {
    expect(phoneDigits(input)).toBeNull();
  });
});

describe("phoneIdentities", () => {
  it("puts the whatsapp URN first, then the tel URN, both as parseUrn would key them", () => {
    const identities = phoneIdentities("4915112345678");
    expect(identities).toEqual(["whatsapp:4915112345678", "tel:+4915112345678"]);
    expect(identities.map((urn) => parseUrn(urn)?.identity)).toEqual(identities);
  });

  it("chains with phoneDigits", () => {
    const digits = phoneDigits("0049 (151) 1234-5678");
    expect(digits && phoneIdentities(digits)).toEqual(["whatsapp:4915112345678", "tel:+4915112345678"]);
  });
});
