// Kestrel dashboard: filters, a world map, a timeline, a server-paged event table and an article
// view with the evidence highlighted. Plain JavaScript, no libraries; all data from /api/*.
"use strict";

const PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const STATUSES = ["occurred", "ongoing", "planned", "hypothetical", "negated", "reported_claim"];
const ACLED = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
  "Riots", "Strategic developments"];
const FILTERS = ["type", "mode", "acled", "actor", "country", "place", "from", "to", "status", "q", "group"];
const DAY_MS = 86400000;

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat("en");

// ---------------------------------------------------------------- state and URL

const state = { filters: {}, sort: "date", order: "desc", offset: 0, limit: 50 };

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  state.filters = {};
  for (const k of FILTERS) if (p.get(k)) state.filters[k] = p.get(k);
  state.sort = p.get("sort") || "date";
  state.order = p.get("order") || "desc";
  state.offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
  state.limit = parseInt(p.get("limit") || "50", 10) || 50;
}

function writeHash() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(k, v);
  if (state.sort !== "date") p.set("sort", state.sort);
  if (state.order !== "desc") p.set("order", state.order);
  if (state.offset) p.set("offset", state.offset);
  if (state.limit !== 50) p.set("limit", state.limit);
  const h = p.toString();
  if (location.hash.slice(1) !== h) location.hash = h; else refresh();
}

function filterQuery(extra = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(k, v);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) p.set(k, v);
  return p.toString();
}

// ---------------------------------------------------------------- fetching

const inflight = {};
async function api(name, url) {
  if (inflight[name]) inflight[name].abort();
  const ctl = new AbortController();
  inflight[name] = ctl;
  const r = await fetch(url, { signal: ctl.signal });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body?.error?.message || `${r.status} ${r.statusText}`);
  return body;
}

function showError(e) {
  if (e && e.name === "AbortError") return;
  const el = $("error");
  if (!e) { el.hidden = true; return; }
  el.textContent = e.message || String(e);
  el.hidden = false;
}

async function refresh() {
  showError(null);
  syncForm();
  $("export-csv").href = "/api/export?" + filterQuery({ format: "csv", sort: state.sort, order: state.order });
  $("export-jsonl").href = "/api/export?" + filterQuery({ format: "jsonl", sort: state.sort, order: state.order });
  await Promise.all([loadTable(), loadStats(), loadMap()]).catch(showError);
}

// ---------------------------------------------------------------- filters form

function fillSelect(id, values) {
  const sel = $(id);
  for (const v of values) {
    const o = document.createElement("option");
    o.value = v; o.textContent = v;
    sel.appendChild(o);
  }
}

function syncForm() {
  const f = $("filters");
  for (const k of FILTERS) {
    const el = f.elements[k];
    if (!el) continue;
    if (el.type === "checkbox") el.checked = state.filters[k] === "clusters";
    else el.value = state.filters[k] || "";
  }
  $("page-size").value = String(state.limit);
}

