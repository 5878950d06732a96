// DOM helpers of the fixtures and verify screens; the element builder `h` is the app's own (lib/ui.js).
import { url } from "./paths.js";
import { h } from "./ui.js";

export { h };

/** Link a stylesheet of ours (root-relative path, e.g. "/static/fixtures.css") once per document. */
export function useStylesheet(path) {
  const href = url(path);
  const present = [...document.querySelectorAll('link[rel="stylesheet"]')].some(
    (link) => link.getAttribute("href") === href,
  );
  if (!present) document.head.append(h("link", { rel: "stylesheet", href }));
}

/** "Jan Nowak" of a side {name, surname} (or a player/seat with those fields). */
export function fullName(who) {
  return who ? `${who.name} ${who.surname}` : "";
}

/** Read `text` out to screen readers through the page's live region (if there is one). */
export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  requestAnimationFrame(() => {
    region.textContent = text;
  });
}

/** Replace `node` in place by `fresh` when its key changed; returns the node now in the document. */
export function swapIfChanged(node, key, build) {
  if (node && node.dataset.key === key) return node;
  const fresh = build();
  fresh.dataset.key = key;
  if (node) node.replaceWith(fresh);
  return fresh;
}

/** Put `nodes` into `list` in this order, moving only what is out of place; the focus stays where it was. */
export function place(list, nodes) {
  const active = document.activeElement;
  const wanted = new Set(nodes);
  for (const child of [...list.children]) if (!wanted.has(child)) child.remove();
  nodes.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
  });
  if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
}
