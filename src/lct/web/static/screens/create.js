// Screen "/": create a tournament (clubs, how they are shared out, seats); join one with a room code; the
// tournaments this device hosts.
import { hasCode, v2 } from "../lib/api.js";
import { addTexts, t } from "../lib/i18n.js";
import { rememberHosted, loadHosted, saveHostToken } from "../lib/session.js";
import { appLink, button, errorLine, h, setBusy, showApiError, showError } from "../lib/ui.js";
import { joinCodeCard } from "./shared.js";

addTexts({
  en: {
    createTitle: "Start a tournament",
    createIntro: "Name it, choose the clubs and the number of players, then let everyone scan the QR code.",
    tournamentName: "Tournament name",
    tournamentNamePlaceholder: "Friday FIFA",
    catalogue: "Clubs",
    "catalogue_european-clubs": "European clubs ({n})",
    "catalogue_national-teams": "National teams ({n})",
    catalogue_original: "The original 10 clubs",
    modeLegend: "How are the clubs shared out?",
    mode_pool: "Pick, then draw",
    mode_pool_hint: "Everyone picks a club; the picked clubs are shared out at random.",
    mode_random: "All random",
    mode_random_hint: "Nobody picks: the clubs are dealt at random from the whole list.",
    mode_keep: "Keep your pick",
    mode_keep_hint: "Everyone picks a club and plays with it.",
    seats: "Number of players",
    seatsHint: "From 2 to {max} — one club each.",
    fewerSeats: "One player fewer",
    moreSeats: "One player more",
    createSubmit: "Create tournament",
    creating: "Creating…",
    hostedTitle: "Your tournaments on this device",
  },
  pl: {
    createTitle: "Stwórz turniej",
    createIntro: "Nazwij go, wybierz drużyny i liczbę graczy, a potem pozwól wszystkim zeskanować kod QR.",
    tournamentName: "Nazwa turnieju",
    tournamentNamePlaceholder: "Piątkowa FIFA",
    catalogue: "Drużyny",
    "catalogue_european-clubs": "Kluby europejskie ({n})",
    "catalogue_national-teams": "Reprezentacje narodowe ({n})",
    catalogue_original: "Oryginalne 10 klubów",
    modeLegend: "Jak rozdzielamy drużyny?",
    mode_pool: "Wybór, potem losowanie",
    mode_pool_hint: "Każdy wybiera drużynę; wybrane drużyny są rozlosowywane między graczy.",
    mode_random: "Pełne losowanie",
    mode_random_hint: "Nikt nie wybiera: drużyny są losowane z całej listy.",
    mode_keep: "Każdy gra swoją",
    mode_keep_hint: "Każdy wybiera drużynę i nią gra.",
    seats: "Liczba graczy",
    seatsHint: "Od 2 do {max} — po jednej drużynie na gracza.",
    fewerSeats: "O jednego gracza mniej",
    moreSeats: "O jednego gracza więcej",
    createSubmit: "Stwórz turniej",
    creating: "Tworzenie…",
    hostedTitle: "Twoje turnieje na tym urządzeniu",
  },
});

const MIN_SEATS = 2;
const MAX_SEATS = 64;
const DEFAULT_SEATS = 4;
const DEFAULT_CATALOGUE = "european-clubs";
const CATALOGUES = ["european-clubs", "national-teams", "original"];
const MODES = ["pool", "random", "keep"];
// Sizes of the built-in lists until GET /api/v2/catalogues answers (it is the authority).
const sizes = { "european-clubs": 58, "national-teams": 49, original: 10 };

const maxSeats = (form) => Math.min(MAX_SEATS, sizes[form.catalogue.value] || MAX_SEATS);

function field(id, label, input, hint = null) {
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint);
}

function catalogueSelect() {
  const options = CATALOGUES.map((key) => h("option", { value: key }, t(`catalogue_${key}`, { n: sizes[key] })));
  const select = h("select", { id: "create-catalogue", name: "catalogue", "data-testid": "create-catalogue" }, options);
  select.value = DEFAULT_CATALOGUE;
  return select;
}

function modeChoice(mode) {
  const id = `create-mode-${mode}`;
  return h(
    "label",
    { class: "choice", for: id },
    h("input", { type: "radio", name: "drawMode", id, value: mode, "data-testid": id, checked: mode === "pool" }),
    h("span", { class: "choice-text" }, h("strong", {}, t(`mode_${mode}`)), h("span", { class: "hint" }, t(`mode_${mode}_hint`))),
  );
}

function modeField() {
  return h("fieldset", { class: "field choices" }, h("legend", {}, t("modeLegend")), MODES.map(modeChoice));
}

