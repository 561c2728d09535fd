// Fills ONE inbox of a local D1 database with N synthetic inbound text messages, written
// straight into the SQLite file wrangler keeps under <persist>/v3/d1/... (the dev server
// must be stopped). Rows match what the ingest path writes (src/db/queries/ingest.ts):
// messages (payload = the Cloud API message object), messages_fts (rowid = messages.id,
// every token prefixed with the inbox key, src/services/search.ts) and chats with their
// last_message_* fields.
//
//   node bench/generate.mjs --persist <dir> [--inbox <uuid>] [--messages 1000000] [--chats 5000] [--seed 1]
//   node bench/generate.mjs --db <file.sqlite> ...
//
// BENCH_MESSAGES / BENCH_CHATS set the defaults. Needs node:sqlite (Node >= 22.13; `npm run`
// puts the project's Node 24 first on PATH).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { localD1File } from "../scripts/d1-bindings.mjs";
import { inboxKey, words } from "../src/services/search.ts";

/** Business-chat vocabulary: searches for any of these have hits (each word is in ~3% of messages). */
export const WORDS = `
hello hi thanks thank you please order delivery invoice payment refund receipt shipping tracking package parcel
address street city postcode courier driver tomorrow today yesterday morning afternoon evening weekend monday tuesday
wednesday thursday friday saturday sunday appointment booking reservation table room checkin checkout ticket seat
flight train bus taxi pickup dropoff price quote discount coupon voucher promotion offer sale stock available size
colour color black white blue red green small medium large extra return exchange warranty repair broken damaged
missing wrong item product catalogue catalog menu pizza burger salad coffee tea breakfast lunch dinner dessert
allergy vegan gluten spicy account password login email phone number update change cancel confirm confirmed
pending processing shipped delivered arrived late delay sorry problem issue help support agent manager question
answer information details photo picture document contract signature bank transfer card cash transaction balance
subscription plan upgrade downgrade renewal expired license key code verification reference customer service hours
open closed holiday location map branch store shop online website app download install error message notification
reminder schedule meeting call video week month year minutes hour soon asap urgent quickly great perfect awesome
nice good bad fine okay sure maybe unfortunately already still again first last next new old same different
doctor dentist clinic prescription pharmacy insurance claim policy quotation estimate budget project proposal
deadline report feedback review rating stars recommend friend family kids school lesson course class teacher
student exam result certificate apartment rent lease landlord tenant maintenance plumber electrician cleaning
laundry garden parking gate floor elevator keys wifi internet router battery charger laptop screen keyboard
printer headphones camera watch shoes shirt jacket dress jeans bag gift wrapping birthday wedding party flowers
`
  .split(/\s+/)
  .filter(Boolean);

const FIRST =
  "Ana Ben Carla David Elena Felix Grace Hugo Irene Jonas Kira Liam Maria Noah Olga Pablo Quinn Rosa Sam Tara Umar Vera Will Xena Yusuf Zoe".split(
    " ",
  );
const LAST =
  "Silva Smith Garcia Müller Rossi Dubois Kowalski Novak Jensen Costa Ahmed Tanaka Kim Nguyen Okafor Santos Haddad Ivanova Berg Moreau".split(
    " ",
  );

// The app's own tokenizer (Node 24 strips the types), so generated FTS rows match what the write path indexes.
export { inboxKey } from "../src/services/search.ts";

/** mulberry32: a small deterministic PRNG, so the same seed gives the same data set. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A just-stopped `wrangler dev` may still hold a file's lock for a moment: wait for it rather than fail. */
const LOCK_WAIT_MS = 15_000;

/** The local D1 file that holds an inbox's traffic: its shard's, as the directory (`DB`) names it. */
export async function inboxD1File(persistDir, inboxId) {
  const { DatabaseSync } = await import("node:sqlite");
  const dir = new DatabaseSync(localD1File(persistDir, "DB"), { readOnly: true, timeout: LOCK_WAIT_MS });
  try {
    const row = dir.prepare("SELECT shard FROM inboxes WHERE id = ?").get(inboxId);
    if (!row) throw new Error(`inbox ${inboxId} not found (create it through the platform API first)`);
    return { binding: row.shard, file: localD1File(persistDir, row.shard) };
  } finally {
    dir.close();
  }
}

