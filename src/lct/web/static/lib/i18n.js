// English (default) and Polish texts. The choice is kept in localStorage under "lct.lang".

const STORAGE_KEY = "lct.lang";

const TEXTS = {
  en: {
    appName: "Let Choose Teams",
    tagline: "A football tournament in a minute",
    switchLanguage: "Polski",
    switchLanguageLabel: "Zmień język na polski",
    reconnecting: "Connection lost. Reconnecting…",
    connecting: "Connecting…",
    loading: "Loading…",
    // create
    createTitle: "Start a tournament",
    createIntro: "Name it, choose the number of players, then let everyone scan the QR code.",
    tournamentName: "Tournament name",
    tournamentNamePlaceholder: "Friday FIFA",
    seats: "Number of players",
    seatsHint: "From 2 to 10 — there are 10 clubs.",
    fewerSeats: "One player fewer",
    moreSeats: "One player more",
    createSubmit: "Create tournament",
    creating: "Creating…",
    hostedTitle: "Your tournaments on this device",
    // host
    hostTitle: "Invite players",
    hostIntro: "Scan the QR code with a phone on the same network, or share the link.",
    qrAlt: "QR code with the join link",
    joinLink: "Join link",
    copy: "Copy link",
    copied: "Link copied",
    copyFailed: "Could not copy — select the link and copy it by hand.",
    playersTitle: "Players {n} of {limit}",
    emptySeat: "Free seat",
    choosing: "choosing a club…",
    picked: "Club: {team}",
    draw: "Draw the clubs",
    drawing: "Drawing…",
    drawNeedPlayers: "Waiting for {n} more player(s) to join.",
    drawNeedPicks: "Waiting for {n} player(s) to pick a club.",
    drawReady: "Everyone has picked. Draw when you are ready!",
    drawDone: "The clubs have been drawn.",
    drawResultTitle: "Draw result",
    colPlayer: "Player",
    colClub: "Club",
    colPicked: "Picked",
    you: "you",
    // join
    joinTitle: "Join “{name}”",
    joinTitleGeneric: "Join the tournament",
    joinIntro: "Enter your name. The others will see it on the host's screen.",
    firstName: "First name",
    surname: "Surname",
    joinSubmit: "Join",
    joining: "Joining…",
    itsMe: "That's me — continue as {player}",
    seatsLeft: "{n} of {limit} seats taken",
    // pick
    pickTitle: "Pick your club",
    pickIntro: "Tap a club, then confirm. Others can see what you are looking at.",
    playingAs: "Playing as {player}",
    takenBy: "Taken by {player}",
    taken: "Taken",
    lookingAt: "Looking: {players}",
    yourChoice: "Your choice",
    confirm: "Confirm {team}",
    confirmNone: "Choose a club first",
    confirming: "Saving…",
    chosenAnnounce: "You chose {team}. Confirm to keep it.",
    lostChoice: "{player} has just taken {team}. Please pick another club.",
    // wait
    waitTitle: "Waiting for the draw",
    waitYouPicked: "You picked {team}. Waiting for the others and for the host to draw.",
    waitSpectator: "Waiting for the host to draw.",
    whoPicked: "Who has picked",
    drawnTitle: "The draw is in!",
    yourClub: "You play as {team}",
    notPlaying: "You are not in this tournament.",
    newTournament: "Start a new tournament",
    // errors
    err_TournamentNameNotUnique: "A tournament with this name already exists. Choose another name.",
    err_FieldCannotBeEmpty: "Please fill in every field.",
    err_InvalidField: "Some of the entered values are not valid.",
    err_InvalidInput: "Some of the entered values are not valid.",
    err_InvalidRequest: "Some of the entered values are not valid.",
    err_ValueOutOfRange: "The number of players must be between 2 and 10.",
    err_InvalidTeamName: "That club is not on the list.",
    err_TournamentNotFound: "We could not find this tournament. Check the link or ask the host for a new one.",
    err_PlayerAlreadyAssigned: "Someone with this name has already joined. If it's not you, add an initial to your surname.",
    err_TournamentLimitExceeded: "Sorry, this tournament is full — every seat is taken.",
    err_PlayerNotInTournament: "You are not registered in this tournament. Please join first.",
    err_PlayerSelectedTeamBefore: "You have already picked a club.",
    err_TeamAlreadySelected: "Someone has just taken this club. Please pick another one.",
    err_NotAllPlayersRegistered: "Not every seat is taken yet.",
    err_NotAllPlayersSelectedTeam: "Not everyone has picked a club yet.",
    err_network: "Cannot reach the server. Check your connection and try again.",
    err_unknown: "Something went wrong. Please try again.",
    err_nameRequired: "Enter a tournament name.",
    err_seatsRange: "The number of players must be between 2 and 10.",
    err_playerRequired: "Enter your first name and surname.",
    err_badLink: "This link is broken: it does not contain a valid tournament id.",
    notFoundPage: "There is no such page.",
  },
  pl: {
    appName: "Let Choose Teams",
    tagline: "Turniej w minutę",
    switchLanguage: "English",
    switchLanguageLabel: "Switch language to English",
    reconnecting: "Utracono połączenie. Łączę ponownie…",
    connecting: "Łączenie…",
    loading: "Wczytywanie…",
    createTitle: "Stwórz turniej",
    createIntro: "Nazwij go, wybierz liczbę graczy i pozwól wszystkim zeskanować kod QR.",
    tournamentName: "Nazwa turnieju",
    tournamentNamePlaceholder: "Piątkowa FIFA",
    seats: "Liczba graczy",
    seatsHint: "Od 2 do 10 — mamy 10 drużyn.",
    fewerSeats: "O jednego gracza mniej",
    moreSeats: "O jednego gracza więcej",
    createSubmit: "Stwórz turniej",
    creating: "Tworzenie…",
    hostedTitle: "Twoje turnieje na tym urządzeniu",
    hostTitle: "Zaproś graczy",
    hostIntro: "Zeskanuj kod QR telefonem w tej samej sieci albo udostępnij link.",
    qrAlt: "Kod QR z linkiem do dołączenia",
    joinLink: "Link do dołączenia",
    copy: "Kopiuj link",
    copied: "Skopiowano link",
    copyFailed: "Nie udało się skopiować — zaznacz link i skopiuj go ręcznie.",
    playersTitle: "Gracze {n} z {limit}",
    emptySeat: "Wolne miejsce",
    choosing: "wybiera drużynę…",
    picked: "Drużyna: {team}",
    draw: "Losuj drużyny",
    drawing: "Losowanie…",
    drawNeedPlayers: "Czekamy na dołączenie graczy: {n}.",
    drawNeedPicks: "Czekamy, aż drużynę wybiorą gracze: {n}.",
    drawReady: "Wszyscy wybrali. Losuj, kiedy chcesz!",
    drawDone: "Drużyny zostały wylosowane.",
    drawResultTitle: "Wynik losowania",
    colPlayer: "Gracz",
    colClub: "Drużyna",
    colPicked: "Wybrana",
    you: "ty",
    joinTitle: "Dołącz do „{name}”",
    joinTitleGeneric: "Dołącz do turnieju",
    joinIntro: "Podaj imię i nazwisko. Pozostali zobaczą je na ekranie gospodarza.",
    firstName: "Imię",
    surname: "Nazwisko",
    joinSubmit: "Dołącz",
    joining: "Dołączanie…",
    itsMe: "To ja — kontynuuj jako {player}",
    seatsLeft: "Zajęte miejsca: {n} z {limit}",
    pickTitle: "Wybierz drużynę",
    pickIntro: "Dotknij drużyny i potwierdź. Inni widzą, na co patrzysz.",
    playingAs: "Grasz jako {player}",
    takenBy: "Wybrana przez: {player}",
    taken: "Zajęta",
    lookingAt: "Patrzy: {players}",
    yourChoice: "Twój wybór",
    confirm: "Potwierdź: {team}",
    confirmNone: "Najpierw wybierz drużynę",
    confirming: "Zapisywanie…",
    chosenAnnounce: "Wybrano {team}. Potwierdź, aby zachować wybór.",
    lostChoice: "{player} właśnie wybrał(a) {team}. Wybierz inną drużynę.",
    waitTitle: "Oczekuj na losowanie",
    waitYouPicked: "Wybrano {team}. Czekamy na pozostałych i na losowanie.",
    waitSpectator: "Czekamy, aż gospodarz rozlosuje drużyny.",
    whoPicked: "Kto już wybrał",
    drawnTitle: "Losowanie zakończone!",
    yourClub: "Grasz drużyną {team}",
    notPlaying: "Nie bierzesz udziału w tym turnieju.",
    newTournament: "Stwórz nowy turniej",
    err_TournamentNameNotUnique: "Turniej o tej nazwie już istnieje. Wybierz inną nazwę.",
    err_FieldCannotBeEmpty: "Wypełnij wszystkie pola.",
    err_InvalidField: "Niektóre wartości są niepoprawne.",
    err_InvalidInput: "Niektóre wartości są niepoprawne.",
    err_InvalidRequest: "Niektóre wartości są niepoprawne.",
    err_ValueOutOfRange: "Liczba graczy musi wynosić od 2 do 10.",
    err_InvalidTeamName: "Tej drużyny nie ma na liście.",
    err_TournamentNotFound: "Nie znaleźliśmy tego turnieju. Sprawdź link albo poproś gospodarza o nowy.",
    err_PlayerAlreadyAssigned: "Ktoś o tym imieniu i nazwisku już dołączył. Jeśli to nie ty, dodaj inicjał do nazwiska.",
    err_TournamentLimitExceeded: "Niestety, turniej jest pełny — wszystkie miejsca są zajęte.",
    err_PlayerNotInTournament: "Nie jesteś zapisany(-a) do tego turnieju. Najpierw dołącz.",
    err_PlayerSelectedTeamBefore: "Drużyna została już przez ciebie wybrana.",
    err_TeamAlreadySelected: "Ktoś właśnie wybrał tę drużynę. Wybierz inną.",
    err_NotAllPlayersRegistered: "Nie wszystkie miejsca są jeszcze zajęte.",
    err_NotAllPlayersSelectedTeam: "Nie wszyscy wybrali jeszcze drużynę.",
    err_network: "Brak połączenia z serwerem. Sprawdź sieć i spróbuj ponownie.",
    err_unknown: "Coś poszło nie tak. Spróbuj ponownie.",
    err_nameRequired: "Podaj nazwę turnieju.",
    err_seatsRange: "Liczba graczy musi wynosić od 2 do 10.",
    err_playerRequired: "Podaj imię i nazwisko.",
    err_badLink: "Ten link jest uszkodzony: nie zawiera poprawnego identyfikatora turnieju.",
    notFoundPage: "Nie ma takiej strony.",
  },
};

export function getLang() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && stored in TEXTS) return stored;
  } catch {
    /* storage blocked */
  }
  return "en";
}

export function setLang(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage blocked */
  }
  document.documentElement.lang = lang;
}

export function otherLang() {
  return getLang() === "en" ? "pl" : "en";
}

export function t(key, params = {}) {
  const lang = getLang();
  const text = TEXTS[lang][key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export function hasText(key) {
  return key in TEXTS.en;
}

/** Let a module bring its own texts: `addTexts({en: {...}, pl: {...}})` (keys must not clash). */
export function addTexts(texts) {
  for (const [lang, entries] of Object.entries(texts)) {
    if (lang in TEXTS) Object.assign(TEXTS[lang], entries);
  }
}
