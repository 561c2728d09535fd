import { useState } from "preact/hooks";
import { ContactSearch } from "./contact-search";
import { type CheckRequest, VerifyNumber } from "./verify-number";

/** Contacts (`/main/contacts/`): look a person up, check a number, and start a chat with it. */
export function Contacts() {
  const [request, setRequest] = useState<CheckRequest | null>(null);
  return (
    <main id="main" class="contacts">
      <h1>Contacts</h1>
      <ContactSearch onCheck={(number) => setRequest((last) => ({ number, seq: (last?.seq ?? 0) + 1 }))} />
      <VerifyNumber request={request} />
    </main>
  );
}
