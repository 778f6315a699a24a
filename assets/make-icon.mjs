// Draws the application icon with Node built-ins only and writes it as PNG:
//   assets/icon.png      512×512 (electron-builder derives .icns and .ico from it)
//   assets/icon-256.png  256×256
// A dark rounded square with faint axes and a volatility smile: a skewed convex curve shading
// from blue (low strikes) to green (high strikes), with a few market quotes as dots around it.
// Run: node assets/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

// ---- PNG encoding -------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** RGBA, 8 bits per channel, rows unfiltered (filter type 0). */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- drawing (coordinates in units of the icon size, 0..1) ---------------------------------

const clamp01 = (v) => Math.min(1, Math.max(0, v));
const mix = (a, b, t) => a + (b - a) * t;

/** Signed distance to a rounded rectangle centred at (cx, cy), negative inside. */
function roundedRectDistance(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return { distance: Math.hypot(px - (ax + t * dx), py - (ay + t * dy)), t };
}

/** Implied vol against log-moneyness k in [-1, 1]: convex, steeper on the put wing. */
const smileVol = (k) => 0.3 + 0.42 * k * k - 0.1 * k;
const SMILE_X0 = 0.2;
const SMILE_X1 = 0.8;
const smileY = (k) => 0.74 - smileVol(k) * 0.62;
const SMILE = Array.from({ length: 97 }, (_, i) => {
  const k = -1 + (2 * i) / 96;
  return [mix(SMILE_X0, SMILE_X1, (k + 1) / 2), smileY(k)];
});
// Market quotes scattered around the fitted curve (deterministic offsets).
const QUOTES = [-0.85, -0.55, -0.25, 0.05, 0.35, 0.62, 0.9].map((k, i) => [mix(SMILE_X0, SMILE_X1, (k + 1) / 2), smileY(k) + (i % 2 === 0 ? -0.022 : 0.02)]);

const BLUE = [56, 139, 253];
const GREEN = [46, 204, 113];
const BG_TOP = [30, 38, 52];
const BG_BOTTOM = [13, 17, 23];

function over(dst, color, alpha) {
  const a = clamp01(alpha);
  dst[0] = mix(dst[0], color[0], a);
  dst[1] = mix(dst[1], color[1], a);
  dst[2] = mix(dst[2], color[2], a);
}

function renderPixel(x, y, px) {
  // Coverage from a signed distance, one pixel wide anti-aliasing.
  const cover = (d) => clamp01(0.5 - d / px);
  const tile = roundedRectDistance(x, y, 0.5, 0.5, 0.45, 0.45, 0.1);
  const tileAlpha = cover(tile);
  if (tileAlpha <= 0) return [0, 0, 0, 0];

  const color = BG_TOP.map((c, i) => mix(c, BG_BOTTOM[i], clamp01((y - 0.05) / 0.9)));
  // Thin border highlight just inside the tile's edge.
  over(color, [70, 84, 104], cover(Math.abs(tile + 0.006) - 0.003) * 0.8);

  // Axes.
  const axisColor = [96, 110, 130];
  const axisW = 0.006;
  const inXRange = x >= 0.15 && x <= 0.86;
  const inYRange = y >= 0.16 && y <= 0.8;
  if (inYRange) over(color, axisColor, cover(Math.abs(x - 0.15) - axisW));
  if (inXRange) over(color, axisColor, cover(Math.abs(y - 0.8) - axisW));
  // Faint grid.
  for (const gy of [0.32, 0.48, 0.64]) if (inXRange && x > 0.16) over(color, axisColor, cover(Math.abs(y - gy) - 0.002) * 0.25);

  // Nearest point on the smile.
  let best = { distance: Infinity, x: 0 };
  for (let i = 0; i + 1 < SMILE.length; i++) {
    const [ax, ay] = SMILE[i];
    const [bx, by] = SMILE[i + 1];
    const hit = segmentDistance(x, y, ax, ay, bx, by);
    if (hit.distance < best.distance) best = { distance: hit.distance, x: mix(ax, bx, hit.t) };
  }
  const t = clamp01((best.x - SMILE_X0) / (SMILE_X1 - SMILE_X0));
  const curveColor = BLUE.map((c, i) => mix(c, GREEN[i], t));

  // Soft glow under the curve, then the stroke itself.
  over(color, curveColor, Math.exp(-((best.distance / 0.035) ** 2)) * 0.35);
  over(color, curveColor, cover(best.distance - 0.018));

  for (const [qx, qy] of QUOTES) {
    const d = Math.hypot(x - qx, y - qy);
    over(color, [13, 17, 23], cover(d - 0.021));
    over(color, [235, 241, 248], cover(d - 0.014));
  }
  return [color[0], color[1], color[2], tileAlpha * 255];
}

export function drawIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const px = 1 / size;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const pixel = renderPixel((col + 0.5) / size, (row + 0.5) / size, px);
      const offset = (row * size + col) * 4;
      for (let c = 0; c < 4; c++) rgba[offset + c] = Math.round(pixel[c]);
    }
  }
  return encodePng(size, size, rgba);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [size, name] of [
    [512, 'icon.png'],
    [256, 'icon-256.png'],
  ]) {
    const target = new URL(name, import.meta.url);
    writeFileSync(target, drawIcon(size));
    console.log(`wrote ${target.pathname} (${size}x${size})`);
  }
}
