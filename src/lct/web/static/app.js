// Let Choose Teams web app: client-side routing by pathname, REST v1 API, live updates over the hub.
import { getLang, hasText, otherLang, setLang, t } from "./lib/i18n.js";
import { HubConnection, hubUrl } from "./lib/hub.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MIN_SEATS = 2;
const MAX_SEATS = 10;

const main = document.getElementById("main");
const banner = document.getElementById("connection-banner");
const announcer = document.getElementById("announcer");
const langButton = document.getElementById("lang-switch");

let unmount = () => {};
let firstRender = true;

// ---------------------------------------------------------------- DOM helpers

function h(tag, attrs = {}, ...children) {
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

function announce(text) {
  announcer.textContent = "";
  requestAnimationFrame(() => {
    announcer.textContent = text;
  });
}

function setDisabled(el, disabled) {
  el.disabled = disabled;
  el.toggleAttribute("disabled", disabled);
}

function fullName(player) {
  return `${player.name} ${player.surname}`;
}

function samePlayer(a, b) {
  return Boolean(a && b) && a.name === b.name && a.surname === b.surname;
}

function showError(el, text) {
  el.textContent = text || "";
}

// ---------------------------------------------------------------- navigation

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  render();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-link]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});

window.addEventListener("popstate", () => render());

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.serverMessage = message;
  }
}