function readForm() {
  const f = $("filters");
  const out = {};
  for (const k of FILTERS) {
    const el = f.elements[k];
    if (!el) continue;
    const v = el.type === "checkbox" ? (el.checked ? "clusters" : "") : el.value.trim();
    if (v) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- table

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function side(s) {
  if (!s) return "";
  return `${esc(s.text)}${s.code ? ` <span class="code">${esc(s.code)}</span>` : ""}`;
}

async function loadTable() {
  const q = filterQuery({ sort: state.sort, order: state.order, offset: state.offset, limit: state.limit });
  const page = await api("events", "/api/events?" + q);
  const body = document.querySelector("#events tbody");
  body.textContent = "";
  for (const th of document.querySelectorAll("#events th")) {
    th.classList.toggle("sorted-asc", th.dataset.sort === state.sort && state.order === "asc");
    th.classList.toggle("sorted-desc", th.dataset.sort === state.sort && state.order === "desc");
  }
  if (!page.events.length) {
    body.innerHTML = `<tr><td colspan="8" class="empty">No events match these filters.</td></tr>`;
  }
  for (const e of page.events) {
    const tr = document.createElement("tr");
    tr.tabIndex = 0;
    tr.dataset.id = e.id;
    tr.dataset.type = e.type;
    tr.title = e.sentence_text || "";
    tr.innerHTML =
      `<td class="date">${esc(e.date || "—")}</td>` +
      `<td><span class="type">${esc(e.type)}</span>${e.mode ? ` <span class="mode">${esc(e.mode)}</span>` : ""}</td>` +
      `<td>${side(e.source)}</td><td>${side(e.target)}</td>` +
      `<td>${esc(e.place?.name || "")}${e.country ? ` <span class="code">${esc(e.country)}</span>` : ""}</td>` +
      `<td>${esc(e.status)}</td>` +
      `<td class="num">${e.cluster.reports}${e.cluster.sources > 1 ? ` <span class="mode">(${e.cluster.sources} src)</span>` : ""}</td>` +
      `<td class="title">${esc(e.article.title || e.article.id)}</td>`;
    tr.addEventListener("click", () => openEvent(e.id, e.article.id));
    tr.addEventListener("keydown", (ev) => { if (ev.key === "Enter") openEvent(e.id, e.article.id); });
    body.appendChild(tr);
  }
  const from = page.total ? page.offset + 1 : 0;
  const to = Math.min(page.offset + page.events.length, page.total);
  $("page-info").textContent = `${fmt.format(from)}–${fmt.format(to)} of ${fmt.format(page.total)}`;
  $("prev").disabled = page.offset <= 0;
  $("next").disabled = page.offset + page.limit >= page.total;
}

// ---------------------------------------------------------------- stats and timeline

let timelineData = [];
let timelineGeom = null;

async function loadStats() {
  const s = await api("stats", "/api/stats?" + filterQuery({ by: "day" }));
  const t = s.totals;
  $("totals").textContent = `${fmt.format(t.events)} events in ${fmt.format(t.clusters)} clusters, ` +
    `from ${fmt.format(t.articles_with_events)} of ${fmt.format(t.articles)} articles`;
  timelineData = s.by_day.filter((d) => d.key).map((d) => ({ day: Date.parse(d.key + "T00:00:00Z"), key: d.key, n: d.n }));
  drawTimeline();
}

function sizeCanvas(c) {
  const r = c.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(r.width * dpr)), h = Math.max(1, Math.round(r.height * dpr));
  if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
  const ctx = c.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w: r.width, h: r.height };
}

let brush = null;

// The days shown: the span holding all but the outlying 1% of dated events at either end (a few
// events dated decades away would otherwise squeeze the rest into one bar), in buckets of one or
// more days so that bars stay at least a few pixels wide.
function timelineWindow(pw) {
  const total = timelineData.reduce((n, d) => n + d.n, 0);
  const cut = Math.floor(total * 0.01);
  let lo = 0, hi = timelineData.length - 1, dropped = 0;
  while (lo < hi && dropped + timelineData[lo].n <= cut) dropped += timelineData[lo++].n;
  let droppedHi = 0;
  while (hi > lo && droppedHi + timelineData[hi].n <= cut) droppedHi += timelineData[hi--].n;
  const d0 = timelineData[lo].day, d1 = timelineData[hi].day;
  const days = Math.round((d1 - d0) / DAY_MS) + 1;
  const bucket = Math.max(1, Math.ceil(days / Math.max(1, pw / 3)));
  return { d0, days, bucket, hidden: dropped + droppedHi };
}

