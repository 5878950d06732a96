// The few REST API v2 calls of the fixtures and verify screens (docs/api.md), with their own small fetch helper:
// JSON in and out, `Authorization: Bearer <token>`, failures as V2Error {status, code, serverMessage}.
import { url } from "./paths.js";

export class V2Error extends Error {
  constructor(status, code, serverMessage) {
    super(serverMessage || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }
}

function parse(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** One v2 request: the parsed body of a 2xx answer, else V2Error (status 0: the server could not be reached). */
export async function v2(method, path, { token = null, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    const init = { method, headers, cache: "no-store" };
    if (body !== undefined) init.body = JSON.stringify(body);
    response = await fetch(url(`/api/v2${path}`), init);
  } catch {
    throw new V2Error(0, "network", "");
  }
  const data = parse(await response.text());
  if (response.ok) return data;
  throw new V2Error(response.status, data?.ErrorCode ?? null, data?.ErrorMessage ?? null);
}

const tournament = (id) => `/tournaments/${encodeURIComponent(id)}`;

export const getState = (id) => v2("GET", tournament(id));

/** The fixtures, or null while the host has not made them (404 NotFound; an unknown tournament still throws). */
export async function getFixtures(id) {
  try {
    return await v2("GET", `${tournament(id)}/fixtures`);
  } catch (error) {
    if (error instanceof V2Error && error.status === 404 && error.code === "NotFound") return null;
    throw error;
  }
}

export const makeFixtures = (id, token, body) => v2("POST", `${tournament(id)}/fixtures`, { token, body });

export const putScore = (id, token, matchId, body) =>
  v2("PUT", `${tournament(id)}/matches/${encodeURIComponent(matchId)}/score`, { token, body });

export const lockScore = (id, token, matchId) =>
  v2("POST", `${tournament(id)}/matches/${encodeURIComponent(matchId)}/lock`, { token });

export function isTournamentMissing(error) {
  return error instanceof V2Error && error.status === 404 && error.code !== "NotFound";
}
