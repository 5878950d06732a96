// Where the app lives: at the site root (ROOT = "") or under a path prefix such as "/lct" (LCT_ROOT_PATH),
// which the server writes into <meta name="lct-root" content="…">. Every URL the app builds goes
// through url(); the router reads appPath(location.pathname).

function readRoot() {
  const content = document.querySelector('meta[name="lct-root"]')?.getAttribute("content") || "";
  const root = content.trim().replace(/\/+$/, "");
  return root && !root.startsWith("/") ? `/${root}` : root;
}

/** The path prefix without a trailing slash; "" when the app is served at the root. */
export const ROOT = readRoot();

/** A root-relative path under ROOT: url("/api/Tournament") is "/lct/api/Tournament"; others unchanged. */
export function url(path) {
  return path.startsWith("/") && !path.startsWith("//") ? ROOT + path : path;
}

/** The path the router knows: appPath("/lct/t/…/host") is "/t/…/host", appPath("/lct") is "/". */
export function appPath(pathname) {
  if (!ROOT) return pathname;
  if (pathname === ROOT) return "/";
  return pathname.startsWith(`${ROOT}/`) ? pathname.slice(ROOT.length) : pathname;
}
