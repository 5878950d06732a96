// QR codes drawn in the browser (byte mode, error correction level M, versions 1-20), for links that must never
// reach the server: the host's "open on another screen" link and a player's new join link carry their secret in
// the URL fragment, so the server's /t/<id>/qr.svg (which encodes the public join link) cannot draw them.
// ISO/IEC 18004: Reed-Solomon over GF(256) with 0x11D, the eight masks, the format and version BCH codes.

// Per version (index 1-20): EC codewords per block, then [blocks, data codewords per block] per group (level M).
const BLOCKS = [
  null,
  [10, [1, 16]],
  [16, [1, 28]],
  [26, [1, 44]],
  [18, [2, 32]],
  [24, [2, 43]],
  [16, [4, 27]],
  [18, [4, 31]],
  [22, [2, 38], [2, 39]],
  [22, [3, 36], [2, 37]],
  [26, [4, 43], [1, 44]],
  [30, [1, 50], [4, 51]],
  [22, [6, 36], [2, 37]],
  [22, [8, 37], [1, 38]],
  [24, [4, 40], [5, 41]],
  [24, [5, 41], [5, 42]],
  [28, [7, 45], [3, 46]],
  [28, [10, 46], [1, 47]],
  [26, [9, 43], [4, 44]],
  [26, [3, 44], [11, 45]],
  [26, [3, 41], [13, 42]],
];
// Centres of the alignment patterns per version (none for version 1).
const ALIGNMENT = [
  null,
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
  [6, 30, 54],
  [6, 32, 58],
  [6, 34, 62],
  [6, 26, 46, 66],
  [6, 26, 48, 70],
  [6, 26, 50, 74],
  [6, 30, 54, 78],
  [6, 30, 56, 82],
  [6, 30, 58, 86],
  [6, 34, 62, 90],
];
const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i += 1) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i += 1) EXP[i] = EXP[i - 255];

const mul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);
const bit = (value, i) => ((value >>> i) & 1) === 1;

/** The generator polynomial of `degree` EC codewords, highest power first, without its leading 1. */
function generator(degree) {
  let poly = [1];
  for (let i = 0; i < degree; i += 1) {
    const next = new Array(poly.length + 1).fill(0);
    poly.forEach((c, j) => {
      next[j] ^= c;
      next[j + 1] ^= mul(c, EXP[i]);
    });
    poly = next;
  }
  return poly.slice(1);
}

function ecCodewords(data, gen) {
  const rest = new Array(gen.length).fill(0);
  for (const byte of data) {
    const factor = byte ^ rest.shift();
    rest.push(0);
    gen.forEach((g, i) => {
      rest[i] ^= mul(g, factor);
    });
  }
  return rest;
}

const groupsOf = (version) => BLOCKS[version].slice(1);
const capacity = (version) => groupsOf(version).reduce((sum, [blocks, data]) => sum + blocks * data, 0);
const countBits = (version) => (version < 10 ? 8 : 16);

function pickVersion(length) {
  for (let version = 1; version < BLOCKS.length; version += 1) {
    if (4 + countBits(version) + 8 * length <= capacity(version) * 8) return version;
  }
  throw new RangeError("text too long for a QR code of version 20");
}

/** Mode, length, bytes, terminator and padding: exactly `capacity(version)` data codewords. */
function dataCodewords(bytes, version) {
  const bits = [];
  const push = (value, count) => {
    for (let i = count - 1; i >= 0; i -= 1) bits.push(bit(value, i) ? 1 : 0);
  };
  const total = capacity(version) * 8;
  push(0b0100, 4);
  push(bytes.length, countBits(version));
  bytes.forEach((b) => push(b, 8));
  push(0, Math.min(4, total - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < total; pad ^= 0xec ^ 0x11) push(pad, 8);
  const out = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((v, b) => (v << 1) | b, 0));
  return out;
}

