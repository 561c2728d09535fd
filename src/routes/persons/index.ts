import { createApp } from "../../http/openapi";
import { registerListPersons } from "./list";
import { registerRetrievePerson } from "./retrieve";

/** `/persons/...`: the contacts of the chats one may read. */
export const persons = createApp();
registerListPersons(persons);
registerRetrievePerson(persons);
