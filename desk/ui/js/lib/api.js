// The one client of the public /api/: JSON in and out, errors in the API's own words in
// English, else in the agent's language by the error's code (see errorText), or by the status
// for an answer without a readable error.
import { has, language, t } from "./i18n.js";

/**
 * What to show a person for an error answer: the API's `error` is English (for API clients);
 * an agent working in another language gets the catalogue's message for the error's stable
 * `code` ("error.code.email_taken"), and the English words only for a code it does not know.
 */
export function errorText(data) {
  const code = data && data.code;
  const key = code ? ["error.code", code].join(".") : "";
  if (key && has(key) && (language() !== "en" || !data.error)) return t(key);
  return (data && data.error) || "";
}

export class ApiError extends Error {
  constructor(status, message, field, retryAfter, code, data) {
    super(message);
    this.data = data || null; // the whole error body (a 409 reply_collision carries `newer`)
    this.status = status;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
    this.code = code || null; // the API's stable key: "disk_full", "database_damaged", ...
  }
}

let onUnauthorized = () => {};
let onFault = () => {};

/** Called when a request answers 507 (disk full) or 503 (database damaged): the banner. */
export function setFaultHandler(fn) {
  onFault = fn;
}

/** Called when any request answers 401 (expired or revoked session). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

// Words for an answer without an error of its own, by status (catalogue keys).
const FALLBACK = {
  400: "error.http400", 403: "error.http403", 404: "error.http404", 409: "error.http409",
  413: "error.http413", 429: "error.http429", 500: "error.http500", 503: "error.http503",
  507: "error.http507",
};

export async function request(method, path, body, { quiet401 = false, keepalive = false } = {}) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (keepalive) init.keepalive = true; // outlives the page (a reload, closing the window)
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, t("error.offline"));
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.ok) return data;
  const message = errorText(data)
    || (FALLBACK[response.status] ? t(FALLBACK[response.status]) : t("error.httpOther", { status: response.status }));
  const error = new ApiError(response.status, message, data && data.field,
    response.headers.get("Retry-After"), data && data.code, data);
  if (response.status === 401 && !quiet401) onUnauthorized(error);
  if (response.status === 507 || response.status === 503) onFault(error);
  throw error;
}

export function qs(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  get: (path, params, opts) => request("GET", path + qs(params), undefined, opts),
  post: (path, body, opts) => request("POST", path, body ?? {}, opts),
  patch: (path, body) => request("PATCH", path, body),
  put: (path, body, opts) => request("PUT", path, body, opts),
  del: (path, params) => request("DELETE", path + qs(params)),
};
