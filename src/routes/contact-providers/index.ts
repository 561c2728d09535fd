import { createApp } from "../../http/openapi";
import { registerCreateContactProvider } from "./create";
import { registerDestroyContactProvider } from "./destroy";
import { registerListContactProviders } from "./list";
import { registerRetrieveContactProvider } from "./retrieve";
import { registerUpdateContactProvider } from "./update";

/** `/contact_providers/...`: the address books connected to the inbox (admins only). */
export const contactProviders = createApp();
registerListContactProviders(contactProviders);
registerCreateContactProvider(contactProviders);
registerRetrieveContactProvider(contactProviders);
registerUpdateContactProvider(contactProviders);
registerDestroyContactProvider(contactProviders);