async function api(method, path, body) {
  const init = { method, cache: "no-store", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", "");
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (response.status !== 200) {
    const obj = data && typeof data === "object" ? data : {};
    const code = obj.ErrorCode ?? obj.errorCode ?? null;
    let message = obj.ErrorMessage ?? obj.errorMessage ?? obj.title ?? null;
    if (!message && typeof obj.detail === "string") message = obj.detail;
    throw new ApiError(response.status, code, message);
  }
  return data;
}

function errorText(error) {
  if (!(error instanceof ApiError)) return t("err_unknown");
  if (error.code && hasText(`err_${error.code}`)) return t(`err_${error.code}`);
  if (error.status === 0) return t("err_network");
  if (error.serverMessage) return error.serverMessage;
  if (error.status === 400 || error.status === 422) return t("err_InvalidField");
  return t("err_unknown");
}

function isNotFound(error) {
  if (!(error instanceof ApiError)) return false;
  return error.code === "TournamentNotFound" || (error.status === 404 && error.code !== "NotFound");
}

const getTournament = (id) => api("GET", `/api/Tournament?id=${encodeURIComponent(id)}`);
const getTeams = (id) => api("GET", `/api/Team?tournamentId=${encodeURIComponent(id)}`);

// ---------------------------------------------------------------- identity (per tournament)

function loadIdentity(id) {
  try {
    const value = JSON.parse(localStorage.getItem(`lct.player.${id}`) || "null");
    if (value && typeof value.name === "string" && typeof value.surname === "string") return value;
  } catch {
    /* corrupt or blocked storage */
  }
  return null;
}

function saveIdentity(id, player) {
  try {
    localStorage.setItem(`lct.player.${id}`, JSON.stringify({ name: player.name, surname: player.surname }));
  } catch {
    /* private mode: identity lives only as long as the page */
  }
}

function forgetIdentity(id) {
  try {
    localStorage.removeItem(`lct.player.${id}`);
  } catch {
    /* ignore */
  }
}

function loadHosted() {
  try {
    const list = JSON.parse(localStorage.getItem("lct.hosted") || "[]");
    return Array.isArray(list) ? list.filter((x) => x && UUID_RE.test(x.id) && typeof x.name === "string") : [];
  } catch {
    return [];
  }
}

function rememberHosted(id, name) {
  const list = [{ id, name }, ...loadHosted().filter((x) => x.id !== id)].slice(0, 5);
  try {
    localStorage.setItem("lct.hosted", JSON.stringify(list));
  } catch {
    /* ignore */
  }
}

// ---------------------------------------------------------------- live tournament state

function setBanner(hubState) {
  if (hubState === "reconnecting") {
    banner.textContent = t("reconnecting");
    banner.hidden = false;
  } else {
    banner.hidden = true;
    banner.textContent = "";
  }
}

/** Tournament state read over HTTP and kept current by hub messages. */
class TournamentSession {
  constructor(id, { onChange = () => {}, onClicked = () => {}, onConnected = () => {}, onError = () => {} }) {
    this.id = id;
    this.state = null;
    this.clicked = [];
    this.handlers = { onChange, onClicked, onConnected, onError };
    this.refreshing = null;
    this.hub = new HubConnection(hubUrl(id), {
      onInvocation: (target, args) => this.receive(target, args),
      onState: (state) => setBanner(state),
      onConnected: () => {
        this.reread().catch((error) => this.handlers.onError(error));
        this.handlers.onConnected();
      },
    });
    this.poll = null;
  }

  start() {
    this.hub.start();
    // While the hub is down, fall back to reading the state every few seconds.
    this.poll = setInterval(() => {
      if (!this.hub.connected && this.state) this.refresh().catch(() => {});
    }, 5000);
  }

  stop() {
    clearInterval(this.poll);
    this.hub.stop();
    setBanner("stopped");
  }

  /** Re-read the state over HTTP; a response older than what we already have is ignored. */
  refresh() {
    if (!this.refreshing) {
      this.refreshing = getTournament(this.id)
        .then((fresh) => {
          const known = this.state?.streamVersion;
          if (typeof known === "number" && typeof fresh.streamVersion === "number" && fresh.streamVersion < known) {
            return this.state;
          }
          this.state = { ...fresh, players: (fresh.players || []).map((p) => ({ ...p })) };
          this.handlers.onChange(this.state, { type: "Refresh" });
          return this.state;
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /** A GET issued after this call (one already in flight may predate the hub subscription). */
  reread() {
    const again = () => this.refresh();
    return this.refreshing ? this.refreshing.then(again, again) : again();
  }

  receive(target, args) {
    if (String(target).toLowerCase() !== this.id) return;
    let message;
    try {
      message = typeof args[0] === "string" ? JSON.parse(args[0]) : args[0];
    } catch {
      return;
    }
    if (!message || String(message.tournamentId).toLowerCase() !== this.id) return;
    if (message.type === "TeamClicked") {
      this.clicked = Array.isArray(message.clickedTeams) ? message.clickedTeams : [];
      this.handlers.onClicked(this.clicked);
      return;
    }
    if (!this.state) {
      this.refresh().catch(() => {});
      return;
    }
    const version = message.version;
    const known = this.state.streamVersion;
    if (typeof version === "number" && typeof known === "number") {
      if (version <= known) return; // already part of the state we hold
      if (version > known + 1) setTimeout(() => this.refresh().catch(() => {}), 0); // we missed something
      this.state.streamVersion = version;
    }
    if (!this.apply(message)) return;
    this.handlers.onChange(this.state, message);
  }

  apply(message) {
    const players = this.state.players;
    switch (message.type) {
      case "PlayerAssigned":
        if (!players.some((p) => samePlayer(p, message))) {
          players.push({ name: message.name, surname: message.surname, selectedTeam: null, drawnTeam: null });
        }
        return true;
      case "TeamSelected": {
        const player = players.find((p) => p.name === message.playerName && p.surname === message.playerSurname);
        if (player) player.selectedTeam = message.team;
        else setTimeout(() => this.refresh().catch(() => {}), 0);
        return true;
      }
      case "TeamsDrawn":
        applyDraw(this.state, message.drawnTeams || []);
        return true;
      default:
        return false;
    }
  }
}

function applyDraw(state, drawnTeams) {
  for (const entry of drawnTeams) {
    const player = state.players.find((p) => samePlayer(p, entry));
    if (player) player.drawnTeam = entry.teamName;
    else state.players.push({ name: entry.name, surname: entry.surname, selectedTeam: null, drawnTeam: entry.teamName });
  }
}

const hasPicked = (player) => player.selectedTeam !== null && player.selectedTeam !== undefined && player.selectedTeam !== "";
const isDrawn = (state) => state.players.length > 0 && state.players.some((p) => p.drawnTeam);

/** The draw as a table; rows in registration order so every screen shows the very same table. */
function drawTable(state, me) {
  const rows = state.players.map((p) => {
    const mine = samePlayer(p, me);
    return h(
      "tr",
      {
        class: mine ? "mine" : null,
        "data-testid": "draw-row",
        "data-player": fullName(p),
        "data-team": p.drawnTeam || "",
        "aria-current": mine ? "true" : null,
      },
      h("td", {}, fullName(p), mine ? h("span", { class: "tag" }, t("you")) : null),
      h("td", {}, p.drawnTeam || "—"),
    );
  });
  return h(
    "table",
    { class: "result", "data-testid": "draw-result" },
    h("caption", {}, t("drawResultTitle")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("colPlayer")), h("th", { scope: "col" }, t("colClub")))),
    h("tbody", {}, rows),
  );
}

function notFoundCard(text) {
  return h(
    "section",
    { class: "card" },
    h("p", { class: "error", role: "alert", "data-testid": "error" }, text),
    h("a", { class: "btn btn-secondary", href: "/", "data-link": true }, t("newTournament")),
  );
}

// ---------------------------------------------------------------- screen: create

function screenCreate() {
  const error = h("p", { class: "error", role: "alert", "aria-live": "assertive", "data-testid": "error", id: "create-error" });
  const name = h("input", {
    type: "text",
    id: "create-name",
    name: "name",
    "data-testid": "create-name",
    required: true,
    maxlength: 50,
    autocomplete: "off",
    placeholder: t("tournamentNamePlaceholder"),
  });
  const seats = h("input", {
    type: "number",
    id: "create-seats",
    name: "seats",
    "data-testid": "create-seats",
    min: MIN_SEATS,
    max: MAX_SEATS,
    step: 1,
    value: 4,
    inputmode: "numeric",
    required: true,
    "aria-describedby": "seats-hint",
  });
  const step = (delta) => {
    const value = Number.parseInt(seats.value, 10) || 4;
    seats.value = String(Math.min(MAX_SEATS, Math.max(MIN_SEATS, value + delta)));
  };
  const submit = h("button", { type: "submit", class: "btn btn-block", "data-testid": "create-submit" }, t("createSubmit"));
  const form = h(
    "form",
    { novalidate: true, onsubmit: onSubmit },
    h("div", { class: "field" }, h("label", { for: "create-name" }, t("tournamentName")), name),
    h(
      "div",
      { class: "field" },
      h("label", { for: "create-seats" }, t("seats")),
      h(
        "div",
        { class: "stepper" },
        h("button", { type: "button", class: "btn btn-secondary btn-square", "aria-label": t("fewerSeats"), onclick: () => step(-1) }, "−"),
        seats,
        h("button", { type: "button", class: "btn btn-secondary btn-square", "aria-label": t("moreSeats"), onclick: () => step(1) }, "+"),
      ),
      h("p", { class: "hint", id: "seats-hint" }, t("seatsHint")),
    ),
    error,
    submit,
  );

  async function onSubmit(event) {
    event.preventDefault();
    showError(error, "");
    name.removeAttribute("aria-invalid");
    seats.removeAttribute("aria-invalid");
    const tournamentName = name.value.trim();
    const playerLimit = Number(seats.value);
    if (!tournamentName) {
      name.setAttribute("aria-invalid", "true");
      showError(error, t("err_nameRequired"));
      name.focus();
      return;
    }
    if (!Number.isInteger(playerLimit) || playerLimit < MIN_SEATS || playerLimit > MAX_SEATS) {
      seats.setAttribute("aria-invalid", "true");
      showError(error, t("err_seatsRange"));
      seats.focus();
      return;
    }
    setDisabled(submit, true);
    submit.textContent = t("creating");
    try {
      const id = await api("POST", "/api/Tournament/create", { name: tournamentName, playerLimit });
      const tournamentId = String(id).toLowerCase();
      rememberHosted(tournamentId, tournamentName);
      navigate(`/t/${tournamentId}/host`);
    } catch (err) {
      if (err instanceof ApiError && err.code === "TournamentNameNotUnique") name.setAttribute("aria-invalid", "true");
      showError(error, errorText(err));
      setDisabled(submit, false);
      submit.textContent = t("createSubmit");
    }
  }

  main.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h1", { tabindex: -1 }, t("createTitle")),
      h("p", { class: "lead" }, t("createIntro")),
      form,
    ),
    hostedCard(),
  );
  return () => {};
}

function hostedCard() {
  const hosted = loadHosted();
  if (!hosted.length) return "";
  return h(
    "section",
    { class: "card", "aria-labelledby": "hosted-title" },
    h("h2", { id: "hosted-title" }, t("hostedTitle")),
    h(
      "ul",
      { class: "hosted" },
      hosted.map((x) => h("li", {}, h("a", { href: `/t/${x.id}/host`, "data-link": true, "data-testid": "hosted-link" }, x.name))),
    ),
  );
}

// ---------------------------------------------------------------- screen: host

function screenHost(id) {
  const joinUrl = `${location.origin}/t/${id}/join`;
  const error = h("p", { class: "error", role: "alert", "data-testid": "error" });
  const title = h("h1", { tabindex: -1 }, t("loading"));
  const copyStatus = h("p", { class: "hint", role: "status", "aria-live": "polite" });
  const copyButton = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "copy-link", onclick: copy }, t("copy"));
  const link = h("a", { class: "join-link", href: joinUrl, "data-testid": "join-link", target: "_blank", rel: "noopener" }, joinUrl);
  const playersTitle = h("h2", {});
  const list = h("ul", { class: "players", "aria-live": "polite", "data-testid": "player-list" });
  const hint = h("p", { class: "hint", id: "draw-hint", role: "status" });
  const drawButton = h(
    "button",
    { type: "button", class: "btn btn-block", "data-testid": "draw-button", disabled: true, "aria-describedby": "draw-hint", onclick: draw },
    t("draw"),
  );
  const resultBox = h("div", { "aria-live": "polite" });
  let drawing = false;

  const session = new TournamentSession(id, {
    onChange: (state) => update(state),
    onError: (err) => showError(error, errorText(err)),
  });

  async function copy() {
    try {
      await navigator.clipboard.writeText(joinUrl);
      copyStatus.textContent = t("copied");
    } catch {
      const range = document.createRange();
      range.selectNodeContents(link);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      copyStatus.textContent = t("copyFailed");
    }
  }

  async function draw() {
    if (drawing) return;
    drawing = true;
    setDisabled(drawButton, true);
    drawButton.textContent = t("drawing");
    showError(error, "");
    try {
      const drawn = await api("GET", `/api/Tournament/draw?tournamentId=${encodeURIComponent(id)}`);
      applyDraw(session.state, Array.isArray(drawn) ? drawn : []);
      announce(t("drawDone"));
    } catch (err) {
      showError(error, errorText(err));
      session.refresh().catch(() => {});
    } finally {
      drawing = false;
      drawButton.textContent = t("draw");
      update(session.state);
    }
  }

  function update(state) {
    if (!state) return;
    title.textContent = state.tournamentName || t("hostTitle");
    document.title = `${state.tournamentName} · Let Choose Teams`;
    const players = state.players;
    playersTitle.textContent = t("playersTitle", { n: players.length, limit: state.playerLimit });
    const rows = players.map((p) =>
      h(
        "li",
        { "data-testid": "player-row" },
        h("span", { class: "player-name" }, fullName(p)),
        h("span", { class: hasPicked(p) ? "player-club done" : "player-club" }, hasPicked(p) ? p.selectedTeam : t("choosing")),
      ),
    );
    for (let i = players.length; i < state.playerLimit; i += 1) {
      rows.push(h("li", { class: "seat-empty" }, h("span", {}, t("emptySeat"))));
    }
    list.replaceChildren(...rows);

    const drawn = isDrawn(state);
    const missingPlayers = state.playerLimit - players.length;
    const missingPicks = players.filter((p) => !hasPicked(p)).length;
    const ready = missingPlayers === 0 && missingPicks === 0 && !drawn;
    setDisabled(drawButton, !ready || drawing);
    if (drawn) hint.textContent = t("drawDone");
    else if (missingPlayers > 0) hint.textContent = t("drawNeedPlayers", { n: missingPlayers });
    else if (missingPicks > 0) hint.textContent = t("drawNeedPicks", { n: missingPicks });
    else hint.textContent = t("drawReady");
    resultBox.replaceChildren(drawn ? h("section", { class: "card" }, drawTable(state, null)) : "");
  }

  main.replaceChildren(
    title,
    error,
    resultBox,
    h(
      "section",
      { class: "card invite", "aria-labelledby": "invite-title" },
      h("img", { class: "qr", src: `/t/${id}/qr.svg`, alt: t("qrAlt"), "data-testid": "join-qr", width: 280, height: 280 }),
      h(
        "div",
        { class: "link-box" },
        h("h2", { id: "invite-title" }, t("hostTitle")),
        h("p", { class: "lead" }, t("hostIntro")),
        h("span", { class: "visually-hidden" }, t("joinLink")),
        link,
        copyButton,
        copyStatus,
      ),
    ),
    h("section", { class: "card" }, playersTitle, list, h("div", { class: "draw-box" }, drawButton, hint)),
  );

  session.refresh().then(
    () => session.start(),
    (err) => {
      if (isNotFound(err)) main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
      else {
        showError(error, errorText(err));
        session.start();
      }
    },
  );
  return () => session.stop();
}

