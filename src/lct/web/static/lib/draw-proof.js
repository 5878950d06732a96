// The verifiable draw lct-draw-v1 (docs/fairness.md) on WebCrypto, or on the pure-JS SHA-256 of ./sha256.js where
// WebCrypto is missing (crypto.subtle exists only on HTTPS and localhost; phones reach the service at
// http://<LAN address>). No DOM. Mirrors src/lct/domain/draw.py; the test vectors in docs/fairness.md are checked
// against both, and both engines give the same bytes.
import { hmacSha256, sha256 } from "./sha256.js";

export const ALGORITHM = "lct-draw-v1";

/** Why verifyProof said what it said (its `reason`); the verify page translates them. */
export const REASONS = Object.freeze({
  keep: "mode keep has no draw to verify",
  algorithm: `the proof is not an ${ALGORITHM} proof`,
  seed: "the revealed server seed is not 64 hex digits",
  commitment: "the commitment is not 64 hex digits",
  seats: "the proof has no seats",
  recompute: "the draw cannot be recomputed",
  mismatchCommitment: "the revealed server seed does not match the published commitment",
  mismatchResult: "recomputing the draw gives other clubs than the announced result",
  ok: "the seed matches the commitment and the draw recomputes to the announced result",
});

const SPAN = 2 ** 32;
const HEX_SEED = /^[0-9a-fA-F]{64}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const encoder = new TextEncoder();

function subtle() {
  return globalThis.crypto?.subtle || null;
}

/** "webcrypto" where the browser offers crypto.subtle, else "js" (./sha256.js): the same numbers either way. */
export function cryptoEngine() {
  return subtle() ? "webcrypto" : "js";
}

/** A function computing HMAC-SHA256 under `keyBytes` (the key is imported once): data -> Promise<Uint8Array>. */
async function hmacWith(keyBytes) {
  const webCrypto = subtle();
  if (!webCrypto) return async (data) => hmacSha256(keyBytes, data);
  const key = await webCrypto.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return async (data) => new Uint8Array(await webCrypto.sign("HMAC", key, data));
}

async function digest(bytes) {
  const webCrypto = subtle();
  return webCrypto ? new Uint8Array(await webCrypto.digest("SHA-256", bytes)) : sha256(bytes);
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

/** HMAC-SHA256 keyed by the server seed over the message: the key of the number stream (hex). */
export async function drawKey(serverSeedHex, tournamentId, mode, seats) {
  if (!HEX_SEED.test(serverSeedHex)) throw new TypeError("the server seed must be 64 hex digits");
  const mac = await hmacWith(fromHex(serverSeedHex));
  return toHex(await mac(message(tournamentId, mode, seats)));
}

/** The number stream of a key (hex): each call of the returned function gives the next unsigned 32-bit number. */
export function numbers(keyHex) {
  const mac = hmacWith(fromHex(keyHex));
  mac.catch(() => {}); // a failure surfaces in next()
  let block = 0;
  let view = null;
  let index = 8;
  return async function next() {
    if (index === 8) {
      const counter = new Uint8Array(8);
      new DataView(counter.buffer).setBigUint64(0, BigInt(block++));
      const bytes = await (await mac)(counter);
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  return toHex(await digest(fromHex(serverSeedHex)));
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
  if (mode === "keep") return REASONS.keep;
  if (!drawProof || drawProof.algorithm !== ALGORITHM) return REASONS.algorithm;
  if (!HEX_SEED.test(drawProof.serverSeed)) return REASONS.seed;
  if (!HEX_SEED.test(drawCommitment)) return REASONS.commitment;
  if (!Array.isArray(drawProof.seats)) return REASONS.seats;
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
    return { ok: false, reason: `${REASONS.recompute}: ${error.message}`, expected: [] };
  }
  if ((await commitmentOf(drawProof.serverSeed)) !== drawCommitment.toLowerCase()) {
    return { ok: false, reason: REASONS.mismatchCommitment, expected };
  }
  if (!sameList(expected, result)) {
    return { ok: false, reason: REASONS.mismatchResult, expected };
  }
  return { ok: true, reason: REASONS.ok, expected };
}