/**
 * Writes the rows; returns counts and how many messages hold `probeWord` (to report search hit counts).
 * Timestamps run from `days` ago up to one hour ago, increasing with the row id, like live traffic.
 */
export async function generate({
  persist,
  dbPath,
  inboxId,
  messages = 1_000_000,
  chats = 5_000,
  seed = 1,
  days = 180,
  now = Math.floor(Date.now() / 1000),
  txSize = 20_000,
  probeWords = [],
  log = console.log,
}) {
  const { DatabaseSync } = await import("node:sqlite");
  // The directory (inboxes, tags) and the inbox's shard (its traffic); one file with --db.
  const dir = new DatabaseSync(persist ? localD1File(persist, "DB") : dbPath, { timeout: LOCK_WAIT_MS });
  let db = dir;
  const started = performance.now();
  try {
    if (!inboxId) {
      const rows = dir.prepare("SELECT id FROM inboxes ORDER BY created_at, id").all();
      if (rows.length !== 1) throw new Error(`--inbox is required when the database has ${rows.length} inboxes`);
      inboxId = rows[0].id;
    }
    const inbox = dir.prepare("SELECT shard FROM inboxes WHERE id = ?").get(inboxId);
    if (!inbox) throw new Error(`inbox ${inboxId} not found (create it through the platform API first)`);
    if (inbox.shard !== "DB") {
      if (!persist) throw new Error(`inbox ${inboxId} is on ${inbox.shard}: pass --persist, not --db`);
      dbPath = localD1File(persist, inbox.shard);
      db = new DatabaseSync(dbPath, { timeout: LOCK_WAIT_MS });
    }
    db.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;");
    const key = inboxKey(inboxId);
    const rand = prng(seed);
    const pick = (list) => list[Math.floor(rand() * list.length)];

    // Chats: wa_id, profile name; a skewed share of traffic (a few busy chats, a long tail).
    const chatList = Array.from({ length: chats }, (_, i) => {
      const waId = `${4915100000000 + i * 7919}`;
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      return { waId, name, contact: JSON.stringify({ profile: { name }, wa_id: waId }), last: null };
    });
    const probes = new Map(probeWords.map((w) => [w, 0]));

    const insertMessage = db.prepare(
      `INSERT INTO messages (inbox_id, wamid, wa_id, from_us, timestamp, seq, type, payload, statuses, sender_user_id, context_wamid)
       VALUES (?, ?, ?, 0, ?, ?, 'text', ?, '{}', NULL, NULL)`,
    );
    const insertFts = db.prepare("INSERT INTO messages_fts (rowid, body) VALUES (?, ?)");
    const seqBase = db.prepare("SELECT coalesce(max(seq), 0) AS s FROM messages WHERE inbox_id = ?").get(inboxId).s;

    const start = now - days * 86_400;
    const step = (now - 3_600 - start) / Math.max(messages, 1);
    let done = 0;
    while (done < messages) {
      const end = Math.min(messages, done + txSize);
      db.exec("BEGIN");
      try {
        for (let i = done; i < end; i++) {
          const chat = chatList[Math.floor(chats * rand() ** 2)];
          const n = 3 + Math.floor(rand() * 14);
          const parts = [];
          for (let w = 0; w < n; w++) parts.push(pick(WORDS));
          let body = parts.join(" ");
          body = `${body[0].toUpperCase()}${body.slice(1)}${rand() < 0.3 ? "?" : "."}`;
          const timestamp = Math.floor(start + i * step);
          const wamid = `wamid.HBgN${chat.waId}FQIAEhgg${(seed * 1e9 + i).toString(16).toUpperCase().padStart(20, "0")}`;
          const payload = JSON.stringify({ from: chat.waId, id: wamid, timestamp: String(timestamp), type: "text", text: { body } });
          const seq = seqBase + i + 1;
          const { lastInsertRowid } = insertMessage.run(inboxId, wamid, chat.waId, timestamp, seq, payload);
          const tokens = words(body);
          insertFts.run(lastInsertRowid, tokens.map((t) => key + t).join(" "));
          for (const p of probes.keys()) if (tokens.some((t) => t.startsWith(p))) probes.set(p, probes.get(p) + 1);
          chat.last = { id: Number(lastInsertRowid), timestamp, seq };
        }
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
      done = end;
      if (done % 100_000 === 0 || done === messages) {
        const s = (performance.now() - started) / 1000;
        log(
          `  generated ${done.toLocaleString("en")} / ${messages.toLocaleString("en")} messages (${Math.round(done / s).toLocaleString("en")}/s)`,
        );
      }
    }

    const upsertChat = db.prepare(
      `INSERT INTO chats (inbox_id, wa_id, contact, profile_name, last_message_id, last_message_timestamp, last_message_seq, last_customer_message_timestamp, message_count)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, (SELECT count(*) FROM messages WHERE inbox_id = ?1 AND wa_id = ?2))
       ON CONFLICT (inbox_id, wa_id) DO UPDATE SET contact = excluded.contact, profile_name = excluded.profile_name, message_count = excluded.message_count,
         last_message_id = excluded.last_message_id, last_message_timestamp = excluded.last_message_timestamp,
         last_message_seq = excluded.last_message_seq, last_customer_message_timestamp = excluded.last_customer_message_timestamp`,
    );
    let chatRows = 0;
    db.exec("BEGIN");
    for (const c of chatList) {
      if (!c.last) continue;
      upsertChat.run(inboxId, c.waId, c.contact, c.name, c.last.id, c.last.timestamp, c.last.seq);
      chatRows++;
    }
    db.exec("COMMIT");
    // Tags as a busy inbox has them: one chat in ten tagged "VIP" (pages of chats and messages carry tags, and
    // `chat_tag_id` filters have a tenth of the inbox to find), each with a history row as the inbox object writes it.
    const workspaceId = dir.prepare("SELECT workspace_id FROM inboxes WHERE id = ?").get(inboxId).workspace_id;
    // One "VIP" tag per workspace, shared by every read inbox generated into it.
    dir
      .prepare(
        "INSERT INTO tags (workspace_id, name, name_key, web_inbox_color) VALUES (?, 'VIP', 'vip', '#d4a017') ON CONFLICT DO NOTHING",
      )
      .run(workspaceId);
    const tagId = dir.prepare("SELECT id FROM tags WHERE workspace_id = ? AND name_key = 'vip'").get(workspaceId).id;
    const tagChat = db.prepare("INSERT INTO chat_taggings (inbox_id, wa_id, tag_id, extra) VALUES (?, ?, ?, NULL)");
    const tagHistory = db.prepare(
      `INSERT INTO tagging_events (id, inbox_id, kind, seq, wa_id, wamid, tag_id, tag_name, tag_color, action, extra, done_by, timestamp)
       VALUES (?, ?, 'chat', ?, ?, NULL, ?, 'VIP', '#d4a017', 'added', NULL, NULL, ?)`,
    );
    let tagged = 0;
    db.exec("BEGIN");
    for (const [i, c] of chatList.entries()) {
      if (!c.last || i % 10 !== 0) continue;
      tagChat.run(inboxId, c.waId, tagId);
      tagHistory.run(`bench-${inboxId}-${seed}-${i}`, inboxId, i + 1, c.waId, tagId, c.last.timestamp);
      tagged++;
    }
    db.exec("COMMIT");
    const seconds = (performance.now() - started) / 1000;
    return { inboxId, dbPath, messages, chats: chatRows, taggedChats: tagged, tagId, seconds, probeHits: Object.fromEntries(probes) };
  } finally {
    if (db !== dir) db.close();
    dir.close();
  }
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const [k, v] = a.includes("=") ? a.slice(2).split(/=(.*)/s) : [a.slice(2), argv[++i]];
    if (v === undefined) throw new Error(`--${k} needs a value`);
    out[k] = v;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  if (!args.db && !args.persist) {
    console.error(
      "usage: node bench/generate.mjs (--persist <dir> | --db <file.sqlite>) [--inbox <uuid>] [--messages N] [--chats N] [--seed N]",
    );
    process.exit(2);
  }
  const result = await generate({
    persist: args.persist,
    dbPath: args.db,
    inboxId: args.inbox,
    messages: Number(args.messages ?? process.env.BENCH_MESSAGES ?? 1_000_000),
    chats: Number(args.chats ?? process.env.BENCH_CHATS ?? 5_000),
    seed: Number(args.seed ?? 1),
  });
  console.log(JSON.stringify(result));
}
