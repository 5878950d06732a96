// Drives the LCT hub with the official SignalR JavaScript client, the way the original frontend does.
// Usage: node client.mjs <baseUrl> <tournamentId> <skip|negotiate> [v10|v6]
// Prints one JSON line per event on stdout: {"event":"connected"}, {"event":"message","target":..,"payload":..},
// {"event":"closed"}. Reads JSON lines on stdin: {"click":{groupKey,team,name,surname}} or {"stop":true}.
import { createRequire } from "node:module";
import readline from "node:readline";

const require = createRequire(import.meta.url);
const [baseUrl, tournamentId, mode, version = "v10"] = process.argv.slice(2);
const signalR = require(version === "v6" ? "signalr6" : "@microsoft/signalr");

const out = (event) => process.stdout.write(JSON.stringify(event) + "\n");
const options =
  mode === "skip"
    ? { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets }
    : { transport: signalR.HttpTransportType.WebSockets };

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${baseUrl}/hubs/actions?tournamentId=${tournamentId}`, options)
  .withAutomaticReconnect()
  .configureLogging(signalR.LogLevel.Warning)
  .build();

connection.on(tournamentId, (message) => out({ event: "message", payload: JSON.parse(message) }));
connection.onclose((error) => {
  out({ event: "closed", error: error ? String(error) : null });
  process.exit(0);
});

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  const command = JSON.parse(line);
  if (command.click) {
    await connection.send("TeamClicked", command.click);
    out({ event: "sent" });
  } else if (command.invoke) {
    try {
      await connection.invoke(command.invoke.method, ...command.invoke.args);
      out({ event: "completed" });
    } catch (error) {
      out({ event: "completed", error: String(error) });
    }
  } else if (command.stop) {
    await connection.stop();
  }
});

try {
  await connection.start();
  out({ event: "connected", connectionId: connection.connectionId ?? null });
} catch (error) {
  out({ event: "failed", error: String(error) });
  process.exit(1);
}