// ---------------------------------------------------------------- screen: join

function screenJoin(id) {
  const error = h("p", { class: "error", role: "alert", "aria-live": "assertive", "data-testid": "error" });
  const title = h("h1", { tabindex: -1 }, t("joinTitleGeneric"));
  const seatsInfo = h("p", { class: "hint" });
  const name = h("input", { type: "text", id: "join-name", "data-testid": "join-name", required: true, maxlength: 50, autocomplete: "given-name" });
  const surname = h("input", { type: "text", id: "join-surname", "data-testid": "join-surname", required: true, maxlength: 50, autocomplete: "family-name" });
  const submit = h("button", { type: "submit", class: "btn btn-block", "data-testid": "join-submit" }, t("joinSubmit"));
  const extra = h("div", {});
  const form = h(
    "form",
    { novalidate: true, onsubmit: onSubmit },
    h("div", { class: "field" }, h("label", { for: "join-name" }, t("firstName")), name),
    h("div", { class: "field" }, h("label", { for: "join-surname" }, t("surname")), surname),
    error,
    extra,
    submit,
  );
  const card = h("section", { class: "card" }, title, h("p", { class: "lead" }, t("joinIntro")), seatsInfo, form);
  main.replaceChildren(card);

  getTournament(id).then(
    (state) => {
      title.textContent = t("joinTitle", { name: state.tournamentName });
      seatsInfo.textContent = t("seatsLeft", { n: state.players.length, limit: state.playerLimit });
      const me = loadIdentity(id);
      const mine = me && state.players.find((p) => samePlayer(p, me));
      if (mine) {
        navigate(`/t/${id}/${hasPicked(mine) || isDrawn(state) ? "wait" : "pick"}`, { replace: true });
        return;
      }
      if (state.players.length >= state.playerLimit) showError(error, t("err_TournamentLimitExceeded"));
    },
    (err) => {
      if (isNotFound(err)) main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
      else showError(error, errorText(err));
    },
  );

  async function onSubmit(event) {
    event.preventDefault();
    showError(error, "");
    extra.replaceChildren();
    const player = { name: name.value.trim(), surname: surname.value.trim() };
    name.removeAttribute("aria-invalid");
    surname.removeAttribute("aria-invalid");
    if (!player.name || !player.surname) {
      if (!player.name) name.setAttribute("aria-invalid", "true");
      if (!player.surname) surname.setAttribute("aria-invalid", "true");
      showError(error, t("err_playerRequired"));
      (player.name ? surname : name).focus();
      return;
    }
    setDisabled(submit, true);
    submit.textContent = t("joining");
    try {
      await api("POST", "/api/Tournament/assignPlayer", { ...player, tournamentId: id });
      saveIdentity(id, player);
      navigate(`/t/${id}/pick`);
      return;
    } catch (err) {
      if (isNotFound(err)) {
        main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
        return;
      }
      showError(error, errorText(err));
      if (err instanceof ApiError && err.code === "PlayerAlreadyAssigned") {
        // There is no login: the same person on a new phone may continue under their name.
        extra.replaceChildren(
          h(
            "p",
            {},
            h(
              "button",
              {
                type: "button",
                class: "btn btn-secondary btn-block",
                "data-testid": "join-its-me",
                onclick: () => {
                  saveIdentity(id, player);
                  navigate(`/t/${id}/pick`);
                },
              },
              t("itsMe", { player: fullName(player) }),
            ),
          ),
        );
      }
    }
    setDisabled(submit, false);
    submit.textContent = t("joinSubmit");
  }
  return () => {};
}

