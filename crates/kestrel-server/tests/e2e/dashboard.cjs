// The dashboard in headless Chromium: load, filter to PROTEST, open an event's article, check the
// highlighted evidence against the API, save screenshots. Run by run.sh (which sets BASE_URL,
// CHROMIUM, OUT_DIR, NODE_PATH and, when the seed article was ingested, SEED=yes).
"use strict";

const { chromium } = require("playwright-core");
const path = require("node:path");

const BASE = process.env.BASE_URL;
const OUT = process.env.OUT_DIR;
const failures = [];
let checks = 0;

function check(ok, what) {
  checks++;
  if (ok) console.log(`  ok   ${what}`);
  else { console.log(`  FAIL ${what}`); failures.push(what); }
}

async function rows(page) {
  return page.$$eval("#events tbody tr[data-id]", (trs) => trs.map((tr) => ({ id: tr.dataset.id, type: tr.dataset.type })));
}

// Open the article of the first row and check its highlights against /api/events/{id}.
async function openFirstAndCheck(page, label, expectTrigger) {
  const first = (await rows(page))[0];
  await page.click(`#events tbody tr[data-id="${first.id}"]`);
  await page.waitForSelector("#article:not([hidden]) .hl-trigger.selected", { timeout: 15000 });
  const ev = await page.evaluate(async (id) => (await fetch(`/api/events/${id}`)).json(), first.id);
  const seen = await page.evaluate(() => {
    const text = (sel) => [...document.querySelectorAll(`#article-text ${sel}`)].map((e) => e.textContent);
    return {
      trigger: text(".hl-trigger.selected").join(""),
      evidence: text(".hl-evidence").join(""),
      actors: text(".hl-actor"),
      title: document.querySelector("#article-title").textContent,
      evidenceVisible: (() => {
        const el = document.querySelector("#article-text .hl-evidence");
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
      })(),
    };
  });
  check(seen.title === (ev.article.title || ev.article.id), `${label}: the article view shows "${seen.title}"`);
  check(seen.trigger.includes(ev.record.trigger.text), `${label}: trigger "${ev.record.trigger.text}" highlighted (got "${seen.trigger}")`);
  if (expectTrigger) check(seen.trigger.includes(expectTrigger), `${label}: the trigger is "${expectTrigger}"`);
  check(!!ev.sentence_text && seen.evidence.includes(ev.sentence_text), `${label}: the evidence sentence is highlighted`);
  check(seen.evidenceVisible, `${label}: the evidence sentence is scrolled into view`);
  check(seen.actors.length > 0, `${label}: actors highlighted (${seen.actors.slice(0, 4).join(", ")})`);
  if (ev.source && ev.source.text) {
    check(seen.actors.some((a) => ev.source.text.includes(a) || a.includes(ev.source.text)),
      `${label}: the source actor "${ev.source.text}" is among the highlighted actors`);
  }
  return ev;
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  try {
    console.log(`e2e: ${BASE}`);
    await page.goto(BASE, { waitUntil: "load" });
    await page.waitForSelector("#events tbody tr[data-id]", { timeout: 20000 });
    const all = await rows(page);
    check(all.length > 0, `the table lists events (${all.length} rows)`);
    const totals = await page.textContent("#totals");
    check(/\d+ events in \d+ clusters/.test(totals), `the totals read "${totals}"`);
    const mapInk = await page.evaluate(() => {
      const c = document.getElementById("map");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let marked = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 120) marked++; // event marks and shaded countries
      return { w: c.width, marked };
    });
    check(mapInk.w > 300 && mapInk.marked > 50, `the map is drawn with events on it (${mapInk.marked} marked pixels)`);
    const bars = await page.evaluate(() => {
      const c = document.getElementById("timeline");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 150 && d[i] < 80) blue++;
      return blue;
    });
    check(bars > 0, `the timeline has bars (${bars} bar pixels)`);

    // Filter to PROTEST with the type menu.
    await page.selectOption("#f-type", "PROTEST");
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll("#events tbody tr[data-id]")];
      return trs.length > 0 && trs.every((tr) => tr.dataset.type === "PROTEST");
    }, null, { timeout: 15000 });
    const protests = await rows(page);
    check(protests.length > 0 && protests.every((r) => r.type === "PROTEST"), `the filter leaves only PROTEST rows (${protests.length})`);
    check(page.url().includes("type=PROTEST"), "the filter is in the address");
    const info = await page.textContent("#page-info");
    const api = await page.evaluate(async () => (await fetch("/api/events?type=PROTEST&limit=1")).json());
    check(info.endsWith(`of ${api.total}`), `the pager agrees with the API ("${info}", ${api.total} PROTEST events)`);
    await page.screenshot({ path: path.join(OUT, "dashboard.png") });

    await openFirstAndCheck(page, "first PROTEST");
    const legend = await page.evaluate(() => {
      const style = (cls) => {
        const s = getComputedStyle(document.querySelector(`.legend .${cls}`));
        return `${s.color}|${s.backgroundColor}|${s.borderBottomColor}|${s.fontStyle}`;
      };
      return ["hl-actor", "hl-trigger", "hl-place", "hl-quote", "hl-evidence"].map(style);
    });
    check(new Set(legend).size === legend.length, "actors, triggers, places, quotes and evidence have distinct styles");
    await page.screenshot({ path: path.join(OUT, "article.png") });

    if (process.env.SEED === "yes") {
      // The founding example: the Baghdad rally of 24 January 2020, found by its words.
      await page.keyboard.press("Escape");
      await page.fill("#f-q", "Baghdad rally");
      await page.click("#apply");
      await page.waitForFunction(() => location.hash.includes("q=Baghdad"), null, { timeout: 10000 });
      await page.waitForFunction(() => [...document.querySelectorAll("#events tbody tr[data-id]")].length > 0, null, { timeout: 15000 });
      await page.click("th[data-sort=\"article\"]");
      await page.waitForFunction(() => location.hash.includes("sort=article"), null, { timeout: 10000 });
      const ev = await page.evaluate(async () => {
        const r = await (await fetch("/api/events?type=PROTEST&q=Baghdad%20rally&limit=100")).json();
        return r.events.find((e) => e.trigger === "rally") || null;
      });
      check(!!ev, "the seed's Baghdad rally is a PROTEST event with trigger \"rally\"");
      if (ev) {
        await page.evaluate(() => document.querySelector("#article").hidden = true);
        await page.waitForSelector(`#events tbody tr[data-id="${ev.id}"]`, { timeout: 10000 });
        await page.click(`#events tbody tr[data-id="${ev.id}"]`);
        await page.waitForFunction((id) => document.querySelector("#events tbody tr.selected")?.dataset.id === String(id), ev.id, { timeout: 10000 });
        await page.waitForSelector("#article:not([hidden]) .hl-trigger.selected");
        const trig = await page.$$eval("#article-text .hl-trigger.selected", (els) => els.map((e) => e.textContent).join(" "));
        check(trig.includes("rally"), `the rally's trigger is highlighted ("${trig}")`);
        const sent = await page.$$eval("#article-text .hl-evidence", (els) => els.map((e) => e.textContent).join(""));
        check(sent.includes(ev.sentence_text), "the rally's sentence is highlighted");
        await page.screenshot({ path: path.join(OUT, "baghdad-rally.png") });
      }
    }
    check(errors.length === 0, `no page errors or failed requests${errors.length ? ": " + errors.join("; ") : ""}`);
  } catch (e) {
    failures.push(String(e && e.stack || e));
    await page.screenshot({ path: path.join(OUT, "failure.png") }).catch(() => {});
  } finally {
    await browser.close();
  }
  const passed = checks - failures.filter((f) => !f.includes("\n")).length;
  console.log(`${passed} passed, ${failures.length} failed`);
  if (failures.length) {
    for (const f of failures) console.log(`e2e: FAILED: ${f}`);
    process.exit(1);
  }
  console.log(`e2e: screenshots in ${OUT}/dashboard.png, ${OUT}/article.png`);
})();
