// The REST v1 client: JSON in and out, failures as ApiError, and their texts for the user.
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

function requestInit(method, body) {
  const init = { method, cache: "no-store", headers: { Accept: "application/json" } };
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

/** One request to a root-relative path ("/api/…"; url() adds ROOT): the parsed 200 body, or ApiError. */
export async function api(method, path, body) {
  let response;
  try {
    response = await fetch(url(path), requestInit(method, body));
  } catch {
    throw new ApiError(0, "network", "");
  }
  const data = parseBody(await response.text());
  if (response.status !== 200) throw errorOf(response.status, data);
  return data;
}

export function errorText(error) {
  if (!(error instanceof ApiError)) return t("err_unknown");
  if (error.code && hasText(`err_${error.code}`)) return t(`err_${error.code}`);
  if (error.status === 0) return t("err_network");
  if (error.serverMessage) return error.serverMessage;
  if (error.status === 400 || error.status === 422) return t("err_InvalidField");
  return t("err_unknown");
}

export function isNotFound(error) {
  if (!(error instanceof ApiError)) return false;
  return error.code === "TournamentNotFound" || (error.status === 404 && error.code !== "NotFound");
}

/** True when `error` is an ApiError with this ErrorCode. */
export function hasCode(error, code) {
  return error instanceof ApiError && error.code === code;
}

export const getTournament = (id) => api("GET", `/api/Tournament?id=${encodeURIComponent(id)}`);
export const getTeams = (id) => api("GET", `/api/Team?tournamentId=${encodeURIComponent(id)}`);
