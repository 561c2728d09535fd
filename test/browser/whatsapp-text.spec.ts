import { describe, expect, it } from "vitest";
import { formatWhatsApp } from "../../ui/src/text/whatsapp";

describe("WhatsApp formatting", () => {
  it("reads bold, italic, strikethrough and monospace, nested too", () => {
    expect(formatWhatsApp("*bold* _it_ ~gone~ ```a *b*```")).toEqual([
      { tag: "strong", children: ["bold"] },
      " ",
      { tag: "em", children: ["it"] },
      " ",
      { tag: "s", children: ["gone"] },
      " ",
      { tag: "code", children: ["a *b*"] },
    ]);
    expect(formatWhatsApp("*bold _and italic_*")).toEqual([
      { tag: "strong", children: ["bold ", { tag: "em", children: ["and italic"] }] },
    ]);
  });

  it("leaves markers that are not at word boundaries or have spaces inside", () => {
    expect(formatWhatsApp("2*3*4")).toEqual(["2*3*4"]);
    expect(formatWhatsApp("* not bold *")).toEqual(["* not bold *"]);
    expect(formatWhatsApp("snake_case_name")).toEqual(["snake_case_name"]);
    expect(formatWhatsApp("")).toEqual([]);
  });

  it("keeps markup as text", () => {
    expect(formatWhatsApp("<b>*x*</b>")).toEqual(["<b>", { tag: "strong", children: ["x"] }, "</b>"]);
  });
});
