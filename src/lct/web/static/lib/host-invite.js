// The host page's invitation: the room code, the QR code and link phones use (the server knows the address
// phones can reach: GET /t/<id>/links), the TV page, and this host screen on another device (its secret only in
// the URL fragment, its QR code drawn here).
import { addTexts, t } from "./i18n.js";
import { url } from "./paths.js";
import { qrSvg } from "./qr.js";
import { copyableLink, h } from "./ui.js";

addTexts({
  en: {
    inviteTitle: "Invite players",
    screensTitle: "Other screens",
    inviteIntro: "Scan the QR code with a phone on the same network, open the link, or type the room code.",
    qrAlt: "QR code with the join link",
    unreachable: "Phones cannot open this link: the server only listens on this computer. Start it with scripts/serve (or LCT_HOST=0.0.0.0), or set LCT_PUBLIC_URL.",
    tvLink: "Open the TV screen",
    tvHint: "For a big screen everyone can see: the QR code, the players live and the draw.",
    otherScreen: "Open this host screen on another device",
    otherScreenWarning: "Anyone with this link can run the tournament: share it only with a co-host.",
    otherScreenQr: "QR code with the link to this host screen",
  },
  pl: {
    inviteTitle: "Zaproś graczy",
    screensTitle: "Inne ekrany",
    inviteIntro: "Zeskanuj kod QR telefonem w tej samej sieci, otwórz link albo wpisz kod pokoju.",
    qrAlt: "Kod QR z linkiem do dołączenia",
    unreachable: "Telefony nie otworzą tego linku: serwer nasłuchuje tylko na tym komputerze. Uruchom go przez scripts/serve (albo z LCT_HOST=0.0.0.0) lub ustaw LCT_PUBLIC_URL.",
    tvLink: "Otwórz ekran dla telewizora",
    tvHint: "Na duży ekran, który widzą wszyscy: kod QR, gracze na żywo i losowanie.",
    otherScreen: "Otwórz ten ekran gospodarza na innym urządzeniu",
    otherScreenWarning: "Każdy, kto ma ten link, może prowadzić turniej: udostępnij go tylko współgospodarzowi.",
    otherScreenQr: "Kod QR z linkiem do tego ekranu gospodarza",
  },
});

/** Where links for other devices start: the server's answer, or this page's own address until it comes. */
export function linkBase(links) {
  return links?.base || `${location.origin}${url("")}`;
}

/** The room code, big and widely spaced. */
export function roomCode(code, testid) {
  return h("p", { class: "room-code", "data-testid": testid }, code || "······");
}

function otherScreen(view, links) {
  const href = `${linkBase(links)}/t/${view.id}/host#host=${view.token}`;
  return h(
    "details",
    { class: "other-screen", "data-testid": "host-other-screen" },
    h("summary", {}, t("otherScreen")),
    h("p", { class: "warning" }, t("otherScreenWarning")),
    copyableLink(href, { testid: "host-link" }),
    qrSvg(href, { label: t("otherScreenQr"), testid: "host-link-qr", className: "qr qr-small" }),
  );
}

/** Fill the invitation with the links (and the state's room code); the host's own link only with the token. */
export function updateInvite(view, state, links) {
  const join = links?.join || `${linkBase(null)}/t/${view.id}/join`;
  const tv = links?.tv || `${linkBase(null)}/t/${view.id}/tv`;
  view.invite.code.replaceChildren(roomCode(state?.code, "host-code"));
  if (view.invite.joinHref !== join) {
    view.invite.joinHref = join;
    view.invite.join.replaceChildren(copyableLink(join, { testid: "join-link" }));
  }
  const drawn = Array.isArray(state?.draw) && state.draw.length > 0; // nobody joins any more: no invitation
  view.invite.title.textContent = t(drawn ? "screensTitle" : "inviteTitle");
  view.invite.joining.hidden = drawn;
  view.invite.warning.hidden = drawn || !links || links.phonesCanReach !== false;
  view.invite.tv.replaceChildren(
    h("a", { class: "btn btn-secondary", href: tv, target: "_blank", rel: "noopener", "data-testid": "tv-link" }, t("tvLink")),
    h("p", { class: "hint" }, t("tvHint")),
  );
  if (view.isHost && view.token && links && !view.invite.other.firstChild) view.invite.other.append(otherScreen(view, links));
  if (!view.isHost) view.invite.other.replaceChildren();
}

export function inviteCard(view) {
  view.invite = {
    title: h("h2", { id: "invite-title" }, t("inviteTitle")),
    code: h("div", { class: "room-code-box" }),
    join: h("div", {}),
    warning: h("p", { class: "warning", "data-testid": "reach-warning", hidden: true }, t("unreachable")),
    tv: h("div", { class: "tv-box" }),
    other: h("div", {}),
    joinHref: null,
  };
  const src = url(`/t/${view.id}/qr.svg`);
  const qr = h("img", { class: "qr", src, alt: t("qrAlt"), "data-testid": "join-qr", width: 280, height: 280 });
  const side = h("div", { class: "invite-side" }, h("p", { class: "room-code-label" }, t("roomCode")), view.invite.code);
  view.invite.joining = h(
    "div",
    { class: "invite-joining" },
    h("p", { class: "lead" }, t("inviteIntro")),
    h("div", { class: "invite-main" }, qr, side),
    view.invite.join,
  );
  return h(
    "section",
    { class: "card invite", "aria-labelledby": "invite-title" },
    view.invite.title,
    view.invite.joining,
    view.invite.warning,
    view.invite.tv,
    view.invite.other,
  );
}