function drawTimeline() {
  const c = $("timeline");
  const { ctx, w, h } = sizeCanvas(c);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 34, r: 8, t: 8, b: 20 };
  if (!timelineData.length) {
    ctx.fillStyle = "#667085"; ctx.font = "12px system-ui";
    ctx.fillText("No dated events.", pad.l, h / 2);
    timelineGeom = null;
    return;
  }
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const win = timelineWindow(pw);
  const n = Math.ceil(win.days / win.bucket);
  const counts = new Array(n).fill(0);
  for (const d of timelineData) {
    const i = Math.floor(Math.round((d.day - win.d0) / DAY_MS) / win.bucket);
    if (i >= 0 && i < n) counts[i] += d.n;
  }
  const max = Math.max(1, ...counts);
  const bw = pw / n;
  timelineGeom = { d0: win.d0, bucket: win.bucket, n, bw, pad, pw, counts };
  ctx.strokeStyle = "#d9dde5"; ctx.beginPath();
  ctx.moveTo(pad.l, pad.t + ph + 0.5); ctx.lineTo(pad.l + pw, pad.t + ph + 0.5); ctx.stroke();
  ctx.fillStyle = "#667085"; ctx.font = "10px system-ui"; ctx.textAlign = "right";
  ctx.fillText(fmt.format(max), pad.l - 4, pad.t + 8);
  ctx.fillText("0", pad.l - 4, pad.t + ph);
  if (brush) {
    const a = Math.min(brush.a, brush.b), b = Math.max(brush.a, brush.b);
    ctx.fillStyle = "rgba(31,95,191,.12)";
    ctx.fillRect(pad.l + a * bw, pad.t, (b - a + 1) * bw, ph);
  }
  ctx.fillStyle = "#1f5fbf";
  counts.forEach((k, i) => {
    if (!k) return;
    const bh = Math.max(1, (k / max) * ph);
    ctx.fillRect(pad.l + i * bw, pad.t + ph - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
  });
  ctx.fillStyle = "#667085"; ctx.textAlign = "center";
  const every = Math.max(1, Math.ceil(n / Math.max(1, pw / 90)));
  for (let i = 0; i < n; i += every) {
    ctx.fillText(bucketStart(i), Math.min(pad.l + pw - 28, Math.max(pad.l + 28, pad.l + (i + 0.5) * bw)), h - 5);
  }
  const unit = win.bucket === 1 ? "day" : `${win.bucket} days`;
  $("timeline-note").textContent = `one bar per ${unit}` +
    (win.hidden ? `; ${fmt.format(win.hidden)} events dated far outside this span are not drawn` : "");
}

function timelineIndex(ev) {
  if (!timelineGeom) return null;
  const r = $("timeline").getBoundingClientRect();
  const x = ev.clientX - r.left - timelineGeom.pad.l;
  const i = Math.floor(x / timelineGeom.bw);
  return Math.max(0, Math.min(timelineGeom.n - 1, i));
}

function bucketStart(i) { return new Date(timelineGeom.d0 + i * timelineGeom.bucket * DAY_MS).toISOString().slice(0, 10); }
function bucketEnd(i) { return new Date(timelineGeom.d0 + ((i + 1) * timelineGeom.bucket - 1) * DAY_MS).toISOString().slice(0, 10); }

function setupTimeline() {
  const c = $("timeline"), tip = $("timeline-tip");
  c.addEventListener("mousedown", (ev) => {
    const i = timelineIndex(ev);
    if (i === null) return;
    brush = { a: i, b: i };
    drawTimeline();
  });
  c.addEventListener("mousemove", (ev) => {
    const i = timelineIndex(ev);
    if (i === null) { tip.hidden = true; return; }
    if (brush && ev.buttons) { brush.b = i; drawTimeline(); }
    const n = timelineGeom.counts[i];
    const span = timelineGeom.bucket === 1 ? bucketStart(i) : `${bucketStart(i)} – ${bucketEnd(i)}`;
    tip.textContent = brush && ev.buttons ? `${bucketStart(Math.min(brush.a, brush.b))} – ${bucketEnd(Math.max(brush.a, brush.b))}` : `${span}: ${fmt.format(n)} events`;
    tip.hidden = false;
    tip.style.left = Math.min(ev.offsetX + 10, c.clientWidth - 160) + "px";
    tip.style.top = "0px";
  });
  c.addEventListener("mouseleave", () => { tip.hidden = true; });
  window.addEventListener("mouseup", () => {
    if (!brush) return;
    const a = Math.min(brush.a, brush.b), b = Math.max(brush.a, brush.b);
    brush = null;
    state.filters.from = bucketStart(a);
    state.filters.to = bucketEnd(b);
    state.offset = 0;
    writeHash();
  });
}

// ---------------------------------------------------------------- map

