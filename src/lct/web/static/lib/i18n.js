// English and Polish texts. The first visit follows the browser (Polish when navigator.languages prefers it);
// the language switch overrides that and is kept in localStorage under "lct.lang". Screens add their own texts
// with addTexts(); this file holds what several screens share and every error text.

const STORAGE_KEY = "lct.lang";

const TEXTS = {
  en: {
    switchLanguage: "Polski",
    switchLanguageLabel: "Zmień język na polski",
    skipToContent: "Skip to content",
    reconnecting: "Connection lost. Reconnecting…",
    loading: "Loading…",
    you: "you",
    cancel: "Cancel",
    newTournament: "Start a new tournament",
    copy: "Copy link",
    copied: "Link copied",
    copyFailed: "Could not copy — select the link and copy it by hand.",
    emptySeat: "Free seat",
    choosing: "choosing a club…",
    waitingForDraw: "waiting for the draw",
    lookingAt: "looking at {team}",
    roomCode: "Room code",
    // the rule of each draw mode, in one sentence
    rule_pool: "Every picked club goes into a pool and the pool is shared out at random, so you may play with someone else's pick.",
    rule_keep: "No draw: everyone plays the club they picked.",
    rule_random: "No picking: the clubs are dealt at random from the whole list.",
    // the result
    drawResultTitle: "Who plays as whom",
    colPlayer: "Player",
    colPlaysAs: "Plays as",
    youPickedYouPlay: "You picked {picked} — you play as {team}",
    youPlay: "You play as {team}",
    verifyLink: "Check this draw",
    fixturesLink: "Fixtures and scores",
    // this phone's seat
    signedOutTitle: "You were signed out here",
    signedOutText: "The host gave your seat a new join link, so this phone no longer counts. Ask the host for a new link if this is your phone.",
    removedTitle: "You are not in this tournament any more",
    removedText: "You left, or the host removed you. Your seat and your club are free again.",
    joinAgain: "Join again",
    watchOnly: "Watch without a seat",
    nextRoundStarted: "The next round has started.",
    nextRoundGo: "Go to the next round",
    // errors
    err_TournamentNameNotUnique: "A tournament with this name already exists. Choose another name.",
    err_FieldCannotBeEmpty: "Please fill in every field.",
    err_InvalidField: "Some of the entered values are not valid.",
    err_InvalidInput: "Some of the entered values are not valid.",
    err_InvalidRequest: "Some of the entered values are not valid.",
    err_InvalidType: "Some of the entered values are not valid.",
    err_MissingField: "Please fill in every field.",
    err_ValueOutOfRange: "That number of players is not possible with this list of clubs.",
    err_InvalidTeamName: "That club is not on this tournament's list.",
    err_TournamentNotFound: "We could not find this tournament. Check the link or ask the host for a new one.",
    err_PlayerNotFound: "This player is no longer in the tournament.",
    err_RoomCodeNotFound: "No tournament has this code. Check the letters on the host's screen.",
    err_PlayerAlreadyAssigned: "Someone with this name has already joined. If that is you on a new phone, ask the host for a new join link; otherwise add an initial to your surname.",
    err_TournamentLimitExceeded: "Sorry, this tournament is full — every seat is taken.",
    err_TournamentLocked: "The host has locked joining: nobody can join right now.",
    err_AlreadyDrawn: "The draw has already happened: players and clubs can no longer change.",
    err_PlayerNotInTournament: "You are not in this tournament. Please join first.",
    err_PlayerSelectedTeamBefore: "You have already picked a club.",
    err_TeamAlreadySelected: "Someone has just taken this club. Please pick another one.",
    err_NotAllPlayersRegistered: "Not every seat is taken yet.",
    err_NotAllPlayersSelectedTeam: "Not everyone has picked a club yet.",
    err_NotEnoughPlayers: "The draw needs at least 2 players.",
    err_SeatsBelowPlayers: "There cannot be fewer seats than players already in.",
    err_NoPicking: "In this tournament nobody picks: the clubs are dealt at random.",
    err_NextRoundExists: "The next round has already been started.",
    err_NotDrawnYet: "That is possible only after the draw.",
    err_Unauthorized: "This device is not signed in for that. Ask the host for a new link.",
    err_Forbidden: "Only the host can do that.",
    err_ProtectedTournament: "This tournament can be changed only in this app.",
    err_Busy: "The server is busy right now; nothing was changed. Try again.",
    err_ServiceUnavailable: "The server is busy right now; nothing was changed. Try again.",
    err_busy: "The server is busy right now; nothing was changed. Try again.",
    err_TooManyRequests: "Too many requests from this network; wait a few seconds and try again.",
    err_network: "Cannot reach the server. Check your connection and try again.",
    err_unknown: "Something went wrong. Please try again.",
    err_nameRequired: "Enter a tournament name.",
    err_seatsRange: "The number of players must be between 2 and {max}.",
    err_playerRequired: "Enter your first name and surname.",
    err_codeFormat: "A room code has 6 letters and digits, as shown on the host's screen.",
    err_badLink: "This link is broken: it does not contain a valid tournament id.",
    notFoundPage: "There is no such page.",
  },
  pl: {
    switchLanguage: "English",
    switchLanguageLabel: "Switch language to English",
    skipToContent: "Przejdź do treści",
    reconnecting: "Utracono połączenie. Łączę ponownie…",
    loading: "Wczytywanie…",
    you: "ty",
    cancel: "Anuluj",
    newTournament: "Stwórz nowy turniej",
    copy: "Kopiuj link",
    copied: "Skopiowano link",
    copyFailed: "Nie udało się skopiować — zaznacz link i skopiuj go ręcznie.",
    emptySeat: "Wolne miejsce",
    choosing: "wybiera drużynę…",
    waitingForDraw: "czeka na losowanie",
    lookingAt: "patrzy na: {team}",
    roomCode: "Kod pokoju",
    rule_pool: "Wszystkie wybrane drużyny trafiają do puli, z której losujemy, więc możesz zagrać drużyną wybraną przez kogoś innego.",
    rule_keep: "Bez losowania: każdy gra drużyną, którą wybrał.",
    rule_random: "Bez wybierania: drużyny są losowane z całej listy.",
    drawResultTitle: "Kto gra jaką drużyną",
    colPlayer: "Gracz",
    colPlaysAs: "Gra drużyną",
    youPickedYouPlay: "Wybrano {picked} — grasz drużyną {team}",
    youPlay: "Grasz drużyną {team}",
    verifyLink: "Sprawdź to losowanie",
    fixturesLink: "Mecze i wyniki",
    signedOutTitle: "Wylogowano cię na tym telefonie",
    signedOutText: "Gospodarz dał twojemu miejscu nowy link do dołączenia, więc ten telefon już się nie liczy. Jeśli to twój telefon, poproś gospodarza o nowy link.",
    removedTitle: "Nie jesteś już w tym turnieju",
    removedText: "Twoje miejsce zostało zwolnione — na twoją prośbę albo przez gospodarza. Twoja drużyna jest znowu wolna.",
    joinAgain: "Dołącz ponownie",
    watchOnly: "Oglądaj bez miejsca w turnieju",
    nextRoundStarted: "Rozpoczęła się następna runda.",
    nextRoundGo: "Przejdź do następnej rundy",
    err_TournamentNameNotUnique: "Turniej o tej nazwie już istnieje. Wybierz inną nazwę.",
    err_FieldCannotBeEmpty: "Wypełnij wszystkie pola.",
    err_InvalidField: "Niektóre wartości są niepoprawne.",
    err_InvalidInput: "Niektóre wartości są niepoprawne.",
    err_InvalidRequest: "Niektóre wartości są niepoprawne.",
    err_InvalidType: "Niektóre wartości są niepoprawne.",
    err_MissingField: "Wypełnij wszystkie pola.",
    err_ValueOutOfRange: "Przy tej liście drużyn taka liczba graczy jest niemożliwa.",
    err_InvalidTeamName: "Tej drużyny nie ma na liście tego turnieju.",
    err_TournamentNotFound: "Nie znaleźliśmy tego turnieju. Sprawdź link albo poproś gospodarza o nowy.",
    err_PlayerNotFound: "Tego gracza nie ma już w turnieju.",
    err_RoomCodeNotFound: "Żaden turniej nie ma takiego kodu. Sprawdź znaki na ekranie gospodarza.",
    err_PlayerAlreadyAssigned: "Ktoś o tym imieniu i nazwisku już dołączył. Jeśli to ty na nowym telefonie, poproś gospodarza o nowy link do dołączenia; jeśli nie, dodaj inicjał do nazwiska.",
    err_TournamentLimitExceeded: "Niestety, turniej jest pełny — wszystkie miejsca są zajęte.",
    err_TournamentLocked: "Gospodarz zablokował dołączanie: teraz nikt nie może dołączyć.",
    err_AlreadyDrawn: "Losowanie już się odbyło: gracze i drużyny nie mogą się już zmienić.",
    err_PlayerNotInTournament: "Nie ma cię w tym turnieju. Najpierw dołącz.",
    err_PlayerSelectedTeamBefore: "Drużyna została już przez ciebie wybrana.",
    err_TeamAlreadySelected: "Ktoś właśnie wybrał tę drużynę. Wybierz inną.",
    err_NotAllPlayersRegistered: "Nie wszystkie miejsca są jeszcze zajęte.",
    err_NotAllPlayersSelectedTeam: "Nie wszyscy wybrali jeszcze drużynę.",
    err_NotEnoughPlayers: "Do losowania potrzeba co najmniej 2 graczy.",
    err_SeatsBelowPlayers: "Miejsc nie może być mniej niż graczy, którzy już dołączyli.",
    err_NoPicking: "W tym turnieju nikt nie wybiera: drużyny są losowane.",
    err_NextRoundExists: "Następna runda już się rozpoczęła.",
    err_NotDrawnYet: "To będzie możliwe dopiero po losowaniu.",
    err_Unauthorized: "To urządzenie nie ma do tego uprawnień. Poproś gospodarza o nowy link.",
    err_Forbidden: "Tylko gospodarz może to zrobić.",
    err_ProtectedTournament: "Ten turniej można zmieniać tylko w tej aplikacji.",
    err_Busy: "Serwer jest teraz zajęty; nic nie zmieniono. Spróbuj ponownie.",
    err_ServiceUnavailable: "Serwer jest teraz zajęty; nic nie zmieniono. Spróbuj ponownie.",
    err_busy: "Serwer jest teraz zajęty; nic nie zmieniono. Spróbuj ponownie.",
    err_TooManyRequests: "Za dużo żądań z tej sieci; odczekaj kilka sekund i spróbuj ponownie.",
    err_network: "Brak połączenia z serwerem. Sprawdź sieć i spróbuj ponownie.",
    err_unknown: "Coś poszło nie tak. Spróbuj ponownie.",
    err_nameRequired: "Podaj nazwę turnieju.",
    err_seatsRange: "Liczba graczy musi wynosić od 2 do {max}.",
    err_playerRequired: "Podaj imię i nazwisko.",
    err_codeFormat: "Kod pokoju ma 6 liter i cyfr, tak jak na ekranie gospodarza.",
    err_badLink: "Ten link jest uszkodzony: nie zawiera poprawnego identyfikatora turnieju.",
    notFoundPage: "Nie ma takiej strony.",
  },
};

/** The first supported language in the browser's preferences (navigator.languages), else English. */
function preferred() {
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language || "en"];
  for (const tag of tags) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (primary in TEXTS) return primary;
  }
  return "en";
}

/** The language the user chose with the switch (remembered), else the browser's preference. */
export function getLang() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && stored in TEXTS) return stored;
  } catch {
    /* storage blocked */
  }
  return preferred();
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
