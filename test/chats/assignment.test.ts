import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Actor, type Assignment, type AssignmentRequest, decideAssignment } from "../../src/services/assignment";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const ME = 7;
const OTHER = 8;
const MINE = 70;
const THEIRS = 80;
const agent: Actor = { id: ME, isAdmin: false, groupIds: [MINE] };
const admin: Actor = { id: 1, isAdmin: true, groupIds: [] };
const none: Assignment = { user: null, group: null };

/** role × rule × state: the seed's assignment rules, every case. */
const TABLE: [string, Actor, Assignment, AssignmentRequest, boolean][] = [
  ["admin reassigns a taken chat", admin, { user: OTHER, group: THEIRS }, { user: ME, group: MINE }, true],
  ["admin clears anything", admin, { user: OTHER, group: THEIRS }, { user: null, group: null }, true],
  ["agent assigns self while nobody is", agent, none, { user: ME }, true],
  ["agent assigns another user while nobody is", agent, none, { user: OTHER }, true],
  ["agent cannot take a chat assigned to another", agent, { user: OTHER, group: null }, { user: ME }, false],
  ["agent cannot hand own chat to another", agent, { user: ME, group: null }, { user: OTHER }, false],
  ["agent clears own assignment", agent, { user: ME, group: null }, { user: null }, true],
  ["agent cannot clear another's assignment", agent, { user: OTHER, group: null }, { user: null }, false],
  ["agent sets own group while none", agent, none, { group: MINE }, true],
  ["agent cannot set a group not theirs", agent, none, { group: THEIRS }, false],
  ["agent cannot change a set group", agent, { user: null, group: THEIRS }, { group: MINE }, false],
  ["agent clears own group", agent, { user: null, group: MINE }, { group: null }, true],
  ["agent cannot clear a group not theirs", agent, { user: null, group: THEIRS }, { group: null }, false],
  ["no change is always allowed", agent, { user: OTHER, group: THEIRS }, { user: OTHER, group: THEIRS }, true],
  ["agent sets self and own group together", agent, none, { user: ME, group: MINE }, true],
];

describe("assignment rules", () => {
  it.each(TABLE)("%s", (_name, actor, current, request, allowed) => {
    expect(decideAssignment(current, request, actor).ok).toBe(allowed);
  });
});

const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });

async function setup() {
  const ws = await sandbox();
  const boss = await createUser(ws, "admin");
  const ann = "4915100000301";
  await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(ann, "Ann")], messages: [textMessage(ann, "help")] }));
  const group = (await callJson(`${ws.prefix}/groups/`, { token: boss.token, body: { name: "Agents" } })).body as { id: number };
  const user = await createUser(ws, "user");
  await callJson(`${ws.prefix}/users/${user.id}/`, {
    method: "PATCH",
    token: boss.token,
    body: { groups: [group.id], permissions: { can_use_tags: true, can_read_chats: "all", can_write_to_chats: "assigned" } },
  });
  return { ws, boss, user, ann, group };
}
const path = (ws: { prefix: string }, waId: string) => `${ws.prefix}/chat_assignment/${waId}/`;

describe("chat assignment", () => {
  it("reads, sets and clears an assignment; each change one event, no change none", async () => {
    const { ws, boss, user, ann, group } = await setup();
    expect((await callJson(path(ws, ann), { token: user.token })).body).toEqual({
      wa_id: ann,
      assigned_to_user: null,
      assigned_group: null,
    });
    const put = await callJson(path(ws, ann), {
      method: "PUT",
      token: boss.token,
      body: { wa_id: ann, assigned_to_user: user.id, assigned_group: group.id },
    });
    expect(put).toMatchObject({ status: 200, body: { wa_id: ann, assigned_to_user: user.id, assigned_group: group.id } });
    const same = await callJson(path(ws, ann), { method: "PATCH", token: boss.token, body: { assigned_to_user: user.id } });
    expect(same.status).toBe(200);
    const mine = await callJson(`${ws.prefix}/chats/?assigned_to_me=true`, { token: user.token });
    expect(mine.body.count).toBe(1);
    const cleared = await callJson(path(ws, ann), { method: "PATCH", token: user.token, body: { assigned_to_user: null } });
    expect(cleared.body).toEqual({ wa_id: ann, assigned_to_user: null, assigned_group: group.id });
    const events = await callJson(`${ws.prefix}/chat_assignment_events/?wa_id=${ann}`, { token: boss.token });
    expect(events.body.count).toBe(2);
    expect(events.body.results[0]).toMatchObject({
      wa_id: ann,
      assigned_to_user_set: null,
      assigned_to_user_was_cleared: true,
      assigned_group_set: null,
      assigned_group_was_cleared: false,
      done_by: { id: user.id },
    });
    expect(events.body.results[1]).toMatchObject({
      assigned_to_user_set: { id: user.id, username: user.username },
      assigned_to_user_was_cleared: false,
      assigned_group_set: { id: group.id, name: "Agents" },
      done_by: { id: boss.id },
    });
    const stream = await runInDurableObject(env.INBOX.getByName(ws.inboxId), (_o, state) =>
      state.storage.sql.exec<{ type: string }>("SELECT type FROM events WHERE type = 'chat_assignment'").toArray(),
    );
    expect(stream).toHaveLength(2);
  });

  it("refuses what the rules forbid with 403 and records nothing; bad ids are 400s on their field", async () => {
    const { ws, boss, user, ann, group } = await setup();
    await callJson(path(ws, ann), { method: "PATCH", token: boss.token, body: { assigned_to_user: boss.id } });
    const take = await callJson(path(ws, ann), { method: "PATCH", token: user.token, body: { assigned_to_user: user.id } });
    expect(take).toMatchObject({ status: 403, body: { detail: "Only admins can reassign a chat that is assigned to a user." } });
    expect((await callJson(`${ws.prefix}/chat_assignment_events/`, { token: boss.token })).body.count).toBe(1);
    const foreign = await sandbox();
    const stranger = await createUser(foreign, "user");
    const bad = await callJson(path(ws, ann), { method: "PATCH", token: boss.token, body: { assigned_to_user: stranger.id } });
    expect(bad.body).toEqual({ assigned_to_user: [`Invalid pk "${stranger.id}" - object does not exist.`] });
    const badGroup = await callJson(path(ws, ann), { method: "PATCH", token: boss.token, body: { assigned_group: 999999 } });
    expect(badGroup.body).toEqual({ assigned_group: ['Invalid pk "999999" - object does not exist.'] });
    const putMissing = await callJson(path(ws, ann), { method: "PUT", token: boss.token, body: { assigned_to_user: null } });
    expect(putMissing.body).toEqual({ assigned_group: ["This field is required."] });
    expect((await callJson(path(ws, "4915100000399"), { token: boss.token })).status).toBe(404);
    const other = await createUser(ws, "user");
    await callJson(path(ws, ann), { method: "PATCH", token: boss.token, body: { assigned_to_user: null, assigned_group: group.id } });
    // `group` read access follows the assignment at once.
    expect((await callJson(`${ws.prefix}/chats/${ann}/`, { token: other.token })).status).toBe(404);
    expect((await callJson(path(ws, ann), { token: other.token })).status).toBe(404);
  });
});
