import type { Endpoint } from "./security";

/** Every authenticated endpoint of the foundation; later issues add theirs here. */
export const ENDPOINTS: Endpoint[] = [
  { method: "GET", path: "/users/" },
  { method: "POST", path: "/users/", body: { username: "newperson", email: "n@example.com" }, adminOnly: true },
  { method: "GET", path: "/users/current/" },
  { method: "POST", path: "/users/current/password/change/", body: { current_password: "x", new_password: "y" } },
  { method: "GET", path: "/users/{self}/" },
  {
    method: "PUT",
    path: "/users/{other}/",
    body: {
      username: "renamed",
      email: "r@example.com",
      groups: [],
      permissions: { can_use_tags: true, can_read_chats: "all", can_write_to_chats: "all" },
    },
    adminOnly: true,
  },
  { method: "PATCH", path: "/users/{other}/", body: { first_name: "X" }, adminOnly: true },
  { method: "POST", path: "/users/{other}/password/change/", body: { password: "another-long-password" }, adminOnly: true },
  { method: "GET", path: "/groups/" },
  { method: "GET", path: "/chats/" },
  { method: "GET", path: "/chats/4915100000001/" },
  { method: "GET", path: "/messages/" },
  { method: "GET", path: "/messages/4915100000001/" },
  { method: "POST", path: "/messages/", body: { wa_id: "4915100000001", text: { body: "hi" } } },
  { method: "POST", path: "/mark_as_received/", body: { timestamp: 1, customer_wa_id: "4915100000001" } },
  { method: "GET", path: "/persons/" },
  { method: "GET", path: "/persons/4915100000001/" },
  { method: "POST", path: "/media/", body: { file_encoded: "aGk=" } },
  { method: "GET", path: "/media/00000000-0000-4000-8000-000000000000/" },
];
