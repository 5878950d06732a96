// The verifiable draw lct-draw-v1 (docs/fairness.md) on WebCrypto: no DOM, no dependencies.
// Mirrors src/lct/domain/draw.py; the test vectors in docs/fairness.md are checked against both.

export const ALGORITHM = "lct-draw-v1";

const SPAN = 2 ** 32;
const HEX_SEED = /^[0-9a-fA-F]{64}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const encoder = new TextEncoder();

function subtle() {
  if (!globalThis.crypto || !globalThis.crypto.subtle) {
    throw new Error("WebCrypto is not available here (it needs HTTPS or localhost)");
  }
  return globalThis.crypto.subtle;
}

function fromHex(hex) {
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

function toHex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

function field(text) {
  if (typeof text !== "string" || LONE_SURROGATE.test(text)) throw new TypeError("every field must be text");
  const bytes = encoder.encode(text);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
}

/** The bytes the server seed is mixed with: algorithm, tournament, mode, then every seat in join order. */
export function message(tournamentId, mode, seats) {
  const id = typeof tournamentId === "string" ? tournamentId.replace(/[A-Z]/g, (c) => c.toLowerCase()) : null;
  const parts = [field(ALGORITHM), field(id), field(mode)];
  for (const seat of seats) {
    parts.push(field(seat.name), field(seat.surname), field(seat.clientSeed), field(seat.club));
  }
  return concat(parts);
}

function hmacKey(keyBytes) {
  return subtle().importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

async function hmac(keyBytes, data) {
  return new Uint8Array(await subtle().sign("HMAC", await hmacKey(keyBytes), data));
}

/** HMAC-SHA256 keyed by the server seed over the message: the key of the number stream (hex). */
export async function drawKey(serverSeedHex, tournamentId, mode, seats) {
  if (!HEX_SEED.test(serverSeedHex)) throw new TypeError("the server seed must be 64 hex digits");
  return toHex(await hmac(fromHex(serverSeedHex), message(tournamentId, mode, seats)));
}

/** The number stream of a key (hex): each call of the returned function gives the next unsigned 32-bit number. */
export function numbers(keyHex) {
  const key = hmacKey(fromHex(keyHex));
  let block = 0;
  let view = null;
  let index = 8;
  return async function next() {
    if (index === 8) {
      const counter = new DataView(new ArrayBuffer(8));
      counter.setBigUint64(0, BigInt(block++));
      view = new DataView(await subtle().sign("HMAC", await key, counter.buffer));
      index = 0;
    }
    return view.getUint32(4 * index++);
  };
}

/** A number in 0..n-1 without modulo bias: numbers at or above the largest multiple of n are skipped. */
export async function uniform(next, n) {
  const limit = SPAN - (SPAN % n);
  for (;;) {
    const u = await next();
    if (u < limit) return u % n;
  }
}

async function fisherYates(next, items) {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = await uniform(next, i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

/** SHA-256 fingerprint (lowercase hex) of the server seed given as hex. */
export async function commitmentOf(serverSeedHex) {
  if (!HEX_SEED.test(serverSeedHex)) throw new TypeError("the server seed must be 64 hex digits");
  return toHex(await subtle().digest("SHA-256", fromHex(serverSeedHex)));
}

function drawItems(mode, seats, catalogue) {
  if (mode === "pool") {
    if (seats.some((seat) => !seat.club)) throw new TypeError("mode pool needs a picked club for every seat");
    return seats.map((seat) => seat.club);
  }
  if (mode !== "random") throw new TypeError(`unknown draw mode ${JSON.stringify(mode)}`);
  if (seats.some((seat) => seat.club !== "")) throw new TypeError("mode random has no picks: clubs must be empty");
  if (catalogue.length < seats.length) throw new TypeError("the catalogue has fewer clubs than seats");
  return catalogue;
}

/** The club of every seat, in seat order ("keep": everyone's own pick). Throws when the seats do not fit. */
export async function assign(serverSeedHex, tournamentId, mode, seats, catalogue) {
  if (mode === "keep") return seats.map((seat) => seat.club);
  const items = drawItems(mode, seats, catalogue);
  const next = numbers(await drawKey(serverSeedHex, tournamentId, mode, seats));
  return (await fisherYates(next, items)).slice(0, seats.length);
}

function sameList(a, b) {
  return Array.isArray(b) && a.length === b.length && a.every((club, k) => club === b[k]);
}

function proofProblem({ mode, drawCommitment, drawProof }) {
  if (mode === "keep") return "mode keep has no draw to verify";
  if (!drawProof || drawProof.algorithm !== ALGORITHM) return `the proof is not an ${ALGORITHM} proof`;
  if (!HEX_SEED.test(drawProof.serverSeed)) return "the revealed server seed is not 64 hex digits";
  if (!HEX_SEED.test(drawCommitment)) return "the commitment is not 64 hex digits";
  if (!Array.isArray(drawProof.seats)) return "the proof has no seats";
  return "";
}

/** Check a revealed draw: {ok, reason, expected} where expected is the recomputed club per seat (or []). */
export async function verifyProof({ tournamentId, mode, drawCommitment, drawProof, catalogue, result }) {
  const problem = proofProblem({ mode, drawCommitment, drawProof });
  if (problem) return { ok: false, reason: problem, expected: [] };
  let expected;
  try {
    expected = await assign(drawProof.serverSeed, tournamentId, mode, drawProof.seats, catalogue || []);
  } catch (error) {
    return { ok: false, reason: `the draw cannot be recomputed: ${error.message}`, expected: [] };
  }
  if ((await commitmentOf(drawProof.serverSeed)) !== drawCommitment.toLowerCase()) {
    return { ok: false, reason: "the revealed server seed does not match the published commitment", expected };
  }
  if (!sameList(expected, result)) {
    return { ok: false, reason: "recomputing the draw gives other clubs than the announced result", expected };
  }
  const reason = "the seed matches the commitment and the draw recomputes to the announced result";
  return { ok: true, reason, expected };
}
