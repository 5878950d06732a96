// Players, clubs and the tournament state as API v2 describes them (docs/api.md, `<state>`).

export function fullName(player) {
  return `${player.name} ${player.surname}`;
}

// The original catalogue misspells two clubs on purpose (the v1 contract keeps them); people read them right.
const DISPLAY_NAMES = { "Manchaster City": "Manchester City", "Machester United": "Manchester United" };

/** How a club is shown; the wire (requests, data-team attributes) keeps its own name. */
export function clubName(club) {
  return DISPLAY_NAMES[club] || club;
}

export const hasPicked = (player) => typeof player.club === "string" && player.club !== "";

export const isDrawn = (state) => Array.isArray(state.draw) && state.draw.length > 0;

/** Players pick a club in modes "pool" and "keep"; in "random" the clubs are dealt from the whole list. */
export const picksClubs = (state) => state.drawMode !== "random";

export function playerById(state, playerId) {
  return state.players.find((p) => p.id === playerId) || null;
}

/** The player whose id is `me.playerId` (this phone), or null. */
export function mine(state, me) {
  return me ? playerById(state, me.playerId) : null;
}

/** The host may draw: 2+ players in and (unless clubs are dealt at random) every one of them picked. */
export function readyToDraw(state) {
  const players = state.players.length;
  return !isDrawn(state) && players >= 2 && (!picksClubs(state) || state.players.every(hasPicked));
}

/** The latest live click of each player: {playerId or name key -> club}, from TeamClicked's clickedTeams. */
export function clicksByPlayer(state, clicked) {
  const looks = new Map();
  for (const click of clicked || []) {
    const player = click.playerId
      ? playerById(state, click.playerId)
      : state.players.find((p) => p.name === click.name && p.surname === click.surname);
    if (player) looks.set(player.id, click.team);
  }
  return looks;
}

/** What a player is looking at right now (a club nobody holds yet), or null. */
export function lookingAt(state, looks, player) {
  const club = looks.get(player.id);
  if (!club || isDrawn(state) || club === player.club) return null;
  return state.clubs?.some((c) => c.name === club && c.pickedBy) ? null : club;
}
