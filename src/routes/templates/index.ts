import { createApp } from "../../http/openapi";
import { registerCreateTemplate } from "./create";
import { registerDestroyTemplate } from "./destroy";
import { registerListTemplates } from "./list";
import { registerRefreshTemplates } from "./refresh";

/** `/templates/...`: the number's message templates, from a per-inbox copy (services/templates.ts). */
export const templates = createApp();
registerListTemplates(templates);
registerCreateTemplate(templates);
registerRefreshTemplates(templates);
registerDestroyTemplate(templates);