/** Split into blocks, add each block's EC codewords and interleave (data columns first, then EC). */
function interleave(data, version) {
  const gen = generator(BLOCKS[version][0]);
  const blocks = [];
  let offset = 0;
  for (const [count, size] of groupsOf(version)) {
    for (let i = 0; i < count; i += 1) {
      const part = data.slice(offset, offset + size);
      offset += size;
      blocks.push({ data: part, ec: ecCodewords(part, gen) });
    }
  }
  const out = [];
  const longest = Math.max(...blocks.map((b) => b.data.length));
  for (let i = 0; i < longest; i += 1) blocks.forEach((b) => i < b.data.length && out.push(b.data[i]));
  for (let i = 0; i < gen.length; i += 1) blocks.forEach((b) => out.push(b.ec[i]));
  return out;
}

class Grid {
  constructor(version) {
    this.version = version;
    this.size = version * 4 + 17;
    this.dark = new Uint8Array(this.size * this.size);
    this.fixed = new Uint8Array(this.size * this.size);
  }

  get(x, y) {
    return this.dark[y * this.size + x] === 1;
  }

  set(x, y, dark) {
    this.dark[y * this.size + x] = dark ? 1 : 0;
  }

  fix(x, y, dark) {
    this.set(x, y, dark);
    this.fixed[y * this.size + x] = 1;
  }

  isFixed(x, y) {
    return this.fixed[y * this.size + x] === 1;
  }
}

function drawFinder(grid, cx, cy) {
  for (let dy = -4; dy <= 4; dy += 1) {
    for (let dx = -4; dx <= 4; dx += 1) {
      const x = cx + dx;
      const y = cy + dy;
      const ring = Math.max(Math.abs(dx), Math.abs(dy));
      if (x >= 0 && y >= 0 && x < grid.size && y < grid.size) grid.fix(x, y, ring !== 2 && ring !== 4);
    }
  }
}

function drawAlignment(grid, cx, cy) {
  for (let dy = -2; dy <= 2; dy += 1) {
    for (let dx = -2; dx <= 2; dx += 1) grid.fix(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }
}

function drawFunctionPatterns(grid) {
  const { size, version } = grid;
  for (let i = 0; i < size; i += 1) {
    grid.fix(6, i, i % 2 === 0);
    grid.fix(i, 6, i % 2 === 0);
  }
  drawFinder(grid, 3, 3);
  drawFinder(grid, size - 4, 3);
  drawFinder(grid, 3, size - 4);
  const centres = ALIGNMENT[version];
  const last = centres.length - 1;
  centres.forEach((x, i) =>
    centres.forEach((y, j) => {
      const onFinder = (i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0);
      if (!onFinder) drawAlignment(grid, x, y);
    }),
  );
  drawFormat(grid, 0); // reserves the format areas; redrawn with the chosen mask
  drawVersion(grid);
}

function drawFormat(grid, mask) {
  const data = (0b00 << 3) | mask; // level M is 00
  let rest = data;
  for (let i = 0; i < 10; i += 1) rest = (rest << 1) ^ ((rest >>> 9) * 0x537);
  const bits = ((data << 10) | rest) ^ 0x5412;
  const size = grid.size;
  for (let i = 0; i <= 5; i += 1) grid.fix(8, i, bit(bits, i));
  grid.fix(8, 7, bit(bits, 6));
  grid.fix(8, 8, bit(bits, 7));
  grid.fix(7, 8, bit(bits, 8));
  for (let i = 9; i < 15; i += 1) grid.fix(14 - i, 8, bit(bits, i));
  for (let i = 0; i < 8; i += 1) grid.fix(size - 1 - i, 8, bit(bits, i));
  for (let i = 8; i < 15; i += 1) grid.fix(8, size - 15 + i, bit(bits, i));
  grid.fix(8, size - 8, true);
}

function drawVersion(grid) {
  const version = grid.version;
  if (version < 7) return;
  let rest = version;
  for (let i = 0; i < 12; i += 1) rest = (rest << 1) ^ ((rest >>> 11) * 0x1f25);
  const bits = (version << 12) | rest;
  for (let i = 0; i < 18; i += 1) {
    const a = grid.size - 11 + (i % 3);
    const b = Math.floor(i / 3);
    grid.fix(a, b, bit(bits, i));
    grid.fix(b, a, bit(bits, i));
  }
}

function drawCodewords(grid, codewords) {
  const size = grid.size;
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert += 1) {
      for (let j = 0; j < 2; j += 1) {
        const x = right - j;
        const y = upward ? size - 1 - vert : vert;
        if (grid.isFixed(x, y)) continue;
        grid.set(x, y, i < codewords.length * 8 && bit(codewords[i >>> 3], 7 - (i & 7)));
        i += 1;
      }
    }
  }
}

