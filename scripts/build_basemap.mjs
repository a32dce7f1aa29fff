#!/usr/bin/env node
// Build the dashboard's offline base map, crates/kestrel-server/assets/basemap.json, from Natural
// Earth's 1:110m country shapes (public domain) as the npm package `world-atlas` ships them
// (TopoJSON `countries-110m.json`). ISO numeric ids become alpha-3/alpha-2 codes through the npm
// package `i18n-iso-countries`; the three shapes without an ISO id are named by hand below.
//
// Output format (compact, one line):
//   {"source": ..., "licence": ..., "scale": 10,
//    "countries": [{"a3": "IRQ", "a2": "IQ", "name": "Iraq", "c": [lon, lat],
//                   "r": [[x0, y0, dx1, dy1, dx2, dy2, ...], ...]}, ...]}
// where every ring is integers in tenths of a degree (lon, lat), the first point absolute and the
// rest as differences from the one before; "c" is the centroid of the country's largest ring (for
// country-level marks). Rings are drawn together with the even-odd rule, so holes stay holes.
//
// Usage: node scripts/build_basemap.mjs   (installs the two packages under target/basemap/)

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const work = join(root, "target", "basemap");
const out = join(root, "crates", "kestrel-server", "assets", "basemap.json");
const SCALE = 10; // tenths of a degree: about 11 km, finer than the 1:110m shapes themselves

mkdirSync(work, { recursive: true });
if (!existsSync(join(work, "node_modules", "world-atlas", "countries-110m.json")) ||
    !existsSync(join(work, "node_modules", "i18n-iso-countries"))) {
  execFileSync("npm", ["install", "--prefix", work, "--no-audit", "--no-fund", "--no-save",
    "world-atlas@2.0.2", "i18n-iso-countries@7"], { stdio: "inherit" });
}
const require = createRequire(join(work, "package.json"));
const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-110m.json"), "utf8"));
const iso = require("i18n-iso-countries");

// Shapes Natural Earth gives without an ISO numeric id.
const BY_NAME = { "Kosovo": ["XKX", "XK"], "N. Cyprus": [null, null], "Somaliland": [null, null] };

// Decode the quantised, delta-encoded arcs into absolute [lon, lat] points.
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
});

// Rings that cross the antimeridian jump from +180 to -180; make their longitudes continuous
// (some then exceed 180, and the dashboard draws those a second time shifted by -360). A ring that
// goes once round the pole (its longitudes would not come back) is left as it is.
function unwrap(pts) {
  let shift = 0;
  const outPts = pts.map(([x, y], i) => {
    if (i > 0) {
      const prev = pts[i - 1][0];
      if (x - prev > 180) shift -= 360;
      else if (prev - x > 180) shift += 360;
    }
    return [x + shift, y];
  });
  return shift === 0 ? outPts : pts;
}

// A ring is a list of arc indexes; a negative index ~i means arc i reversed. Consecutive arcs share
// their end point, which is dropped once.
function ring(indexes) {
  const pts = [];
  for (const i of indexes) {
    const a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    a.forEach((p, k) => { if (k > 0 || pts.length === 0) pts.push(p); });
  }
  return unwrap(pts);
}

function area(pts) {
  let s = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    s += (pts[j][0] + pts[i][0]) * (pts[j][1] - pts[i][1]);
  }
  return s / 2;
}

function centroid(pts) {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const f = pts[j][0] * pts[i][1] - pts[i][0] * pts[j][1];
    a += f; cx += (pts[j][0] + pts[i][0]) * f; cy += (pts[j][1] + pts[i][1]) * f;
  }
  if (Math.abs(a) < 1e-12) return pts[0];
  return [cx / (3 * a), cy / (3 * a)];
}

// Quantise to tenths of a degree and delta-encode, dropping repeated points.
function encode(pts) {
  const q = [];
  for (const [x, y] of pts) {
    const p = [Math.round(x * SCALE), Math.round(y * SCALE)];
    const last = q[q.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) q.push(p);
  }
  if (q.length > 1 && q[0][0] === q[q.length - 1][0] && q[0][1] === q[q.length - 1][1]) q.pop();
  if (q.length < 3) return null;
  const flat = [q[0][0], q[0][1]];
  for (let i = 1; i < q.length; i++) flat.push(q[i][0] - q[i - 1][0], q[i][1] - q[i - 1][1]);
  return flat;
}

const countries = [];
for (const g of topo.objects.countries.geometries) {
  const name = g.properties?.name ?? "";
  if (g.id === "010") continue; // Antarctica: no room for it on an events map
  let a3 = null, a2 = null;
  if (g.id !== undefined) {
    a3 = iso.numericToAlpha3(g.id) ?? null;
    a2 = iso.numericToAlpha2(g.id) ?? null;
  } else if (BY_NAME[name]) {
    [a3, a2] = BY_NAME[name];
  } else {
    throw new Error(`shape ${JSON.stringify(name)} has no id and no entry in BY_NAME`);
  }
  const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  const rings = [];
  let biggest = null, biggestArea = -1;
  for (const poly of polys) {
    poly.forEach((r, k) => {
      const pts = ring(r);
      if (k === 0 && Math.abs(area(pts)) > biggestArea) { biggestArea = Math.abs(area(pts)); biggest = pts; }
      const enc = encode(pts);
      if (enc) rings.push(enc);
    });
  }
  if (!rings.length) continue;
  let c = centroid(biggest);
  c = [((c[0] + 540) % 360) - 180, c[1]].map((v) => Math.round(v * 100) / 100);
  countries.push({ a3, a2, name, c, r: rings });
}
countries.sort((a, b) => a.name.localeCompare(b.name));

const doc = {
  source: "Natural Earth 1:110m Admin 0 countries via world-atlas 2.0.2 (countries-110m.json)",
  licence: "public domain (Natural Earth)",
  scale: SCALE,
  countries,
};
writeFileSync(out, JSON.stringify(doc) + "\n");
const points = countries.reduce((n, c) => n + c.r.reduce((m, r) => m + r.length / 2, 0), 0);
console.log(`${out}: ${countries.length} countries, ${points} points, ${JSON.stringify(doc).length} bytes`);
