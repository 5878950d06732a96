// Texts of the draw-verification page, English and Polish (registered with lib/i18n.js). The "how it works" part
// is the plain-words section of docs/fairness.md.
import { addTexts, getLang, t } from "./i18n.js";

export { getLang, t };

const EN = {
  vf_title: "Check the draw",
  vf_loading: "Loading the tournament…",
  vf_notFound: "We could not find this tournament. Check the link.",
  vf_offline: "Cannot reach the server. Retrying…",
  vf_fixtures: "Fixtures",
  // the outcome
  vf_verified: "The draw checks out",
  vf_verifiedText:
    "Verified on this device: the revealed server seed has exactly the fingerprint published when the tournament was created, and redoing the draw gives exactly the clubs everybody got.",
  vf_failed: "The check failed",
  vf_fail_mismatchCommitment:
    "The revealed server seed does not have the fingerprint published at the start: the server may have changed its secret after the players joined.",
  vf_fail_mismatchResult: "Redoing the draw from the published inputs gives other clubs than the ones announced (see the seats below).",
  vf_fail_seats: "The seats in the proof are not the players of the draw, in the same order.",
  vf_fail_malformed: "The proof is incomplete or damaged, so the draw cannot be redone.",
  vf_fail_noproof: "This draw has no proof to check: it was made without a server seed.",
  vf_technical: "Technical detail: {reason}",
  vf_pending: "The draw has not happened yet",
  vf_pendingText:
    "When the host draws, this page checks the draw at once. The server has already committed to its secret seed: its fingerprint is below.",
  vf_keep: "No draw to verify",
  vf_keepText:
    "In this tournament everyone plays the club they picked (mode keep): nothing was drawn, so there is nothing to check. That is not a failure.",
  vf_engine_webcrypto: "Computed on this device with the browser's WebCrypto.",
  vf_engine_js:
    "Computed on this device with the app's own SHA-256: this page is not on a secure origin (HTTPS or localhost), where browsers offer WebCrypto. The results are the same.",
  vf_mode_pool: "Mode pool: the picked clubs were shuffled among the players.",
  vf_mode_random: "Mode random: the clubs were dealt from the whole list.",
  // the numbers
  vf_numbers: "The commitment and the seed",
  vf_commitment: "Commitment (published when the tournament was created)",
  vf_seed: "Server seed (revealed after the draw)",
  vf_seedHidden: "Still secret until the draw.",
  vf_fingerprint: "SHA-256 of the revealed seed, computed on this device",
  vf_same: "✓ matches the commitment",
  vf_differs: "✗ differs from the commitment",
  // the seats
  vf_seats: "Seats in join order",
  vf_seatsIntro: "Check your own seat: your name, your pick and your client seed as your phone sent them.",
  vf_clientSeed: "Client seed",
  vf_noSeed: "none (an older app)",
  vf_picked: "Picked",
  vf_recomputed: "Recomputed here",
  vf_published: "Announced",
  vf_seatOk: "✓ same",
  vf_seatBad: "✗ different",
  vf_you: "you",
  vf_mySeedOk: "✓ This is the client seed this phone sent.",
  vf_mySeedBad: "✗ This phone sent the client seed {seed}, not this one.",
  vf_mySeedWarning: "✗ But the client seed in your seat is not the one this phone sent: the draw was not made with your seed.",
  // how it works
  vf_howTitle: "How it works",
  vf_how1:
    "When the host created the tournament, the server chose a secret: a long random number, the server seed. It showed only its fingerprint (SHA-256), the commitment. From the seed anyone can compute the fingerprint, but from the fingerprint nobody can find the seed.",
  vf_how2: "When you joined, your phone added a random text of its own, your client seed. The server could not know it in advance.",
  vf_how3:
    "The draw mixed the server seed with everything the players brought: the tournament, the mode and every seat in join order (name, surname, client seed, picked club), by a fixed public recipe (lct-draw-v1). The same inputs always give the same draw.",
  vf_how4:
    "After the draw the server revealed its seed. This page redoes the draw on your device: the check passes only when the revealed seed has exactly the fingerprint published at the start and redoing the draw gives exactly the clubs everybody got.",
  vf_whyTitle: "Why nobody can steer the outcome",
  vf_why:
    "The fingerprint tied the server to its seed before anyone joined, so it cannot reveal another seed now. The client seeds, names and picks arrived later, so when the server chose its seed it could not know which draw it would give. No player can steer it either: without the secret seed, no client seed is better than another.",
  vf_limitsTitle: "The honest limits",
  vf_limit1:
    "The server chose its seed before it saw the players. The check cannot help if someone who knows the seed also controls a seat (say, a fake player who joins last): check that the seats above are the people in the room.",
  vf_limit2:
    "Check that your own name and pick are there as you sent them. Your client seed is checked for you on the phone you joined with.",
  vf_limit3: "Phones of the first version send no client seed: theirs is empty. The draw can still be checked.",
  vf_limit4: "Mode keep has no draw: everyone plays their own pick, so there is nothing to verify.",
  vf_yourself: "Check it with your own code:",
  vf_yourselfData: "the tournament's data (JSON)",
  vf_yourselfDocs: "docs/fairness.md in the project has the exact recipe and test vectors.",
};