// ---------------------------------------------------------------- screen: pick

function screenPick(id) {
  const me = loadIdentity(id);
  if (!me) {
    navigate(`/t/${id}/join`, { replace: true });
    return () => {};
  }
  const error = h("p", { class: "error", role: "alert", "aria-live": "assertive", "data-testid": "error" });
  const grid = h("div", { class: "clubs", role: "group", "aria-labelledby": "pick-title" });
  const confirm = h("button", { type: "button", class: "btn btn-block", "data-testid": "club-confirm", disabled: true, onclick: onConfirm }, t("confirmNone"));
  let teams = null; // [{name, selected}] in catalogue order
  let tiles = [];
  let choice = null;
  let confirming = false;
  let leaving = false;

  const session = new TournamentSession(id, {
    onChange: (state, message) => onChange(state, message),
    onClicked: () => renderTiles(),
    onConnected: () => {
      loadTeams();
      if (choice) sendClick(choice);
    },
    onError: (err) => showError(error, errorText(err)),
  });

  function leave(path) {
    if (leaving) return;
    leaving = true;
    navigate(path, { replace: true });
  }

  function onChange(state, message) {
    const mine = state.players.find((p) => samePlayer(p, me));
    if (!mine) {
      if (message.type === "Refresh") {
        forgetIdentity(id);
        leave(`/t/${id}/join`);
      }
      return;
    }
    if (hasPicked(mine) || isDrawn(state)) {
      leave(`/t/${id}/wait`);
      return;
    }
    if (message.type === "TeamSelected" && choice === message.team && !confirming) {
      choice = null;
      showError(error, t("lostChoice", { player: `${message.playerName} ${message.playerSurname}`, team: message.team }));
    }
    renderTiles();
  }

  async function loadTeams() {
    try {
      const fresh = await getTeams(id);
      if (!Array.isArray(fresh)) return;
      teams = fresh;
      if (tiles.length !== teams.length) buildTiles();
      renderTiles();
    } catch (err) {
      if (isNotFound(err)) main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
      else showError(error, errorText(err));
    }
  }

  function buildTiles() {
    tiles = teams.map((team, index) => {
      const status = h("span", { class: "club-status" });
      const looking = h("span", { class: "club-looking" });
      const button = h(
        "button",
        { type: "button", class: "club", "data-testid": `club-${index}`, "data-team": team.name, "aria-pressed": "false", onclick: () => onTile(index) },
        h("span", { class: "club-name" }, team.name),
        status,
        looking,
      );
      return { button, status, looking };
    });
    grid.replaceChildren(...tiles.map((tile) => tile.button));
  }

  function takenBy(teamName) {
    return session.state?.players.find((p) => p.selectedTeam === teamName) || null;
  }

  function renderTiles() {
    if (!teams) return;
    const players = session.state?.players || [];
    const stillLooking = (entry) => {
      if (samePlayer(entry, me)) return false;
      const player = players.find((p) => samePlayer(p, entry));
      return !player || !hasPicked(player);
    };
    teams.forEach((team, index) => {
      const { button, status, looking } = tiles[index];
      const owner = takenBy(team.name);
      const taken = team.selected || Boolean(owner);
      if (taken && choice === team.name && !confirming) choice = null;
      const lookers = session.clicked.filter((c) => c.team === team.name && stillLooking(c)).map(fullName);
      setDisabled(button, taken || confirming);
      button.setAttribute("aria-pressed", String(choice === team.name));
      button.setAttribute("data-clicked-by", lookers.join(", "));
      button.classList.toggle("looked-at", lookers.length > 0 && !taken);
      button.classList.toggle("taken", taken);
      if (taken) status.textContent = owner ? t("takenBy", { player: fullName(owner) }) : t("taken");
      else if (choice === team.name) status.textContent = t("yourChoice");
      else status.textContent = "";
      looking.textContent = lookers.length && !taken ? t("lookingAt", { players: lookers.join(", ") }) : "";
    });
    if (confirming) {
      confirm.textContent = t("confirming");
      setDisabled(confirm, true);
    } else {
      confirm.textContent = choice ? t("confirm", { team: choice }) : t("confirmNone");
      setDisabled(confirm, !choice);
    }
  }

  function sendClick(team) {
    session.hub.send("TeamClicked", { groupKey: id, team, name: me.name, surname: me.surname });
  }

  function onTile(index) {
    const team = teams?.[index];
    if (!team || confirming || tiles[index].button.disabled) return;
    choice = team.name;
    showError(error, "");
    sendClick(team.name);
    announce(t("chosenAnnounce", { team: team.name }));
    renderTiles();
  }

  async function onConfirm() {
    if (!choice || confirming) return;
    confirming = true;
    showError(error, "");
    renderTiles();
    try {
      await api("POST", "/api/Team/select", { playerName: me.name, playerSurname: me.surname, tournamentId: id, team: choice });
      leave(`/t/${id}/wait`);
      return;
    } catch (err) {
      confirming = false;
      if (err instanceof ApiError && err.code === "PlayerSelectedTeamBefore") {
        leave(`/t/${id}/wait`);
        return;
      }
      if (err instanceof ApiError && err.code === "PlayerNotInTournament") {
        forgetIdentity(id);
      }
      if (err instanceof ApiError && err.code === "TeamAlreadySelected") choice = null;
      showError(error, errorText(err));
      await Promise.allSettled([loadTeams(), session.refresh()]);
      renderTiles();
    }
  }

  main.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h1", { id: "pick-title", tabindex: -1 }, t("pickTitle")),
      h("p", { class: "whoami", "data-testid": "whoami" }, t("playingAs", { player: fullName(me) })),
      h("p", { class: "lead" }, t("pickIntro")),
    ),
    error,
    grid,
    h("div", { class: "sticky-actions" }, confirm),
  );
  grid.append(h("p", { class: "loading" }, t("loading")));

  session.refresh().then(
    () => {
      if (leaving) return;
      loadTeams();
      session.start();
    },
    (err) => {
      if (isNotFound(err)) main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
      else {
        showError(error, errorText(err));
        loadTeams();
        session.start();
      }
    },
  );
  return () => session.stop();
}