const LAT_TOP = 84, LAT_BOTTOM = -58;
let basemap = null;
let mapData = { points: [], countries: [] };
let countryCounts = new Map();
const view = { zoom: 1, cx: 0, cy: 0 }; // centre in unzoomed map pixels, relative to the middle
let mapGeom = null;

async function loadBasemap() {
  const r = await fetch("/assets/basemap.json");
  basemap = await r.json();
  const s = basemap.scale;
  for (const c of basemap.countries) {
    c.rings = c.r.map((flat) => {
      const pts = [];
      let x = 0, y = 0;
      for (let i = 0; i < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; pts.push([x / s, y / s]); }
      return pts;
    });
    let minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
    for (const ring of c.rings) for (const [x, y] of ring) {
      minx = Math.min(minx, x); maxx = Math.max(maxx, x); miny = Math.min(miny, y); maxy = Math.max(maxy, y);
    }
    c.bbox = [minx, miny, maxx, maxy];
  }
  drawMap();
}

function cellSize() { return Math.max(0.05, 2 / view.zoom); }

async function loadMap() {
  mapData = await api("map", "/api/map?" + filterQuery({ cell: cellSize().toFixed(3) }));
  countryCounts = new Map(mapData.by_country.map((c) => [c.country, c.n]));
  const geo = mapData.points.reduce((n, p) => n + p.n, 0);
  const byCountry = mapData.countries.reduce((n, p) => n + p.n, 0);
  $("map-note").textContent = `${fmt.format(geo)} geocoded events in ${fmt.format(mapData.points.length)} map cells; ` +
    `${fmt.format(byCountry)} placed by country only (hollow circles); ${fmt.format(mapData.unplaced)} without a place.`;
  drawMap();
}

function project(lon, lat) {
  const { w, h } = mapGeom;
  const x0 = ((lon + 180) / 360) * w, y0 = ((LAT_TOP - lat) / (LAT_TOP - LAT_BOTTOM)) * h;
  return [(x0 - w / 2 - view.cx) * view.zoom + w / 2, (y0 - h / 2 - view.cy) * view.zoom + h / 2];
}

function unproject(px, py) {
  const { w, h } = mapGeom;
  const x0 = (px - w / 2) / view.zoom + w / 2 + view.cx, y0 = (py - h / 2) / view.zoom + h / 2 + view.cy;
  return [(x0 / w) * 360 - 180, LAT_TOP - (y0 / h) * (LAT_TOP - LAT_BOTTOM)];
}

