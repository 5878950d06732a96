// The REST client (API v2, docs/api.md): JSON in and out, tokens as "Authorization: Bearer", failures as ApiError,
// and their texts for the user.
import { hasText, t } from "./i18n.js";
import { url } from "./paths.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.serverMessage = message;
  }
}

function requestInit(method, body, token) {
  const init = { method, cache: "no-store", headers: { Accept: "application/json" } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return init;
}

function parseBody(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorOf(status, data) {
  const obj = data && typeof data === "object" ? data : {};
  const code = obj.ErrorCode ?? obj.errorCode ?? null;
  let message = obj.ErrorMessage ?? obj.errorMessage ?? obj.title ?? null;
  if (!message && typeof obj.detail === "string") message = obj.detail;
  return new ApiError(status, code, message);
}

/** One request to a root-relative path ("/api/…"; url() adds ROOT): the parsed 2xx body (null for 204), or ApiError. */
export async function api(method, path, body, token = null) {
  let response;
  try {
    response = await fetch(url(path), requestInit(method, body, token));
  } catch {
    throw new ApiError(0, "network", "");
  }
  const data = parseBody(await response.text());
  if (response.status < 200 || response.status > 299) throw errorOf(response.status, data);
  return data;
}

export function errorText(error) {
  if (!(error instanceof ApiError)) return t("err_unknown");
  if (error.code && hasText(`err_${error.code}`)) return t(`err_${error.code}`);
  if (error.status === 0) return t("err_network");
  if (error.status === 503) return t("err_busy");
  if (error.status === 401) return t("err_Unauthorized");
  if (error.status === 403) return t("err_Forbidden");
  if (error.serverMessage) return error.serverMessage;
  if (error.status === 400 || error.status === 422) return t("err_InvalidField");
  return t("err_unknown");
}

/** A failure that will pass by itself (no network, busy, too fast): its message is cleared once the hub is back. */
export function isTransient(error) {
  return error instanceof ApiError && [0, 429, 503].includes(error.status);
}

/** The tournament itself does not exist (not: a player or a match of it). */
export function isNotFound(error) {
  if (!(error instanceof ApiError)) return false;
  return error.code === "TournamentNotFound" || (error.status === 404 && !error.code);
}

/** True when `error` is an ApiError with this ErrorCode. */
export function hasCode(error, code) {
  return error instanceof ApiError && error.code === code;
}

export const isUnauthorized = (error) => error instanceof ApiError && error.status === 401;

const T = (id) => `/api/v2/tournaments/${encodeURIComponent(id)}`;
const P = (id, playerId) => `${T(id)}/players/${encodeURIComponent(playerId)}`;

/** API v2, one function per route (docs/api.md). `token` is the host's or a player's. */
export const v2 = {
  state: (id) => api("GET", T(id)),
  byCode: (code) => api("GET", `/api/v2/rooms/${encodeURIComponent(code)}`),
  catalogues: () => api("GET", "/api/v2/catalogues"),
  create: (body) => api("POST", "/api/v2/tournaments", body),
  me: (id, token) => api("GET", `${T(id)}/me`, undefined, token),
  update: (id, changes, token) => api("PATCH", T(id), changes, token),
  join: (id, body) => api("POST", `${T(id)}/players`, body),
  pick: (id, playerId, club, token) => api("PUT", `${P(id, playerId)}/club`, { club }, token),
  remove: (id, playerId, token) => api("DELETE", P(id, playerId), undefined, token),
  newToken: (id, playerId, token) => api("POST", `${P(id, playerId)}/token`, undefined, token),
  draw: (id, token) => api("POST", `${T(id)}/draw`, undefined, token),
  nextRound: (id, token) => api("POST", `${T(id)}/next-round`, undefined, token),
  nextRoundToken: (id, token, seed) => api("POST", `${T(id)}/next-round/token`, { clientSeed: seed }, token),
};

/** The links a host page shows: {join, tv, code, base, phonesCanReach} (the server knows the LAN address). */
export const getLinks = (id) => api("GET", `/t/${encodeURIComponent(id)}/links`);

/** 16 random bytes as hex: this phone's contribution to the draw (docs/fairness.md). */
export function clientSeed() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