const PL = {
  vf_title: "Sprawdź losowanie",
  vf_loading: "Wczytywanie turnieju…",
  vf_notFound: "Nie znaleźliśmy tego turnieju. Sprawdź link.",
  vf_offline: "Brak połączenia z serwerem. Ponawiam…",
  vf_fixtures: "Terminarz",
  vf_verified: "Losowanie jest w porządku",
  vf_verifiedText:
    "Sprawdzone na tym urządzeniu: ujawnione ziarno serwera ma dokładnie ten odcisk, który opublikowano przy tworzeniu turnieju, a powtórzone losowanie daje dokładnie te drużyny, które wszyscy dostali.",
  vf_failed: "Sprawdzenie nie powiodło się",
  vf_fail_mismatchCommitment:
    "Ujawnione ziarno serwera nie ma odcisku opublikowanego na początku: serwer mógł zmienić swój sekret po dołączeniu graczy.",
  vf_fail_mismatchResult: "Powtórzenie losowania z opublikowanych danych daje inne drużyny niż ogłoszone (zobacz miejsca poniżej).",
  vf_fail_seats: "Miejsca w dowodzie nie odpowiadają graczom z losowania w tej samej kolejności.",
  vf_fail_malformed: "Dowód jest niepełny lub uszkodzony, więc losowania nie da się powtórzyć.",
  vf_fail_noproof: "To losowanie nie ma dowodu do sprawdzenia: odbyło się bez ziarna serwera.",
  vf_technical: "Szczegóły techniczne: {reason}",
  vf_pending: "Losowanie jeszcze się nie odbyło",
  vf_pendingText:
    "Gdy gospodarz rozlosuje drużyny, ta strona od razu sprawdzi losowanie. Serwer już zobowiązał się do swojego tajnego ziarna: jego odcisk jest poniżej.",
  vf_keep: "Nie ma losowania do sprawdzenia",
  vf_keepText:
    "W tym turnieju każdy gra wybraną przez siebie drużyną (tryb keep): nic nie losowano, więc nie ma czego sprawdzać. To nie jest błąd.",
  vf_engine_webcrypto: "Obliczone na tym urządzeniu za pomocą WebCrypto przeglądarki.",
  vf_engine_js:
    "Obliczone na tym urządzeniu wbudowaną w aplikację implementacją SHA-256: ta strona nie jest otwarta z bezpiecznego źródła (HTTPS lub localhost), a tylko tam przeglądarki udostępniają WebCrypto. Wyniki są takie same.",
  vf_mode_pool: "Tryb pool: wybrane drużyny zostały przetasowane i rozdane graczom.",
  vf_mode_random: "Tryb random: drużyny rozdano z całej listy.",
  vf_numbers: "Zobowiązanie i ziarno",
  vf_commitment: "Zobowiązanie (opublikowane przy tworzeniu turnieju)",
  vf_seed: "Ziarno serwera (ujawnione po losowaniu)",
  vf_seedHidden: "Tajne aż do losowania.",
  vf_fingerprint: "SHA-256 ujawnionego ziarna, obliczone na tym urządzeniu",
  vf_same: "✓ zgadza się ze zobowiązaniem",
  vf_differs: "✗ różni się od zobowiązania",
  vf_seats: "Miejsca w kolejności dołączania",
  vf_seatsIntro: "Sprawdź swoje miejsce: imię, wybór i ziarno klienta powinny być takie, jakie wysłał twój telefon.",
  vf_clientSeed: "Ziarno klienta",
  vf_noSeed: "brak (starsza aplikacja)",
  vf_picked: "Wybrana",
  vf_recomputed: "Obliczona tutaj",
  vf_published: "Ogłoszona",
  vf_seatOk: "✓ zgodne",
  vf_seatBad: "✗ niezgodne",
  vf_you: "ty",
  vf_mySeedOk: "✓ To ziarno klienta wysłał ten telefon.",
  vf_mySeedBad: "✗ Ten telefon wysłał ziarno klienta {seed}, a nie to.",
  vf_mySeedWarning: "✗ Ale ziarno klienta w twoim miejscu nie jest tym, które wysłał ten telefon: losowanie nie użyło twojego ziarna.",
  vf_howTitle: "Jak to działa",
  vf_how1:
    "Kiedy gospodarz tworzył turniej, serwer wymyślił sekret: długą losową liczbę, tak zwane ziarno serwera. Pokazał tylko jej odcisk (SHA-256), czyli zobowiązanie. Z ziarna każdy obliczy odcisk, ale z odcisku nikt nie odtworzy ziarna.",
  vf_how2: "Przy dołączaniu twój telefon dodał własny losowy tekst: ziarno klienta. Serwer nie mógł go znać wcześniej.",
  vf_how3:
    "Losowanie połączyło ziarno serwera ze wszystkim, co wnieśli gracze: turniejem, trybem i każdym miejscem w kolejności dołączania (imię, nazwisko, ziarno klienta, wybrana drużyna), według stałego, jawnego przepisu (lct-draw-v1). Te same dane zawsze dają to samo losowanie.",
  vf_how4:
    "Po losowaniu serwer ujawnił swoje ziarno. Ta strona powtarza losowanie na twoim urządzeniu: sprawdzenie przechodzi tylko wtedy, gdy ujawnione ziarno ma dokładnie odcisk opublikowany na początku, a powtórzone losowanie daje dokładnie te drużyny, które wszyscy dostali.",
  vf_whyTitle: "Dlaczego nikt nie może sterować wynikiem",
  vf_why:
    "Odcisk związał serwer z jego ziarnem, zanim ktokolwiek dołączył, więc serwer nie może teraz ujawnić innego ziarna. Ziarna klientów, imiona i wybory graczy pojawiły się później, więc wybierając ziarno, serwer nie mógł wiedzieć, jakie losowanie ono da. Żaden gracz też nie może sterować wynikiem: bez tajnego ziarna żadne ziarno klienta nie jest lepsze od innego.",
  vf_limitsTitle: "Uczciwe ograniczenia",
  vf_limit1:
    "Serwer wybrał ziarno, zanim zobaczył graczy. Sprawdzenie nie pomoże, jeśli ktoś, kto zna ziarno, kontroluje też jedno z miejsc (na przykład fałszywy gracz, który dołącza na końcu): sprawdź, czy miejsca powyżej to ludzie obecni w pokoju.",
  vf_limit2:
    "Sprawdź, czy twoje imię i wybór są takie, jak je wysłano z twojego telefonu. Ziarno klienta sprawdza za ciebie telefon użyty do dołączenia.",
  vf_limit3: "Telefony z pierwszą wersją aplikacji nie wysyłają ziarna klienta: ich ziarno jest puste. Losowanie nadal da się sprawdzić.",
  vf_limit4: "W trybie keep nie ma losowania: każdy gra wybraną przez siebie drużyną, więc nie ma czego sprawdzać.",
  vf_yourself: "Sprawdź to własnym kodem:",
  vf_yourselfData: "dane turnieju (JSON)",
  vf_yourselfDocs: "Dokładny przepis i wektory testowe są w pliku docs/fairness.md projektu.",
};

addTexts({ en: EN, pl: PL });