function shade(n, max) {
  if (!n) return "#f4f1ea";
  const t = Math.log(1 + n) / Math.log(1 + max);
  const a = [255, 236, 200], b = [214, 96, 40];
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function drawMap() {
  const c = $("map");
  const { ctx, w, h } = sizeCanvas(c);
  mapGeom = { w, h };
  ctx.clearRect(0, 0, w, h);
  if (!basemap) return;
  const max = Math.max(1, ...countryCounts.values());
  ctx.lineWidth = 0.6;
  ctx.strokeStyle = "#a9b1bf";
  for (const country of basemap.countries) {
    for (const shift of [0, -360]) {
      if (shift && country.bbox[2] <= 180) continue;
      ctx.beginPath();
      for (const ring of country.rings) {
        ring.forEach(([x, y], i) => {
          const [px, py] = project(x + shift, y);
          if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        });
        ctx.closePath();
      }
      ctx.fillStyle = country.selected ? "#9cc3ff" : shade(countryCounts.get(country.a3), max);
      ctx.fill("evenodd");
      ctx.stroke();
    }
  }
  const selected = (state.filters.country || "").toUpperCase();
  for (const country of basemap.countries) country.selected = !!selected && selected.split(",").includes(country.a3);
  // Geocoded cells: filled circles; country-level counts: hollow circles at the country's centre.
  const pmax = Math.max(1, ...mapData.points.map((p) => p.n), ...mapData.countries.map((p) => p.n));
  const radius = (n) => 2.5 + 14 * Math.sqrt(n / pmax);
  const byA3 = new Map(basemap.countries.map((k) => [k.a3, k]));
  ctx.lineWidth = 1.5;
  for (const p of mapData.countries) {
    const k = byA3.get(p.country);
    if (!k) continue;
    const [x, y] = project(k.c[0], k.c[1]);
    ctx.beginPath(); ctx.arc(x, y, radius(p.n), 0, 2 * Math.PI);
    ctx.strokeStyle = "rgba(120,40,140,.85)"; ctx.stroke();
  }
  for (const p of mapData.points) {
    const [x, y] = project(p.lon, p.lat);
    ctx.beginPath(); ctx.arc(x, y, radius(p.n), 0, 2 * Math.PI);
    ctx.fillStyle = "rgba(198,40,40,.55)"; ctx.fill();
    ctx.strokeStyle = "rgba(140,20,20,.9)"; ctx.lineWidth = 0.8; ctx.stroke();
  }
}

function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function countryAt(lon, lat) {
  if (!basemap) return null;
  for (const c of basemap.countries) {
    for (const l of [lon, lon + 360]) {
      const [x0, y0, x1, y1] = c.bbox;
      if (l < x0 || l > x1 || lat < y0 || lat > y1) continue;
      let inside = false;
      for (const ring of c.rings) if (inRing(ring, l, lat)) inside = !inside;
      if (inside) return c;
    }
  }
  return null;
}

function pointAt(px, py) {
  const pmax = Math.max(1, ...mapData.points.map((p) => p.n), ...mapData.countries.map((p) => p.n));
  for (const p of mapData.points) {
    const [x, y] = project(p.lon, p.lat);
    const r = 2.5 + 14 * Math.sqrt(p.n / pmax);
    if ((x - px) ** 2 + (y - py) ** 2 <= r * r) return p;
  }
  return null;
}

let mapReloadTimer = null;
function scheduleMapReload() {
  clearTimeout(mapReloadTimer);
  mapReloadTimer = setTimeout(() => loadMap().catch(showError), 250);
}

function setupMap() {
  const c = $("map"), tip = $("map-tip");
  let drag = null;
  c.addEventListener("mousedown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, cx: view.cx, cy: view.cy, moved: false }; });
  window.addEventListener("mouseup", () => { if (drag) c.classList.remove("dragging"); setTimeout(() => { drag = null; }, 0); });
  c.addEventListener("mousemove", (ev) => {
    if (drag && ev.buttons) {
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; c.classList.add("dragging"); }
      view.cx = drag.cx - dx / view.zoom; view.cy = drag.cy - dy / view.zoom;
      drawMap();
      return;
    }
    const [lon, lat] = unproject(ev.offsetX, ev.offsetY);
    const p = pointAt(ev.offsetX, ev.offsetY);
    const k = countryAt(lon, lat);
    let text = "";
    if (p) text = `${fmt.format(p.n)} events here`;
    else if (k) text = `${k.name}: ${fmt.format(countryCounts.get(k.a3) || 0)} events`;
    tip.hidden = !text;
    tip.textContent = text;
    tip.style.left = Math.min(ev.offsetX + 12, c.clientWidth - 200) + "px";
    tip.style.top = ev.offsetY + 12 + "px";
  });
  c.addEventListener("mouseleave", () => { tip.hidden = true; });
  c.addEventListener("click", (ev) => {
    if (drag && drag.moved) return;
    const [lon, lat] = unproject(ev.offsetX, ev.offsetY);
    const k = countryAt(lon, lat);
    if (!k || !k.a3) return;
    state.filters.country = state.filters.country === k.a3 ? "" : k.a3;
    state.offset = 0;
    writeHash();
  });
  c.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const [lon, lat] = unproject(ev.offsetX, ev.offsetY);
    view.zoom = Math.max(1, Math.min(40, view.zoom * (ev.deltaY < 0 ? 1.25 : 0.8)));
    // Keep the point under the cursor in place.
    const [px, py] = project(lon, lat);
    view.cx += (px - ev.offsetX) / view.zoom; view.cy += (py - ev.offsetY) / view.zoom;
    if (view.zoom === 1) { view.cx = 0; view.cy = 0; }
    drawMap();
    scheduleMapReload();
  }, { passive: false });
  $("map-reset").addEventListener("click", () => { view.zoom = 1; view.cx = 0; view.cy = 0; drawMap(); scheduleMapReload(); });
}

