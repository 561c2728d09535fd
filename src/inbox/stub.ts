/** The inbox's Durable Object, by name (the inbox id): the one way code reaches it. */
export const inboxObject = (env: Env, inboxId: string) => env.INBOX.getByName(inboxId);