// ---------------------------------------------------------------- screen: wait

function screenWait(id) {
  const me = loadIdentity(id);
  const error = h("p", { class: "error", role: "alert", "data-testid": "error" });
  const title = h("h1", { tabindex: -1 }, t("waitTitle"));
  const lead = h("p", { class: "lead", "aria-live": "polite" });
  const yourClub = h("div", { "aria-live": "assertive" });
  const result = h("div", {});
  const whoTitle = h("h2", {}, t("whoPicked"));
  const list = h("ul", { class: "players", "aria-live": "polite" });
  let leaving = false;

  const session = new TournamentSession(id, {
    onChange: (state, message) => update(state, message),
    onError: (err) => showError(error, errorText(err)),
  });

  function update(state, message) {
    const mine = me ? state.players.find((p) => samePlayer(p, me)) : null;
    const drawn = isDrawn(state);
    if (mine && !hasPicked(mine) && !drawn && message.type === "Refresh" && !leaving) {
      leaving = true;
      navigate(`/t/${id}/pick`, { replace: true });
      return;
    }
    if (drawn) {
      title.textContent = t("drawnTitle");
      lead.textContent = mine ? "" : t("notPlaying");
      yourClub.replaceChildren(mine?.drawnTeam ? h("p", { class: "highlight", "data-testid": "my-club" }, t("yourClub", { team: mine.drawnTeam })) : "");
      result.replaceChildren(h("section", { class: "card" }, drawTable(state, me)));
      if (message.type === "TeamsDrawn") announce(mine?.drawnTeam ? t("yourClub", { team: mine.drawnTeam }) : t("drawnTitle"));
    } else {
      title.textContent = t("waitTitle");
      lead.textContent = mine ? t("waitYouPicked", { team: mine.selectedTeam }) : t("waitSpectator");
    }
    const rows = state.players.map((p) =>
      h(
        "li",
        { "data-testid": "wait-row", class: samePlayer(p, me) ? "mine" : null },
        h("span", { class: "player-name" }, fullName(p), samePlayer(p, me) ? h("span", { class: "tag" }, t("you")) : null),
        h("span", { class: hasPicked(p) ? "player-club done" : "player-club" }, hasPicked(p) ? `✓ ${p.selectedTeam}` : t("choosing")),
      ),
    );
    for (let i = state.players.length; i < state.playerLimit; i += 1) {
      rows.push(h("li", { class: "seat-empty" }, h("span", {}, t("emptySeat"))));
    }
    list.replaceChildren(...rows);
    whoTitle.textContent = `${t("whoPicked")} (${state.players.filter(hasPicked).length}/${state.playerLimit})`;
  }

  main.replaceChildren(
    h(
      "div",
      { "data-testid": "waiting" },
      h("section", { class: "card" }, title, me ? h("p", { class: "whoami" }, t("playingAs", { player: fullName(me) })) : null, lead),
      error,
      yourClub,
      result,
      h("section", { class: "card" }, whoTitle, list),
    ),
  );

  session.refresh().then(
    () => {
      if (!leaving) session.start();
    },
    (err) => {
      if (isNotFound(err)) main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
      else {
        showError(error, errorText(err));
        session.start();
      }
    },
  );
  return () => session.stop();
}

