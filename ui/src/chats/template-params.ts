import type { Template } from "../api/types";

/**
 * A template's parameters as a form fills them: the `{{1}}` (or named `{{name}}`)
 * placeholders of its HEADER (text) and BODY, and the `components` a `template`
 * message sends with the values filled in.
 */
export type TemplateParam = { component: "header" | "body"; name: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

const textOf = (template: Template, type: "HEADER" | "BODY"): string => {
  const component = template.components.find((c) => String(c.type).toUpperCase() === type);
  return component && typeof component.text === "string" && (type === "BODY" || String(component.format).toUpperCase() === "TEXT")
    ? component.text
    : "";
};

export function templateParams(template: Template): TemplateParam[] {
  const params: TemplateParam[] = [];
  for (const component of ["header", "body"] as const) {
    const names = [...textOf(template, component === "header" ? "HEADER" : "BODY").matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
    for (const name of new Set(names)) params.push({ component, name });
  }
  return params;
}

export const templateBody = (template: Template) => textOf(template, "BODY");

/** The body text with the values typed so far (empty ones left as their placeholder). */
export const fillText = (text: string, values: Record<string, string>, component: "header" | "body") =>
  text.replace(PLACEHOLDER, (whole, name: string) => values[`${component}:${name}`] || whole);

export function templateComponents(template: Template, values: Record<string, string>) {
  const params = templateParams(template);
  return (["header", "body"] as const).flatMap((component) => {
    const mine = params.filter((p) => p.component === component);
    if (!mine.length) return [];
    return [
      {
        type: component,
        parameters: mine.map((p) => ({
          type: "text",
          text: values[`${component}:${p.name}`] ?? "",
          // Named parameters (Cloud API's `{{order_id}}`) carry their name; numbered ones go by position.
          ...(/^\d+$/.test(p.name) ? {} : { parameter_name: p.name }),
        })),
      },
    ];
  });
}
