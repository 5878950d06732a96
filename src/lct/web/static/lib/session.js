// What this device remembers: who the player is in each tournament, and the tournaments it hosts.

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOSTED_KEY = "lct.hosted";
const HOSTED_MAX = 5;

const identityKey = (id) => `lct.player.${id}`;
const hostKey = (id) => `lct.host.${id}`;

// Tokens (API v2). A player's identity is {playerId, token, name, surname} under lct.player.<id>; the host's token
// is under lct.host.<id>. Tokens never leave this device except in an Authorization header (or, for the host's
// "open on another screen" link, in the URL fragment, which browsers never send to the server).

/** The host token this device holds for tournament `id`, or null. */
export function loadHostToken(id) {
  try {
    const value = localStorage.getItem(hostKey(id));
    return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
  } catch {
    return null;
  }
}

export function saveHostToken(id, token) {
  try {
    localStorage.setItem(hostKey(id), token);
  } catch {
    /* private mode: the host token lives only as long as the page */
  }
}

/** This device's player in tournament `id`: {playerId, token, name, surname}, or null. */
export function loadPlayer(id) {
  const value = loadIdentity(id);
  return value && typeof value.playerId === "string" && typeof value.token === "string" ? value : null;
}

export function savePlayer(id, player) {
  try {
    const { playerId, token, name, surname } = player;
    localStorage.setItem(identityKey(id), JSON.stringify({ playerId, token, name, surname }));
  } catch {
    /* private mode */
  }
}

export function loadIdentity(id) {
  try {
    const value = JSON.parse(localStorage.getItem(identityKey(id)) || "null");
    if (value && typeof value.name === "string" && typeof value.surname === "string") return value;
  } catch {
    /* corrupt or blocked storage */
  }
  return null;
}

export function saveIdentity(id, player) {
  try {
    localStorage.setItem(identityKey(id), JSON.stringify({ name: player.name, surname: player.surname }));
  } catch {
    /* private mode: identity lives only as long as the page */
  }
}

export function forgetIdentity(id) {
  try {
    localStorage.removeItem(identityKey(id));
  } catch {
    /* ignore */
  }
}

export function loadHosted() {
  try {
    const list = JSON.parse(localStorage.getItem(HOSTED_KEY) || "[]");
    return Array.isArray(list) ? list.filter((x) => x && UUID_RE.test(x.id) && typeof x.name === "string") : [];
  } catch {
    return [];
  }
}

export function rememberHosted(id, name) {
  const list = [{ id, name }, ...loadHosted().filter((x) => x.id !== id)].slice(0, HOSTED_MAX);
  try {
    localStorage.setItem(HOSTED_KEY, JSON.stringify(list));
  } catch {
    /* ignore */
  }
}
