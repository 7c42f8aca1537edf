// The one client of the public /api/: JSON in and out, errors in the API's own words.

export class ApiError extends Error {
  constructor(status, message, field, retryAfter) {
    super(message);
    this.status = status;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
  }
}

let onUnauthorized = () => {};

/** Called when any request answers 401 (expired or revoked session). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

const FALLBACK = {
  400: "The request was not accepted.",
  403: "You don't have permission to do that.",
  404: "That no longer exists.",
  409: "That conflicts with the current state.",
  413: "That is too large to send.",
  429: "Too many attempts. Please wait and try again.",
  500: "The server had a problem. Please try again.",
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
    throw new ApiError(0, "Can't reach Desk. Check that it is running, then try again.");
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
  const message = (data && data.error) || FALLBACK[response.status] || `Request failed (${response.status}).`;
  const error = new ApiError(response.status, message, data && data.field, response.headers.get("Retry-After"));
  if (response.status === 401 && !quiet401) onUnauthorized(error);
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
