import type { Plugin } from "./plugin";
import { templatesPlugin } from "./templates";

/** Every plugin type an inbox can install. */
export const PLUGINS: Record<string, Plugin> = { [templatesPlugin.type]: templatesPlugin };
export const PLUGIN_TYPES = Object.keys(PLUGINS) as [string, ...string[]];
