import { describe, expect, it } from "vitest";
import { searchableText } from "../../src/inbound/search-text";
import { MESSAGES } from "./fixtures";

describe("searchableText", () => {
  it.each([
    ["text", MESSAGES.text, "Hello there"],
    ["image caption", MESSAGES.image, "Our shop"],
    ["video caption", MESSAGES.video, "Unboxing"],
    ["document caption and file name", MESSAGES.document, "Invoice invoice-42.pdf"],
    ["button reply title", MESSAGES.buttonReply, "Yes, please"],
    ["list reply title and description", MESSAGES.listReply, "Express Next-day delivery"],
    ["template button text", MESSAGES.button, "Stop promotions"],
    ["location name and address", MESSAGES.location, "Brandenburg Gate Pariser Platz, Berlin"],
    ["contact names and phones", MESSAGES.contacts, "Ada Lovelace +44 20 7946 0000 Alan Turing +44 20 7946 0001 +44 20 7946 0002"],
    ["reaction emoji", MESSAGES.reaction, "\u{1F44D}"],
    ["order text", MESSAGES.order, "Two please"],
    ["system body", MESSAGES.system, "User A changed from 4915112345678 to 4915199999999"],
    ["text with an ad referral", MESSAGES.referral, "Is this still available? Summer sale 50% off sneakers"],
  ])("indexes the %s", (_name, payload, expected) => {
    expect(searchableText(payload)).toBe(expected);
  });

  it.each([
    ["voice audio", MESSAGES.audio],
    ["on-prem voice", MESSAGES.voice],
    ["sticker", MESSAGES.sticker],
    ["un-reaction", MESSAGES.unreaction],
    ["unsupported", MESSAGES.unsupported],
    ["unknown", MESSAGES.unknown],
  ])("returns an empty string for a %s message", (_name, payload) => {
    expect(searchableText(payload)).toBe("");
  });

  it("trims parts and ignores values that are not strings", () => {
    const payload = { type: "document", document: { caption: "  Q3 report \n", filename: 42 }, text: { body: ["no"] }, contacts: "x" };
    expect(searchableText(payload)).toBe("Q3 report");
  });

  it("survives shared contacts with missing names or odd phone entries", () => {
    const payload = { type: "contacts", contacts: [null, { phones: "x" }, { name: {}, phones: [null, { phone: "+1 555 0100" }] }] };
    expect(searchableText(payload)).toBe("+1 555 0100");
  });
});
