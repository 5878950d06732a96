// Screen "/": create a tournament; below it, the tournaments this device hosts.
import { api, errorText, hasCode } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { url } from "../lib/paths.js";
import { loadHosted, rememberHosted } from "../lib/session.js";
import { errorLine, h, setBusy, showError } from "../lib/ui.js";

const MIN_SEATS = 2;
const MAX_SEATS = 10;
const DEFAULT_SEATS = 4;

function nameInput() {
  return h("input", {
    type: "text",
    id: "create-name",
    name: "name",
    "data-testid": "create-name",
    required: true,
    maxlength: 50,
    autocomplete: "off",
    placeholder: t("tournamentNamePlaceholder"),
  });
}

function seatsInput() {
  return h("input", {
    type: "number",
    id: "create-seats",
    name: "seats",
    "data-testid": "create-seats",
    min: MIN_SEATS,
    max: MAX_SEATS,
    step: 1,
    value: DEFAULT_SEATS,
    inputmode: "numeric",
    required: true,
    "aria-describedby": "seats-hint",
  });
}

function stepButton(label, text, onclick) {
  return h("button", { type: "button", class: "btn btn-secondary btn-square", "aria-label": label, onclick }, text);
}

/** The number of seats with − and + buttons around it. */
function seatsField(seats) {
  const step = (delta) => {
    const value = Number.parseInt(seats.value, 10) || DEFAULT_SEATS;
    seats.value = String(Math.min(MAX_SEATS, Math.max(MIN_SEATS, value + delta)));
  };
  return h(
    "div",
    { class: "field" },
    h("label", { for: "create-seats" }, t("seats")),
    h(
      "div",
      { class: "stepper" },
      stepButton(t("fewerSeats"), "−", () => step(-1)),
      seats,
      stepButton(t("moreSeats"), "+", () => step(1)),
    ),
    h("p", { class: "hint", id: "seats-hint" }, t("seatsHint")),
  );
}

function invalid(form, input, text) {
  input.setAttribute("aria-invalid", "true");
  showError(form.error, text);
  input.focus();
  return null;
}

/** The request body, or null after marking what is wrong. */
function readForm(form) {
  showError(form.error, "");
  form.name.removeAttribute("aria-invalid");
  form.seats.removeAttribute("aria-invalid");
  const name = form.name.value.trim();
  const playerLimit = Number(form.seats.value);
  if (!name) return invalid(form, form.name, t("err_nameRequired"));
  if (!Number.isInteger(playerLimit) || playerLimit < MIN_SEATS || playerLimit > MAX_SEATS) {
    return invalid(form, form.seats, t("err_seatsRange"));
  }
  return { name, playerLimit };
}

async function submit(form, navigate) {
  const body = readForm(form);
  if (!body) return;
  setBusy(form.submit, true, t("createSubmit"), t("creating"));
  try {
    const id = await api("POST", "/api/Tournament/create", body);
    const tournamentId = String(id).toLowerCase();
    rememberHosted(tournamentId, body.name);
    navigate(`/t/${tournamentId}/host`);
  } catch (err) {
    if (hasCode(err, "TournamentNameNotUnique")) form.name.setAttribute("aria-invalid", "true");
    showError(form.error, errorText(err));
    setBusy(form.submit, false, t("createSubmit"), t("creating"));
  }
}

function createForm(navigate) {
  const form = {
    error: errorLine({ assertive: true, id: "create-error" }),
    name: nameInput(),
    seats: seatsInput(),
    submit: h("button", { type: "submit", class: "btn btn-block", "data-testid": "create-submit" }, t("createSubmit")),
  };
  const onsubmit = (event) => {
    event.preventDefault();
    submit(form, navigate);
  };
  return h(
    "form",
    { novalidate: true, onsubmit },
    h("div", { class: "field" }, h("label", { for: "create-name" }, t("tournamentName")), form.name),
    seatsField(form.seats),
    form.error,
    form.submit,
  );
}

function hostedLink(hosted) {
  return h("li", {}, h("a", { href: url(`/t/${hosted.id}/host`), "data-link": true, "data-testid": "hosted-link" }, hosted.name));
}

function hostedCard() {
  const hosted = loadHosted();
  if (!hosted.length) return "";
  return h(
    "section",
    { class: "card", "aria-labelledby": "hosted-title" },
    h("h2", { id: "hosted-title" }, t("hostedTitle")),
    h("ul", { class: "hosted" }, hosted.map(hostedLink)),
  );
}

export function renderCreate({ main, navigate }) {
  main.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h1", { tabindex: -1 }, t("createTitle")),
      h("p", { class: "lead" }, t("createIntro")),
      createForm(navigate),
    ),
    hostedCard(),
  );
  return () => {};
}
