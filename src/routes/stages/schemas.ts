import { z } from "@hono/zod-openapi";
import type { Stage } from "../../db/queries/stages";
import { uniqueField } from "../../services/unique";

/** A bound on what clients set, so "after the last" (max + 1) stays far from SQLite's 64-bit limit. */
const MAX_POSITION = 2_147_483_647;
const NOT_INTEGER = "A valid integer is required.";

/** An integer, also as the digit string that form bodies carry; DRF's IntegerField messages. */
const Position = z.preprocess(
  (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number(NOT_INTEGER)
    .min(0, { message: "Ensure this value is greater than or equal to 0.", abort: true })
    .max(MAX_POSITION, { message: `Ensure this value is less than or equal to ${MAX_POSITION}.`, abort: true })
    .int(NOT_INTEGER),
);

export const StageBody = z.object({
  name: z
    .string("Not a valid string.")
    .trim()
    .min(1, "This field may not be blank.")
    .max(100, "Ensure this field has no more than 100 characters."),
  position: Position.optional().openapi({ description: "Where the stage is listed (ascending); by default after the last one." }),
});
export const StagePatch = StageBody.partial();

/** Stage ids are v4 UUIDs; anything else is answered like an id that does not exist (see `load.ts`). */
export const StageParams = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, format: "uuid", example: "3f2b8c1e-6d4a-4f7e-9b2c-1a5d7e9f0c3b" }),
});

export const StageSchema = z
  .object({
    id: z.uuid().openapi({ description: "What seed 003's `stageId` and `default_stage_id` carry." }),
    name: z.string().openapi({ description: "Unique in the workspace, ignoring case." }),
    position: z.number().int().openapi({ description: "Stages are listed by position, then name." }),
  })
  .openapi("Stage");

export const toStageWire = (s: Stage): z.infer<typeof StageSchema> => ({ id: s.id, name: s.name, position: s.position });

export const uniqueStageName = <T>(write: () => Promise<T>) => uniqueField(write, "stages.name_key", "name", "This field must be unique.");