// ---------------------------------------------------------------- article view

// Spans are byte offsets into the UTF-8 text: cut at every span boundary, decode each piece, and
// give it the classes of every span that covers it.
function renderHighlighted(text, spans) {
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  const cuts = new Set([0, n]);
  const clean = [];
  for (const s of spans) {
    const a = Math.max(0, Math.min(n, s.start | 0)), b = Math.max(0, Math.min(n, s.end | 0));
    if (b <= a) continue;
    clean.push({ ...s, start: a, end: b });
    cuts.add(a); cuts.add(b);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const dec = new TextDecoder();
  const frag = document.createDocumentFragment();
  let firstEvidence = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = dec.decode(bytes.subarray(a, b));
    const cover = clean.filter((s) => s.start <= a && s.end >= b);
    if (!cover.length) { frag.appendChild(document.createTextNode(piece)); continue; }
    const el = document.createElement("span");
    el.textContent = piece;
    const titles = [];
    for (const s of cover) {
      for (const c of s.cls.split(" ")) el.classList.add(c);
      if (s.title) titles.push(s.title);
      if (s.event !== undefined) el.dataset.event = s.event;
    }
    if (titles.length) el.title = titles.join(" · ");
    if (!firstEvidence && el.classList.contains("hl-evidence")) firstEvidence = el;
    frag.appendChild(el);
  }
  return { frag, firstEvidence };
}

let current = { article: null, eventId: null, eid: null, detail: null };

async function openEvent(eventId, articleId) {
  try {
    const [detail, article] = await Promise.all([
      api("event", `/api/events/${eventId}`),
      current.article && current.article.id === articleId ? Promise.resolve(current.article)
        : api("article", `/api/articles/${encodeURIComponent(articleId)}`),
    ]);
    const eid = detail.key.slice(detail.article.id.length + 1);
    current = { article, eventId, eid, detail };
    for (const tr of document.querySelectorAll("#events tbody tr")) tr.classList.toggle("selected", tr.dataset.id === String(eventId));
    renderArticle();
  } catch (e) { showError(e); }
}

