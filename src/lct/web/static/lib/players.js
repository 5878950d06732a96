// Players and the tournament state as the API and the hub describe them.

export function fullName(player) {
  return `${player.name} ${player.surname}`;
}

export function samePlayer(a, b) {
  return Boolean(a && b) && a.name === b.name && a.surname === b.surname;
}

export const hasPicked = (player) =>
  player.selectedTeam !== null && player.selectedTeam !== undefined && player.selectedTeam !== "";

export const isDrawn = (state) => state.players.length > 0 && state.players.some((p) => p.drawnTeam);

/** Write a draw result (from the API or a TeamsDrawn message) into `state`. */
export function applyDraw(state, drawnTeams) {
  for (const entry of drawnTeams) {
    const player = state.players.find((p) => samePlayer(p, entry));
    if (player) player.drawnTeam = entry.teamName;
    else state.players.push({ name: entry.name, surname: entry.surname, selectedTeam: null, drawnTeam: entry.teamName });
  }
}
