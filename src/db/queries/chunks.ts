/** D1 binds at most 100 parameters per statement: id lists are queried in chunks of this size. */
export const MAX_IDS_PER_STATEMENT = 90;

export function chunks<T>(items: T[], size = MAX_IDS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