function applyMask(grid, mask) {
  for (let y = 0; y < grid.size; y += 1) {
    for (let x = 0; x < grid.size; x += 1) {
      if (!grid.isFixed(x, y) && MASKS[mask](x, y)) grid.set(x, y, !grid.get(x, y));
    }
  }
}

/** Penalty of one row or column (rules 1 and 3 of the standard): long runs and finder look-alikes. */
function linePenalty(line) {
  let score = 0;
  let run = 1;
  for (let i = 1; i <= line.length; i += 1) {
    if (i < line.length && line[i] === line[i - 1]) {
      run += 1;
      continue;
    }
    if (run >= 5) score += run - 2;
    run = 1;
  }
  const text = line.join("");
  for (const pattern of ["10111010000", "00001011101"]) {
    for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) score += 40;
  }
  return score;
}

function penalty(grid) {
  const { size } = grid;
  let score = 0;
  let dark = 0;
  for (let i = 0; i < size; i += 1) {
    const row = [];
    const column = [];
    for (let j = 0; j < size; j += 1) {
      row.push(grid.get(j, i) ? 1 : 0);
      column.push(grid.get(i, j) ? 1 : 0);
    }
    score += linePenalty(row) + linePenalty(column);
    dark += row.reduce((a, b) => a + b, 0);
  }
  for (let y = 0; y < size - 1; y += 1) {
    for (let x = 0; x < size - 1; x += 1) {
      const c = grid.get(x, y);
      if (c === grid.get(x + 1, y) && c === grid.get(x, y + 1) && c === grid.get(x + 1, y + 1)) score += 3;
    }
  }
  return score + 10 * Math.floor(Math.abs((dark * 100) / (size * size) - 50) / 5);
}

/** The modules of `text` (UTF-8): {size, dark(x, y)}. */
export function qrMatrix(text) {
  const bytes = [...new TextEncoder().encode(text)];
  const version = pickVersion(bytes.length);
  const codewords = interleave(dataCodewords(bytes, version), version);
  const grid = new Grid(version);
  drawFunctionPatterns(grid);
  drawCodewords(grid, codewords);
  let best = null;
  for (let mask = 0; mask < MASKS.length; mask += 1) {
    applyMask(grid, mask);
    drawFormat(grid, mask);
    const score = penalty(grid);
    if (!best || score < best.score) best = { mask, score };
    applyMask(grid, mask); // undo (a mask is its own inverse)
  }
  applyMask(grid, best.mask);
  drawFormat(grid, best.mask);
  return { size: grid.size, dark: (x, y) => grid.get(x, y) };
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An <svg> QR code of `text` with a 4-module quiet zone, black on white whatever the theme. */
export function qrSvg(text, { label, testid = null, className = "qr" } = {}) {
  const { size, dark } = qrMatrix(text);
  const total = size + 8;
  let path = "";
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) if (dark(x, y)) path += `M${x + 4} ${y + 4}h1v1h-1z`;
  }
  const svg = document.createElementNS(SVG_NS, "svg");
  const attrs = {
    viewBox: `0 0 ${total} ${total}`,
    role: "img",
    "aria-label": label,
    class: className,
    "shape-rendering": "crispEdges",
  };
  if (testid) attrs["data-testid"] = testid;
  for (const [key, value] of Object.entries(attrs)) svg.setAttribute(key, value);
  const background = document.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", String(total));
  background.setAttribute("height", String(total));
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(SVG_NS, "path");
  modules.setAttribute("d", path);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}
