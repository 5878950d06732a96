// DOM helpers of the fixtures and verify screens (kept here so that changes to lib/ui.js cannot break them).
import { url } from "./paths.js";

/** h("p", {class, text, onclick, "data-x": ...}, ...children): null/undefined/false skip an attribute or child. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

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