function renderArticle() {
  const { article: rec, eid, detail } = current;
  const panel = $("article");
  panel.hidden = false;
  $("article-title").textContent = rec.title || rec.id;
  const meta = [rec.source, rec.published, rec.id].filter(Boolean).map(esc).join(" · ");
  $("article-meta").innerHTML = meta + (rec.url ? ` · <a href="${esc(rec.url)}" rel="noopener noreferrer" target="_blank">original</a>` : "");

  const ev = rec.events.find((e) => e.id === eid);
  const d = detail;
  const rows = [
    ["Event", `${esc(d.type)}${d.mode ? " / " + esc(d.mode) : ""}${d.cameo ? ` <span class="code">CAMEO ${esc(d.cameo)}</span>` : ""}`],
    ["ACLED", d.acled ? esc(d.acled.event_type + (d.acled.sub_event_type ? " — " + d.acled.sub_event_type : "")) : "—"],
    ["Who", `${side(d.source) || "—"} → ${side(d.target) || "—"}`],
    ["When", esc(d.date ? `${d.date}${d.date_from === "published" ? " (publication date)" : ""}` : "unknown")],
    ["Where", esc(d.place ? d.place.name : "—") + (d.country ? ` <span class="code">${esc(d.country)}</span>` : "")],
    ["Status", esc(d.status) + ` · confidence ${d.confidence.toFixed(2)}`],
    ["Reports", `${d.cluster.reports} report(s) from ${d.cluster.sources} source(s)`],
  ];
  $("event-summary").innerHTML = `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;

  const spans = [];
  const sentences = rec.sentences || [];
  if (ev) {
    for (const e of ev.evidence?.length ? ev.evidence : [{ sentence: ev.sentence, trigger: ev.trigger.span }]) {
      const s = sentences[e.sentence];
      if (s) spans.push({ start: s.span[0], end: s.span[1], cls: "hl-evidence" });
      spans.push({ start: e.trigger[0], end: e.trigger[1], cls: "hl-trigger selected", title: `trigger of ${ev.type}` });
    }
  }
  for (const other of rec.events) {
    if (other.id === eid) continue;
    spans.push({ start: other.trigger.span[0], end: other.trigger.span[1], cls: "hl-trigger other", title: `trigger of ${other.type}`, event: other.id });
  }
  for (const ent of rec.entities || []) {
    if (!ent.actor) continue;
    for (const m of ent.mentions) spans.push({ start: m[0], end: m[1], cls: "hl-actor", title: `${ent.name} (${ent.actor.code})` });
  }
  for (const p of rec.places || []) {
    for (const m of p.mentions || []) spans.push({ start: m[0], end: m[1], cls: "hl-place", title: p.name + (p.country ? ` (${p.country})` : "") });
  }
  for (const q of rec.quotes || []) {
    if (Array.isArray(q.span)) spans.push({ start: q.span[0], end: q.span[1], cls: "hl-quote", title: q.speaker?.text ? `quote: ${q.speaker.text}` : "quote" });
  }
  const { frag, firstEvidence } = renderHighlighted(rec.text, spans);
  const box = $("article-text");
  box.textContent = "";
  box.appendChild(frag);
  if (firstEvidence) firstEvidence.scrollIntoView({ block: "center" });

  const list = $("article-events");
  list.textContent = "";
  const stored = rec.stored?.events || {};
  for (const e of rec.events) {
    const li = document.createElement("li");
    li.classList.toggle("current", e.id === eid);
    li.textContent = `${e.type}${e.mode ? "/" + e.mode : ""}: ${e.source?.text || "?"} → ${e.target?.text || "—"} (“${e.trigger.text}”, ${e.status})`;
    if (stored[e.id]) li.addEventListener("click", () => openEvent(stored[e.id].id, rec.id));
    list.appendChild(li);
  }

  const reports = $("reports");
  reports.textContent = "";
  const others = new Map();
  for (const x of d.evidence) if (x.event !== d.id && !others.has(x.event)) others.set(x.event, x);
  $("reports-head").hidden = !others.size;
  for (const x of others.values()) {
    const li = document.createElement("li");
    li.textContent = `${x.article.title || x.article.id}${x.article.source ? " — " + x.article.source : ""}: “${x.sentence_text || ""}”`;
    li.addEventListener("click", () => openEvent(x.event, x.article.id));
    reports.appendChild(li);
  }
}

function closeArticle() {
  $("article").hidden = true;
  for (const tr of document.querySelectorAll("#events tbody tr.selected")) tr.classList.remove("selected");
}

// ---------------------------------------------------------------- start

function setup() {
  fillSelect("f-type", PLOVER);
  fillSelect("f-status", STATUSES);
  fillSelect("f-acled", ACLED);
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.filters = readForm();
    state.offset = 0;
    writeHash();
  });
  for (const id of ["f-type", "f-status", "f-acled", "f-group"]) {
    $(id).addEventListener("change", () => $("filters").requestSubmit());
  }
  $("reset").addEventListener("click", () => {
    state.filters = {}; state.offset = 0; state.sort = "date"; state.order = "desc";
    writeHash();
  });
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); writeHash(); });
  $("next").addEventListener("click", () => { state.offset += state.limit; writeHash(); });
  $("page-size").addEventListener("change", (ev) => { state.limit = parseInt(ev.target.value, 10); state.offset = 0; writeHash(); });
  for (const th of document.querySelectorAll("#events th")) {
    th.addEventListener("click", () => {
      const key = th.dataset.sort;
      if (state.sort === key) state.order = state.order === "asc" ? "desc" : "asc";
      else { state.sort = key; state.order = ["date", "reports"].includes(key) ? "desc" : "asc"; }
      state.offset = 0;
      writeHash();
    });
  }
  $("article-close").addEventListener("click", closeArticle);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") closeArticle(); });
  window.addEventListener("hashchange", () => { readHash(); refresh(); });
  let resizeTimer = null;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { drawMap(); drawTimeline(); }, 100); });
  setupMap();
  setupTimeline();
  readHash();
  loadBasemap().catch(showError);
  refresh();
}

document.addEventListener("DOMContentLoaded", setup);
