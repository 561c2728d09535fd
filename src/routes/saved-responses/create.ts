import { createRoute } from "@hono/zod-openapi";
import { getSavedResponse, insertSavedResponse } from "../../db/queries/saved-responses";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { SavedResponseBody, SavedResponseSchema, toSavedResponseWire } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/saved_responses/",
  tags: ["Saved responses"],
  summary: "Create a saved response",
  description: "Any user. `text`: 1 to 4,096 characters.",
  request: { body: bodyDoc(SavedResponseBody) },
  responses: { 201: json(SavedResponseSchema, "The new saved response."), ...errorResponses },
});

export const registerCreateSavedResponse = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const { text } = await readBody(c, SavedResponseBody);
    const db = c.get("db");
    const saved = await getSavedResponse(db, user.workspaceId, await insertSavedResponse(db, user.workspaceId, text, user.id));
    if (!saved) throw notFound();
    return c.json(toSavedResponseWire(saved), 201);
  });
