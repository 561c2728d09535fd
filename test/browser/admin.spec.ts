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

  it("saves the about text, creates a template and sets the custom rule engine with its headers, each as the API then reads it", async () => {
    const admin = await adminApi(env());
    const page = await openApp(browser, "/admin/profile/");
    await logIn(page);
    const about = `Open ${unique("")} every day`;
    await page.getByLabel("About text (up to 139 characters)").fill(about);
    await page.getByRole("button", { name: "Save the about text" }).click();
    await expect.poll(async () => (await admin.get<{ text: string }>("/api/v1/settings/profile/about/")).text).toBe(about);

    const nav = page.getByRole("navigation", { name: "Admin" });
    await nav.getByRole("link", { name: "Templates" }).click();
    const name = unique("order_ready_").toLowerCase();
    const form = page.getByRole("form", { name: "Create a template" });
    await form.getByLabel("Name (a-z, 0-9 and _)").fill(name);
    await form.getByLabel(/^Body/).fill("Your order {{1}} is ready.");
    await form.getByRole("button", { name: "Create template" }).click();
    await page.getByRole("region", { name: "Templates" }).getByRole("cell", { name, exact: true }).waitFor();

    await nav.getByRole("link", { name: "Rules" }).click();
    await page.getByRole("radio", { name: "A custom engine at a URL" }).check();
    await page.getByLabel("Custom engine URL").fill("http://127.0.0.1:9/rules");
    await page.getByLabel(/^Headers sent to it/).fill("X-Engine-Key: secret-1");
    await page.getByRole("button", { name: "Save the rule engine" }).click();
    await expect
      .poll(() => admin.get("/api/v1/rule_engine/"))
      .toEqual({ mode: "custom", url: "http://127.0.0.1:9/rules", header_names: ["X-Engine-Key"] });
    // Back to the default rules: the other browser tests share this inbox.
    await page.getByRole("radio", { name: "Default rules (below)" }).check();
    await page.getByRole("button", { name: "Save the rule engine" }).click();
    await expect.poll(async () => (await admin.get<{ mode: string }>("/api/v1/rule_engine/")).mode).toBe("default");
    await page.context().close();
  });

  it("saves the business profile, uploads the profile photo and adds a default rule", async () => {
    const admin = await adminApi(env());
    const page = await openApp(browser, "/admin/profile/");
    await logIn(page);
    const description = `Returns and repairs ${unique("")}`;
    await page.getByLabel("Description").fill(description);
    // WhatsApp requires an industry; the form refuses in words without one.
    await page.getByLabel("Industry").selectOption({ index: 1 });
    await page.getByRole("button", { name: "Save the business profile" }).click();
    await expect
      .poll(async () => (await admin.get<{ description?: string }>("/api/v1/settings/business/profile/")).description)
      .toBe(description);

    // A 1×1 PNG, shown once the upload is stored.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
    await page.getByLabel("Upload a JPEG or PNG").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
    await page.getByRole("img", { name: "What customers see next to the number's name" }).waitFor();

    const tag = await admin.post("/api/v1/tags/", { name: unique("route-me") });
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Rules" }).click();
    const form = page.getByRole("form", { name: "Add a rule" });
    await form.getByLabel("When a chat is tagged").selectOption({ label: tag.name });
    await form.getByLabel("Assign it to the user").selectOption({ label: "admin" });
    await form.getByRole("button", { name: "Add rule" }).click();
    const rule = async () =>
      (await admin.get<{ results: { id: number; tagged_with: number | null }[] }>("/api/v1/rule_engine/rules/")).results.find(
        (r) => r.tagged_with === tag.id,
      );
    await expect.poll(async () => (await rule()) !== undefined).toBe(true);
    await page.context().close();
  });
});
