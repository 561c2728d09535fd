import { createApp } from "../../http/openapi";
import { registerInstallPlugin } from "./install";
import { registerListPlugins } from "./list";
import { registerPluginPublicData } from "./public";
import { registerUninstallPlugin } from "./uninstall";

/** `/plugins/...`: the inbox's installed plugins (admins) and their public data (anyone signed in). */
export const plugins = createApp();
registerListPlugins(plugins);
registerInstallPlugin(plugins);
registerUninstallPlugin(plugins);
registerPluginPublicData(plugins);