// ---------------------------------------------------------------- router

function screenMessage(text) {
  main.replaceChildren(notFoundCard(text));
  return () => {};
}

function resolve(pathname) {
  if (pathname === "/" || pathname === "/index.html") return { screen: "create" };
  let match = pathname.match(/^\/player\/register\/([^/]+)\/?$/);
  if (match) return { redirect: `/t/${match[1]}/join` };
  match = pathname.match(/^\/t\/([^/]+)\/(host|join|pick|wait)\/?$/);
  if (!match) return { screen: "missing" };
  let id;
  try {
    id = decodeURIComponent(match[1]).toLowerCase();
  } catch {
    return { screen: "badLink" };
  }
  if (!UUID_RE.test(id)) return { screen: "badLink" };
  return { screen: match[2], id };
}

const SCREENS = {
  create: () => screenCreate(),
  host: (id) => screenHost(id),
  join: (id) => screenJoin(id),
  pick: (id) => screenPick(id),
  wait: (id) => screenWait(id),
  badLink: () => screenMessage(t("err_badLink")),
  missing: () => screenMessage(t("notFoundPage")),
};

function render() {
  const target = resolve(location.pathname);
  if (target.redirect) {
    history.replaceState(null, "", target.redirect);
    render();
    return;
  }
  unmount();
  setBanner("stopped");
  document.title = "Let Choose Teams";
  unmount = SCREENS[target.screen](target.id) || (() => {});
  if (!firstRender) main.querySelector("h1")?.focus({ preventScroll: false });
  firstRender = false;
}

function renderLanguage() {
  const lang = getLang();
  document.documentElement.lang = lang;
  langButton.textContent = t("switchLanguage");
  langButton.setAttribute("aria-label", t("switchLanguageLabel"));
  langButton.setAttribute("lang", otherLang());
  document.querySelector(".skip-link").textContent = lang === "pl" ? "Przejdź do treści" : "Skip to content";
}

langButton.addEventListener("click", () => {
  // Keep what was typed while the screen is rebuilt in the other language.
  const typed = [...main.querySelectorAll("input[id]")].map((input) => [input.id, input.value]);
  setLang(otherLang());
  renderLanguage();
  render();
  for (const [inputId, value] of typed) {
    const input = document.getElementById(inputId);
    if (input) input.value = value;
  }
  langButton.focus();
});

renderLanguage();
render();
