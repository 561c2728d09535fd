import { fieldErrors } from "../errors";

/**
 * Runs a write and turns a UNIQUE violation on `column` ("table.column") into a field
 * error. The constraint is the check: no read-then-write race can get past it, and the
 * client gets a 400 naming the field instead of a 500.
 */
export async function uniqueField<T>(write: () => Promise<T>, column: string, field: string, message: string): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const text = `${(e as Error)?.message} ${(e as Error & { cause?: Error })?.cause?.message}`;
    if (text.includes("UNIQUE constraint failed") && text.includes(column)) throw fieldErrors({ [field]: [message] });
    throw e;
  }
}

export const USERNAME_TAKEN = "A user with that username already exists.";
