import { describe, expect, it } from "vitest";
import { type FieldDef, identityOf, lenientValue, strictValue, VALUE_TYPES, v2String } from "../../src/contacts/values";

const of = (valueType: string, options: string[] | null = null): FieldDef => ({ valueType, options });
const numeric = of("numeric");
const datetime = of("datetime");
const date = of("date");
const boolean = of("boolean");
const options = of("options", ["Gold", "Silver"]);
const text = of("text");

describe("VALUE_TYPES", () => {
  it("is the one type set of every dialect", () => {
    expect(VALUE_TYPES).toEqual(["text", "numeric", "datetime", "date", "boolean", "options", "state", "district", "ward"]);
  });
});

describe("lenientValue (RapidPro v2)", () => {
  it("reads numbers as Python's Decimal does, finite only", () => {
    expect(lenientValue(numeric, "42")).toBe(42);
    expect(lenientValue(numeric, " -1.50 ")).toBe(-1.5);
    expect(lenientValue(numeric, "+.5")).toBe(0.5);
    expect(lenientValue(numeric, "7.")).toBe(7);
    expect(lenientValue(numeric, "1e3")).toBe(1000);
    expect(lenientValue(numeric, "2.5E-2")).toBe(0.025);
    expect(lenientValue(numeric, "-0")).toBe(0);
    expect(Object.is(lenientValue(numeric, "-0"), 0)).toBe(true);
    for (const bad of ["", "abc", "1,5", "1.2.3", "12abc", "0x10", "Infinity", "NaN", "1e400", ".", "e5", "1 000"]) {
      expect(lenientValue(numeric, bad), bad).toBeNull();
    }
  });

  it("reads datetimes with a zone, a space or T, and day-first dates; a time without a zone is null", () => {
    expect(lenientValue(datetime, "2020-01-31T09:27:39.071299-03:00")).toBe("2020-01-31T12:27:39.071299Z");
    expect(lenientValue(datetime, "2020-08-12 13:30:45Z")).toBe("2020-08-12T13:30:45.000000Z");
    expect(lenientValue(datetime, "2020-08-12T13:30+0200")).toBe("2020-08-12T11:30:00.000000Z");
    expect(lenientValue(datetime, "2020-08-12T13:30:45.1234567+00:00")).toBe("2020-08-12T13:30:45.123456Z");
    expect(lenientValue(datetime, "31-01-2020")).toBe("2020-01-31T00:00:00.000000Z");
    expect(lenientValue(datetime, "1/2/2020")).toBe("2020-02-01T00:00:00.000000Z");
    expect(lenientValue(datetime, "31.01.2020 09:27:39-03:00")).toBe("2020-01-31T12:27:39.000000Z");
    expect(lenientValue(datetime, "2020-01-31")).toBe("2020-01-31T00:00:00.000000Z");
    for (const bad of ["2020-01-31T09:27:39", "31-01-2020 09:27", "2020-02-30T00:00:00Z", "31-02-2020", "yesterday", "", "2020-13-01"]) {
      expect(lenientValue(datetime, bad), bad).toBeNull();
    }
  });

  it("reads dates ISO or day first, or a datetime's own calendar date", () => {
    expect(lenientValue(date, "2020-1-5")).toBe("2020-01-05");
    expect(lenientValue(date, "05-01-2020")).toBe("2020-01-05");
    expect(lenientValue(date, "2020-01-31T23:30:00-03:00")).toBe("2020-01-31");
    for (const bad of ["2020-02-30", "2020-01-31T23:30:00", "31/31/2020", "soon"]) expect(lenientValue(date, bad), bad).toBeNull();
  });

  it("reads booleans true/false/1/0/yes/no in any case", () => {
    for (const yes of ["true", "TRUE", "1", "Yes", " yes "]) expect(lenientValue(boolean, yes), yes).toBe(true);
    for (const no of ["false", "False", "0", "NO"]) expect(lenientValue(boolean, no), no).toBe(false);
    for (const bad of ["y", "on", "2", ""]) expect(lenientValue(boolean, bad), bad).toBeNull();
  });

  it("reads options as one of the field's options, ignoring case, in the option's spelling", () => {
    expect(lenientValue(options, "Gold")).toBe("Gold");
    expect(lenientValue(options, " silver ")).toBe("Silver");
    expect(lenientValue(options, "Bronze")).toBeNull();
    expect(lenientValue(of("options", null), "Gold")).toBeNull();
  });

  it("keeps text and the boundary types as given", () => {
    for (const type of ["text", "state", "district", "ward", "unknown"]) expect(lenientValue(of(type), " Kigali ")).toBe(" Kigali ");
  });
});

