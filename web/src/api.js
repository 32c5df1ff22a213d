// The twin's HTTP API (docs/twin-api.md): reads, the token-authenticated settings write, and
// its errors as ApiError. URLs are relative, so the dashboard also works below a path prefix.

const TOKEN_KEY = "powerstack-token";

export class ApiError extends Error {
  // status: HTTP status (0 when the server could not be reached); body: the error object
  // {error, message, fields} when the server sent one; retryAfterS: from Retry-After (429).
  constructor(status, body, retryAfterS) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error ? body.error : "";
    this.fields = body && Array.isArray(body.fields) ? body.fields : [];
    this.retryAfterS = retryAfterS;
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(token) {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(`api/v1/${path}`, init);
  } catch (e) {
    throw new ApiError(0, { error: "unreachable", message: `the device did not answer (${e.message})` });
  }
  let parsed = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const retry = Number.parseInt(response.headers.get("Retry-After") || "", 10);
    throw new ApiError(response.status, parsed, Number.isFinite(retry) ? retry : undefined);
  }
  if (parsed === null) {
    throw new ApiError(response.status, { error: "bad-answer", message: "the answer is not JSON" });
  }
  return parsed;
}

export const getStatus = () => request("GET", "status");
export const getSettings = () => request("GET", "settings");
export const putSettings = (changes) => request("PUT", "settings", changes);
export const getPvCurve = () => request("GET", "pv-curve");
export const getHistory = (range) => request("GET", `history?range=${encodeURIComponent(range)}`);
export const eventsUrl = "api/v1/events";

// A one-line explanation of an API error for the user.
export function describeError(e) {
  if (!(e instanceof ApiError)) return String(e);
  switch (e.status) {
    case 0:
      return e.message;
    case 401:
      return getToken()
        ? "Refused (401): the device token is wrong. Enter the token from the twin's data directory."
        : "Refused (401): saving needs the device token. Enter it under Access above.";
    case 429: {
      const wait = e.retryAfterS !== undefined ? ` Try again in ${e.retryAfterS} s.` : "";
      return `Refused (429): too many failed attempts from this address.${wait}`;
    }
    case 400:
      return e.code === "bad-field"
        ? "Not saved: the device rejected the marked values."
        : `Not saved (400 ${e.code}): ${e.message}`;
    default:
      return `Not saved (${e.status}${e.code ? " " + e.code : ""}): ${e.message}`;
  }
}
