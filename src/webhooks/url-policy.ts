import ipaddr from "ipaddr.js";

/**
 * Where Switchboard may send webhooks and rule-engine calls: public `https` URLs only.
 * Checked when a URL is saved and again before every call, on the parsed URL and without
 * DNS (a Worker cannot resolve names, and production Workers cannot reach private
 * addresses anyway; local workerd can, so the check is ours). `local` (set by `npm start`)
 * also allows `http:` and loopback, so subscribers on the developer's machine work.
 */
const BLOCKED_NAMES = new Set(["localhost", "metadata", "metadata.google.internal", "instance-data"]);
const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".arpa"];
const LOOPBACK_NAMES = new Set(["localhost"]);

/** The reason a URL may not receive calls, or null when it may. */
export function urlProblem(value: string, local: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a valid URL.";
  }
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) {
    return local ? "Only http and https URLs are allowed." : "Only https URLs are allowed.";
  }
  if (url.username || url.password) return "Credentials in the URL are not allowed; use a query parameter such as ?auth= instead.";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const bracketed = host.startsWith("[") && host.endsWith("]");
  const literal = bracketed ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal) && (bracketed || ipaddr.IPv4.isValidFourPartDecimal(literal))) {
    return addressProblem(ipaddr.parse(literal), local);
  }
  if (local && LOOPBACK_NAMES.has(host)) return null;
  if (BLOCKED_NAMES.has(host) || BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) return `The host ${host} is not a public address.`;
  if (!host.includes(".")) return `The host ${host} is not a public domain name.`;
  return null;
}

function addressProblem(address: ipaddr.IPv4 | ipaddr.IPv6, local: boolean): string | null {
  const range = address.range();
  // `::ffff:127.0.0.1` and friends are refused as what they are (mapped), never unwrapped into loopback.
  if (local && range === "loopback") return null;
  if (range === "unicast") return null;
  return `The address ${address.toString()} is not a public address (${range}).`;
}
