import { describe, expect, it } from "vitest";
import { call } from "../helpers/api";
import { createWorkspace } from "../helpers/factories";

/** The Worker serves the web inbox's shell (ui/dist, built before the tests) wherever the app has a route. */
describe("the web inbox's shell", () => {
  it("answers the app at `/` and under an inbox's address, deep links included", async () => {
    const ws = await createWorkspace();
    for (const path of [
      "/",
      `/inboxes/${ws.inboxId}/`,
      `/inboxes/${ws.inboxId}/main/chat/4915100000001`,
      `/inboxes/${ws.inboxId}/admin/`,
    ]) {
      const res = await call(path);
      expect({ path, status: res.status, type: res.headers.get("content-type") }).toEqual({
        path,
        status: 200,
        type: expect.stringContaining("text/html"),
      });
      expect(await res.text()).toContain('<div id="app">');
    }
    // The API under the same prefix is still the API.
    expect((await call(`/inboxes/${ws.inboxId}/api/v1/chats/`)).status).toBe(403);
  });
});
