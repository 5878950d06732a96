// What this device remembers: its player in each tournament, the host tokens it holds, the tournaments it hosts.
//
// Tokens (API v2). A player's identity is {playerId, token, name, surname} under lct.player.<id>; the host's token
// is under lct.host.<id>. Tokens never leave this device except in an Authorization header, the hub's
// access_token parameter (a player's own connection), or a link whose secret is in the URL FRAGMENT
// ("open on another screen", a lost phone's new join link): browsers never send a fragment to the server, and
// takeFragment() stores it and removes it from the address bar before any screen runs.

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;
const HOSTED_KEY = "lct.hosted";
const HOSTED_MAX = 5;

const playerKey = (id) => `lct.player.${id}`;
const hostKey = (id) => `lct.host.${id}`;

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked
  }
}

function write(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: it lives only as long as the page */
  }
}

/** The host token this device holds for tournament `id`, or null. */
export function loadHostToken(id) {
  const value = read(hostKey(id));
  return value && TOKEN_RE.test(value) ? value : null;
}

export function saveHostToken(id, token) {
  write(hostKey(id), token);
}

export function forgetHostToken(id) {
  write(hostKey(id), null);
}

/**
 * This device's player in tournament `id`: {playerId, token, name, surname, clientSeed}, or null. `clientSeed` is
 * what this phone sent for the draw ("" when it did not send one), so the verify page can find it in the proof.
 */
export function loadPlayer(id) {
  let value = null;
  try {
    value = JSON.parse(read(playerKey(id)) || "null");
  } catch {
    return null; // corrupt
  }
  if (!value || typeof value.playerId !== "string" || typeof value.token !== "string") return null;
  const clientSeed = typeof value.clientSeed === "string" ? value.clientSeed : "";
  return { playerId: value.playerId, token: value.token, name: value.name || "", surname: value.surname || "", clientSeed };
}

export function savePlayer(id, player) {
  const { playerId, token, name, surname, clientSeed = "" } = player;
  write(playerKey(id), JSON.stringify({ playerId, token, name, surname, clientSeed }));
}

export function forgetPlayer(id) {
  write(playerKey(id), null);
}

export function loadHosted() {
  try {
    const list = JSON.parse(read(HOSTED_KEY) || "[]");
    return Array.isArray(list) ? list.filter((x) => x && UUID_RE.test(x.id) && typeof x.name === "string") : [];
  } catch {
    return [];
  }
}

export function rememberHosted(id, name) {
  const list = [{ id, name }, ...loadHosted().filter((x) => x.id !== id)].slice(0, HOSTED_MAX);
  write(HOSTED_KEY, JSON.stringify(list));
}

/**
 * A secret in the URL fragment of tournament `id`'s page: "#host=<token>" (the host's other screen) or
 * "#player=<playerId>.<token>" (a player's new join link). It is saved on this device and the fragment leaves the
 * address bar at once (history.replaceState). Returns "host", "player" or null.
 */
export function takeFragment(id) {
  const hash = location.hash.replace(/^#/, "");
  if (!/(^|&)(host|player)=/.test(hash)) return null;
  const params = new URLSearchParams(hash);
  history.replaceState(history.state, "", location.pathname + location.search);
  const host = params.get("host");
  if (id && host && TOKEN_RE.test(host)) {
    saveHostToken(id, host);
    return "host";
  }
  const [playerId, token] = (params.get("player") || "").split(".");
  if (id && UUID_RE.test(playerId || "") && TOKEN_RE.test(token || "")) {
    const known = loadPlayer(id);
    const same = known && known.playerId === playerId;
    const kept = same ? known : { name: "", surname: "", clientSeed: "" }; // a new phone never sent a seed here
    savePlayer(id, { playerId, token, name: kept.name, surname: kept.surname, clientSeed: kept.clientSeed });
    return "player";
  }
  return null;
}
