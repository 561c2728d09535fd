import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { meterOn, readMeter } from "../../meter";

const UnitsSchema = z
  .object({
    workerRequests: z.number().int(),
    d1Queries: z.number().int(),
    d1RowsRead: z.number().int(),
    d1RowsWritten: z.number().int(),
    objectRequests: z.number().int(),
    objectRowsRead: z.number().int(),
    objectRowsWritten: z.number().int(),
    queueWrites: z.number().int(),
    queueReads: z.number().int(),
  })
  .openapi("BillingUnits");

const read = createRoute({
  method: "get",
  path: "/meter",
  tags: ["Platform"],
  summary: "Billed units counted so far",
  description:
    'Cumulative counts since the isolate started, for the cost benchmark (take differences). Only with `BILLING_METER = "on"`; otherwise 404. Locally one isolate runs the Worker, its queue consumers and the inbox objects, so the counts cover them all.',
  responses: { 200: json(UnitsSchema, "The counts."), ...errorResponses },
});

export const registerMeter = (app: App) => {
  app.openapi(read, (c) => {
    if (!meterOn(c.env)) throw notFound();
    return c.json(readMeter(), 200);
  });
};
