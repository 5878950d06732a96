// The host's list of players: each row live (pick, what they are looking at) with the host's controls: remove
// (after a confirmation) and a new join link for a player who lost their phone. Rows are kept per player and
// updated in place, so a live update never takes the focus away from a button.
import { v2 } from "./api.js";
import { addTexts, t } from "./i18n.js";
import { linkBase } from "./host-invite.js";
import { clubName, fullName, hasPicked, isDrawn, lookingAt, picksClubs } from "./players.js";
import { qrSvg } from "./qr.js";
import { button, copyableLink, h, nameText, setBusy, showApiError } from "./ui.js";

addTexts({
  en: {
    kick: "Remove",
    kickLabel: "Remove {player}",
    kickConfirm: "Remove {player} from the tournament? Their seat and club become free.",
    kickYes: "Yes, remove",
    removing: "Removing…",
    relink: "New join link",
    relinkLabel: "New join link for {player}",
    relinkMaking: "Making a link…",
    relinkHint: "Open this link on {player}'s new phone. Their old phone is signed out now.",
    relinkQr: "QR code with the new join link for {player}",
    close: "Close",
    playsAs: "plays as {team}",
  },
  pl: {
    kick: "Usuń",
    kickLabel: "Usuń: {player}",
    kickConfirm: "Usunąć z turnieju: {player}? Miejsce i drużyna tej osoby będą wolne.",
    kickYes: "Tak, usuń",
    removing: "Usuwanie…",
    relink: "Nowy link",
    relinkLabel: "Nowy link do dołączenia dla: {player}",
    relinkMaking: "Tworzenie linku…",
    relinkHint: "Otwórz ten link na nowym telefonie (gracz: {player}). Stary telefon jest już wylogowany.",
    relinkQr: "Kod QR z nowym linkiem do dołączenia dla: {player}",
    close: "Zamknij",
    playsAs: "gra drużyną {team}",
  },
});

function status(state, looks, player) {
  if (isDrawn(state)) {
    return player.drawnClub ? [h("span", { class: "done" }, t("playsAs", { team: clubName(player.drawnClub) }))] : [];
  }
  const parts = [];
  const looking = lookingAt(state, looks, player);
  if (hasPicked(player)) parts.push(h("span", { class: "done" }, `✓ ${clubName(player.club)}`));
  if (looking) {
    parts.push(h("span", { class: "looking", "data-testid": "player-looking" }, t("lookingAt", { team: clubName(looking) })));
  }
  if (!parts.length && picksClubs(state)) parts.push(h("span", {}, t("choosing")));
  return parts;
}

async function kick(view, row, yes) {
  setBusy(yes, true, t("kickYes"), t("removing"));
  try {
    await v2.remove(view.id, row.player.id, view.token);
    row.panel.replaceChildren();
    await view.session.refresh();
  } catch (err) {
    setBusy(yes, false, t("kickYes"), t("removing"));
    showApiError(view.error, err);
  }
}

function askKick(view, row) {
  const name = fullName(row.player);
  const yes = button(t("kickYes"), { cls: "btn btn-danger", testid: "player-kick-confirm" });
  yes.addEventListener("click", () => kick(view, row, yes));
  const cancel = () => {
    row.panel.replaceChildren();
    row.kick.focus();
  };
  row.panel.replaceChildren(
    h(
      "div",
      { class: "confirm-box", role: "group", "aria-label": t("kickLabel", { player: name }) },
      h("p", { class: "wrap" }, t("kickConfirm", { player: name })),
      h("div", { class: "link-row" }, yes, button(t("cancel"), { cls: "btn btn-secondary", onclick: cancel })),
    ),
  );
  yes.focus();
}

async function relink(view, row) {
  const name = fullName(row.player);
  setBusy(row.relink, true, t("relink"), t("relinkMaking"));
  try {
    const issued = await v2.newToken(view.id, row.player.id, view.token);
    const href = `${linkBase(view.links)}/t/${view.id}/join#player=${row.player.id}.${issued.playerToken}`;
    const close = () => row.panel.replaceChildren();
    row.panel.replaceChildren(
      h(
        "div",
        { class: "relink-panel", "data-testid": "relink-panel" },
        h("p", { class: "wrap" }, t("relinkHint", { player: name })),
        copyableLink(href, { testid: "relink-link" }),
        qrSvg(href, { label: t("relinkQr", { player: name }), testid: "relink-qr", className: "qr qr-small" }),
        button(t("close"), { cls: "btn btn-secondary", onclick: close }),
      ),
    );
  } catch (err) {
    showApiError(view.error, err);
  }
  setBusy(row.relink, false, t("relink"), t("relinkMaking"));
}

function makeRow(view, player) {
  const row = { player };
  row.name = nameText(fullName(player), { cls: "player-name" });
  row.status = h("span", { class: "player-club" });
  const small = "btn btn-secondary btn-small";
  row.kick = button(t("kick"), { cls: small, testid: "player-kick", onclick: () => askKick(view, row) });
  row.relink = button(t("relink"), { cls: small, testid: "player-relink", onclick: () => relink(view, row) });
  row.actions = h("span", { class: "row-actions" }, row.relink, row.kick);
  row.panel = h("div", { class: "row-panel" });
  const main = h("span", { class: "player-main" }, row.name);
  row.li = h("li", { "data-testid": "player-row", "data-player-id": player.id }, main, row.status, row.actions, row.panel);
  return row;
}

function fillRow(view, row, state, looks) {
  const name = fullName(row.player);
  row.name.textContent = name;
  row.name.title = name;
  row.status.replaceChildren(...status(state, looks, row.player));
  row.kick.setAttribute("aria-label", t("kickLabel", { player: name }));
  row.relink.setAttribute("aria-label", t("relinkLabel", { player: name }));
  row.actions.hidden = !view.isHost;
  row.kick.hidden = isDrawn(state);
  if (!view.isHost) row.panel.replaceChildren();
}

/** Bring `list` up to date with `state`: rows by player id, moved only when the order changes. */
export function updatePlayers(view, list, state, looks) {
  view.rows ||= new Map();
  const nodes = state.players.map((player) => {
    let row = view.rows.get(player.id);
    if (!row) view.rows.set(player.id, (row = makeRow(view, player)));
    row.player = player;
    fillRow(view, row, state, looks);
    return row.li;
  });
  for (const [id, row] of view.rows) {
    if (!state.players.some((p) => p.id === id)) {
      row.li.remove();
      view.rows.delete(id);
    }
  }
  for (let i = state.players.length; i < state.seats && !isDrawn(state); i += 1) {
    nodes.push(h("li", { class: "seat-empty" }, h("span", {}, t("emptySeat"))));
  }
  [...list.querySelectorAll(".seat-empty")].forEach((el) => el.remove());
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
}
