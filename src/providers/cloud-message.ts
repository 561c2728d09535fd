import { z } from "zod";
import { providerError } from "./upstream";

/**
 * Our API accepts the on-premises message format, which Cloud-API-style upstreams
 * (Meta Cloud, 360dialog v2) understand except for the legacy `hsm` type, removed from
 * the Cloud API. An hsm becomes the equivalent `template` message:
 *
 *   hsm: {namespace, element_name, language: {policy, code}, localizable_params: [{default}, ...]}
 *   → template: {name: element_name, language: {code}, components: [{type: "body", parameters: [{type: "text", text: default}, ...]}]}
 *
 * The namespace and the deterministic language policy have no Cloud counterpart (Cloud finds
 * templates by name and language within the WhatsApp Business Account). Currency and date_time
 * params become text with their `default`, which is what on-prem shows when it cannot localize.
 */

const Hsm = z.object({
  namespace: z.string().optional(),
  element_name: z.string().min(1),
  language: z.object({ policy: z.string().optional(), code: z.string().min(1) }),
  localizable_params: z.array(z.looseObject({ default: z.string() })).optional(),
});

export function toCloudMessage(message: Record<string, unknown>): Record<string, unknown> {
  if (message.type !== "hsm") return message;
  const parsed = Hsm.safeParse(message.hsm);
  // Cloud would reject the message too; answering like it keeps the error where the client looks.
  if (!parsed.success) throw providerError(400, `Invalid hsm object: ${z.prettifyError(parsed.error)}`);
  const { hsm: _hsm, ...rest } = message;
  const params = parsed.data.localizable_params ?? [];
  const template: Record<string, unknown> = { name: parsed.data.element_name, language: { code: parsed.data.language.code } };
  // Cloud rejects a body component without parameters, so a parameterless template sends none.
  if (params.length) template.components = [{ type: "body", parameters: params.map((p) => ({ type: "text", text: p.default })) }];
  return { ...rest, type: "template", template };
}
