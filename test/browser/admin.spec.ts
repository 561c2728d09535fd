import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, unique } from "./helpers/api";
import { env, logIn, openApp } from "./helpers/app";
import { launch } from "./helpers/chromium";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("the admin panel", () => {
  it("creates a group, a tag (showing the id rule engines need) and a user in that group with a one-time activation link", async () => {
    const [groupName, tagName, username] = [unique("Weekend desk "), unique("priority"), unique("newagent")];
    const page = await openApp(browser, "/admin/groups/");
    await logIn(page);

    const groups = page.getByRole("form", { name: "Create a group" });
    await groups.getByLabel("Group name").fill(groupName);
    await groups.getByRole("button", { name: "Create group" }).click();
    await page
      .getByRole("region", { name: "Groups" })
      .getByRole("textbox", { name: new RegExp(groupName) })
      .waitFor();

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Tags" }).click();
    const tags = page.getByRole("form", { name: "Create a tag" });
    await tags.getByLabel("Tag name").fill(tagName);
    await tags.getByRole("button", { name: "Create tag" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("textbox", { name: `Name of tag ${tagName}` }) });
    await row.waitFor();
    const admin = await adminApi(env());
    const created = (await admin.get<{ results: { id: number; name: string }[] }>("/api/v1/tags/?limit=1000")).results.find(
      (t) => t.name === tagName,
    );
    expect(await row.getByRole("cell").first().textContent()).toBe(String(created?.id));

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
    const users = page.getByRole("form", { name: "Create a user" });
    await users.getByLabel("Username").fill(username);
    await users.getByLabel("E-mail").fill(`${username}@example.com`);
    await users.getByRole("checkbox", { name: groupName }).check();
    await users.getByRole("button", { name: "Create user" }).click();
    const link = page.locator(".activation-link");
    await link.waitFor();
    expect(await link.textContent()).toMatch(/^https?:\/\/.+/);
    await page.getByRole("region", { name: "Users" }).getByRole("cell", { name: username, exact: true }).waitFor();
    const user = (
      await admin.get<{ results: { username: string; groups: { name: string }[] }[] }>("/api/v1/users/?limit=1000")
    ).results.find((u) => u.username === username);
    expect(user?.groups.map((g) => g.name)).toContain(groupName);
    await page.context().close();
  });
});
