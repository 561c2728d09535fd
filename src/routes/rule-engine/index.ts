import { createApp } from "../../http/openapi";
import { registerCreateRule } from "./create-rule";
import { registerEngineDeliveries } from "./deliveries";
import { registerDestroyRule } from "./destroy-rule";
import { registerEngine } from "./engine";
import { registerListRules } from "./list-rules";
import { registerRetrieveRule } from "./retrieve-rule";
import { registerUpdateRule } from "./update-rule";

/** `/rule_engine/...`: the default engine's rules, the custom engine, and the custom engine's call log. */
export const ruleEngine = createApp();
registerEngine(ruleEngine);
registerListRules(ruleEngine);
registerCreateRule(ruleEngine);
registerRetrieveRule(ruleEngine);
registerUpdateRule(ruleEngine);
registerDestroyRule(ruleEngine);
registerEngineDeliveries(ruleEngine);