function stepButton(label, text, onclick, testid) {
  return button(text, { cls: "btn btn-secondary btn-square", "aria-label": label, onclick, testid });
}

/** The number of seats with − and + buttons around it; its maximum follows the chosen list. */
function seatsField(form) {
  const step = (delta) => {
    const value = Number.parseInt(form.seats.value, 10) || DEFAULT_SEATS;
    form.seats.value = String(Math.min(maxSeats(form), Math.max(MIN_SEATS, value + delta)));
  };
  return h(
    "div",
    { class: "field" },
    h("label", { for: "create-seats" }, t("seats")),
    h(
      "div",
      { class: "stepper" },
      stepButton(t("fewerSeats"), "−", () => step(-1), "create-seats-minus"),
      form.seats,
      stepButton(t("moreSeats"), "+", () => step(1), "create-seats-plus"),
    ),
    form.seatsHint,
  );
}

function updateLimits(form) {
  const max = maxSeats(form);
  form.seats.max = String(max);
  form.seatsHint.textContent = t("seatsHint", { max });
  if (Number(form.seats.value) > max) form.seats.value = String(max);
  [...form.catalogue.options].forEach((option) => {
    option.textContent = t(`catalogue_${option.value}`, { n: sizes[option.value] });
  });
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
  const seats = Number(form.seats.value);
  const max = maxSeats(form);
  if (!name) return invalid(form, form.name, t("err_nameRequired"));
  if (!Number.isInteger(seats) || seats < MIN_SEATS || seats > max) {
    return invalid(form, form.seats, t("err_seatsRange", { max }));
  }
  const drawMode = form.element.querySelector("input[name=drawMode]:checked")?.value || "pool";
  return { name, seats, catalogue: form.catalogue.value, drawMode };
}

async function submit(form, navigate) {
  const body = readForm(form);
  if (!body) return;
  setBusy(form.submit, true, t("createSubmit"), t("creating"));
  try {
    const created = await v2.create(body);
    const id = String(created.tournament.id).toLowerCase();
    saveHostToken(id, created.hostToken);
    rememberHosted(id, created.tournament.name);
    navigate(`/t/${id}/host`);
  } catch (err) {
    if (hasCode(err, "TournamentNameNotUnique")) form.name.setAttribute("aria-invalid", "true");
    showApiError(form.error, err);
    setBusy(form.submit, false, t("createSubmit"), t("creating"));
  }
}

function formParts() {
  return {
    error: errorLine({ assertive: true, id: "create-error" }),
    name: h("input", {
      type: "text",
      id: "create-name",
      name: "name",
      "data-testid": "create-name",
      required: true,
      maxlength: 100,
      autocomplete: "off",
      placeholder: t("tournamentNamePlaceholder"),
    }),
    catalogue: catalogueSelect(),
    seats: h("input", {
      type: "number",
      id: "create-seats",
      name: "seats",
      "data-testid": "create-seats",
      min: MIN_SEATS,
      step: 1,
      value: DEFAULT_SEATS,
      inputmode: "numeric",
      required: true,
      "aria-describedby": "seats-hint",
    }),
    seatsHint: h("p", { class: "hint", id: "seats-hint" }),
    submit: h("button", { type: "submit", class: "btn btn-block", "data-testid": "create-submit" }, t("createSubmit")),
  };
}

function createForm(navigate) {
  const form = formParts();
  const onsubmit = (event) => {
    event.preventDefault();
    submit(form, navigate);
  };
  form.catalogue.addEventListener("change", () => updateLimits(form));
  form.element = h(
    "form",
    { novalidate: true, onsubmit },
    field("create-name", t("tournamentName"), form.name),
    field("create-catalogue", t("catalogue"), form.catalogue),
    modeField(),
    seatsField(form),
    form.error,
    form.submit,
  );
  updateLimits(form);
  v2.catalogues().then(
    (list) => {
      for (const item of Array.isArray(list) ? list : []) if (item?.key in sizes) sizes[item.key] = item.teams.length;
      updateLimits(form);
    },
    () => {}, // the built-in sizes stand; the server checks the number anyway
  );
  return form.element;
}

function hostedCard() {
  const hosted = loadHosted();
  if (!hosted.length) return "";
  const link = (x) => appLink(`/t/${x.id}/host`, x.name, { "data-testid": "hosted-link", class: "wrap", title: x.name });
  const item = (x) => h("li", {}, link(x));
  return h(
    "section",
    { class: "card", "aria-labelledby": "hosted-title" },
    h("h2", { id: "hosted-title" }, t("hostedTitle")),
    h("ul", { class: "hosted" }, hosted.map(item)),
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
    joinCodeCard(navigate),
    hostedCard(),
  );
  return () => {};
}
