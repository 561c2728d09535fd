import type { User } from "../../api/types";
import { type AdminPage, followLink, href } from "../../router";
import { AdminGroups } from "./admin-groups";
import { AdminProfile } from "./admin-profile";
import { AdminRules } from "./admin-rules";
import { AdminTags } from "./admin-tags";
import { AdminTemplates } from "./admin-templates";
import { AdminUsers } from "./admin-users";
import { AdminWebhooks } from "./admin-webhooks";

/** The admin panel under `/admin/{page}/`: one page per resource the workspace's admins manage. */
const PAGES: { page: AdminPage; label: string }[] = [
  { page: "users", label: "Users" },
  { page: "groups", label: "Groups" },
  { page: "tags", label: "Tags" },
  { page: "webhooks", label: "Webhooks" },
  { page: "rules", label: "Rules" },
  { page: "profile", label: "Profile" },
  { page: "templates", label: "Templates" },
];

export function AdminPanel({ user, page }: { user: User; page: AdminPage }) {
  const admin = user.profile.role === "admin";
  return (
    <main class="admin" id="main">
      <h1>Admin</h1>
      {!admin ? (
        <p>Only admins see the admin panel.</p>
      ) : (
        <>
          <nav aria-label="Admin" class="admin-nav">
            {PAGES.map((p) => (
              <a
                key={p.page}
                href={href(`/admin/${p.page}/`)}
                onClick={(event) => followLink(event, `/admin/${p.page}/`)}
                aria-current={p.page === page ? "page" : undefined}
              >
                {p.label}
              </a>
            ))}
          </nav>
          {page === "users" && <AdminUsers />}
          {page === "groups" && <AdminGroups />}
          {page === "tags" && <AdminTags />}
          {page === "webhooks" && <AdminWebhooks />}
          {page === "rules" && <AdminRules />}
          {page === "profile" && <AdminProfile />}
          {page === "templates" && <AdminTemplates />}
        </>
      )}
    </main>
  );
}