describe("strictValue (seed 003)", () => {
  it("types what parses", () => {
    expect(strictValue(numeric, "1.50")).toEqual({ value: 1.5 });
    expect(strictValue(datetime, "2020-01-31T09:27:39-03:00")).toEqual({ value: "2020-01-31T12:27:39.000000Z" });
    expect(strictValue(date, "2020-01-31")).toEqual({ value: "2020-01-31" });
    expect(strictValue(boolean, "Yes")).toEqual({ value: true });
    expect(strictValue(options, "Gold")).toEqual({ value: "Gold" });
    expect(strictValue(text, "x".repeat(640))).toEqual({ value: "x".repeat(640) });
    expect(strictValue(of("ward"), "Nyarugenge")).toEqual({ value: "Nyarugenge" });
  });

  it("refuses the rest with DRF's messages", () => {
    expect(strictValue(numeric, "12abc")).toEqual({ error: "A valid number is required." });
    expect(strictValue(date, "31-01-2020")).toEqual({ error: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD." });
    expect(strictValue(date, "2020-02-30")).toEqual({ error: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD." });
    expect(strictValue(boolean, "maybe")).toEqual({ error: "Must be a valid boolean." });
    expect(strictValue(options, "gold")).toEqual({ error: '"gold" is not a valid choice.' });
    const datetimeError = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";
    for (const bad of ["2020-01-31T09:27:39", "2020-01-31", "31-01-2020"])
      expect(strictValue(datetime, bad), bad).toEqual({ error: datetimeError });
    expect(strictValue(text, "x".repeat(641))).toEqual({ error: "Ensure this field has no more than 640 characters." });
    // Counted in code points, as Python counts.
    expect(strictValue(text, "😀".repeat(640))).toEqual({ value: "😀".repeat(640) });
    expect(strictValue(text, "a\u0000b")).toEqual({ error: "Null characters are not allowed." });
  });
});

describe("v2String", () => {
  it("shows values as RapidPro does", () => {
    expect(v2String(numeric, 1.5)).toBe("1.5");
    expect(v2String(numeric, 100)).toBe("100");
    expect(v2String(numeric, lenientValue(numeric, "12.500") as number)).toBe("12.5");
    expect(v2String(numeric, 1e21)).toBe("1000000000000000000000");
    expect(v2String(numeric, -1.5e-7)).toBe("-0.00000015");
    expect(v2String(numeric, 1.2345e25)).toBe("12345000000000000000000000");
    expect(v2String(boolean, true)).toBe("true");
    expect(v2String(boolean, false)).toBe("false");
    expect(v2String(date, "2020-01-31")).toBe("2020-01-31");
    expect(v2String(datetime, "2020-01-31T12:27:39.071299Z")).toBe("2020-01-31T12:27:39.071299Z");
    expect(v2String(options, "Gold")).toBe("Gold");
    expect(v2String(text, null)).toBeNull();
  });
});

describe("identityOf", () => {
  it("is the canonical form, lower-cased; null for an empty value", () => {
    expect(identityOf(text, "  ABC-123 ")).toBe("abc-123");
    expect(identityOf(text, "   ")).toBeNull();
    expect(identityOf(numeric, "1.50")).toBe(identityOf(numeric, "1.5"));
    expect(identityOf(numeric, "1e2")).toBe("100");
    expect(identityOf(datetime, "2020-01-31T09:00:00-03:00")).toBe(identityOf(datetime, "2020-01-31 12:00:00Z"));
    expect(identityOf(date, "31-01-2020")).toBe("2020-01-31");
    expect(identityOf(boolean, "YES")).toBe("true");
    expect(identityOf(options, "gold")).toBe("gold");
    // A text that does not parse is its own lower-cased text, never a canonical form of the type.
    expect(identityOf(numeric, "N/A")).toBe("n/a");
  });
});
