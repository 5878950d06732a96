// What this device remembers: who the player is in each tournament, and the tournaments it hosts.

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOSTED_KEY = "lct.hosted";
const HOSTED_MAX = 5;

const identityKey = (id) => `lct.player.${id}`;

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
