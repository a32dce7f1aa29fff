#!/usr/bin/env bash
# Query latency of the HTTP API over a store of synthetic events (default 100,000): generates
# kestrel/1 records (made up by this script: random types, actors, places, dates, outlets),
# ingests them with `kestrel ingest --records`, serves the file on 127.0.0.1 and times each query
# shape over one keep-alive connection, printing a table of p50/p90/p99 in milliseconds (client
# wall clock, HTTP included) and the rows each answers. The shapes are every filter and sort key
# of GET /api/events, paging, one row per cluster, /api/stats and /api/map as the dashboard asks
# for them (default view, a filtered view, a zoomed map), one event and one article. Not part of
# the test command.
#
# Usage: bench/store_latency.sh [EVENTS] [REQUESTS-PER-QUERY]
#   REUSE=1            keep an existing records file and database (a database made by an older
#                      kestrel is migrated when the server opens it)
#   KESTREL_BIN=PATH   time this binary instead of building one
#   LABEL=NAME         also write the figures to bench/out/store-latency-NAME.json
#   BASELINE=FILE      compare with such a file: before/after p50 and p99 per shape, and whether
#                      each answer is the same (a fingerprint of the JSON: floats to 6 places,
#                      `ingested_at` left out)
#   SHAPES=REGEX       time only the shapes whose name matches
#   DB=PATH            the database file (default bench/out/store-EVENTS.db)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-100000}
REQS=${2:-300}
OUT=bench/out; mkdir -p "$OUT"
REC="$OUT/store-records-$EVENTS.jsonl"
DB="${DB:-$OUT/store-$EVENTS.db}"
if [ -n "${KESTREL_BIN:-}" ]; then
  BIN="$KESTREL_BIN"
else
  cargo build --release -q -p kestrel-cli
  BIN="${CARGO_TARGET_DIR:-target}/release/kestrel"
fi

[ "${REUSE:-}" = 1 ] && [ -f "$REC" ] || python3 - "$REC" "$EVENTS" <<'PY'
import json, random, sys, hashlib, datetime
out, n_events = sys.argv[1], int(sys.argv[2])
rnd = random.Random(8)
types = [("PROTEST", 20, "demo"), ("ASSAULT", 14, "firearms"), ("CONSULT", 12, None), ("ACCUSE", 10, None),
         ("COERCE", 8, "arrest"), ("REQUEST", 7, None), ("SUPPORT", 6, None), ("AGREE", 5, None),
         ("THREATEN", 4, None), ("REJECT", 3, None), ("COOPERATE", 3, None), ("AID", 2, None),
         ("SANCTION", 2, None), ("MOBILIZE", 2, None), ("RETREAT", 1, None), ("CONCEDE", 1, None)]
weights = [w for _, w, _ in types]
statuses = ["occurred"] * 8 + ["ongoing", "planned", "negated", "reported_claim"]
countries = [("IRQ", "IQ", 33.3, 44.4), ("USA", "US", 38.9, -77.0), ("KEN", "KE", -1.3, 36.8),
             ("NGA", "NG", 9.1, 7.5), ("IND", "IN", 28.6, 77.2), ("BRA", "BR", -15.8, -47.9),
             ("FRA", "FR", 48.9, 2.35), ("UKR", "UA", 50.45, 30.5), ("PAK", "PK", 33.7, 73.0),
             ("MEX", "MX", 19.4, -99.1), ("PHL", "PH", 14.6, 121.0), ("TUR", "TR", 39.9, 32.9),
             ("ETH", "ET", 9.0, 38.7), ("COL", "CO", 4.7, -74.1), ("IDN", "ID", -6.2, 106.8),
             ("EGY", "EG", 30.0, 31.2), ("GBR", "GB", 51.5, -0.13), ("SDN", "SD", 15.6, 32.5)]
roles = ["GOV", "MIL", "COP", "CVL", "OPP", "REB", "LAB", "EDU", "MED", "LEG", "JUD", "BUS"]
words = ("officials said the situation remained tense as crowds gathered near the ministry while "
         "police closed several roads and witnesses described the scene to reporters").split()
cities = []
for c in countries:
    for k in range(12):
        cities.append((f"{c[0].title()} City {k}", c[1], c[2] + rnd.uniform(-4, 4), c[3] + rnd.uniform(-4, 4), c[0]))
outlets = [f"Outlet {k}" for k in range(60)]
start = datetime.date(2022, 1, 1)
n_articles = (n_events + 3) // 4
with open(out, "w") as f:
    ev_left = n_events
    for a in range(n_articles):
        day = start + datetime.timedelta(days=rnd.randrange(730))
        k = min(4, ev_left)
        ev_left -= k
        sents, events, entities, places = [], [], [], []
        pos = 0
        text = ""
        for i in range(k):
            t, _, mode = rnd.choices(types, weights)[0]
            city = rnd.choice(cities)
            src = f"{city[4]}{rnd.choice(roles)}"
            tgt = f"{rnd.choice(countries)[0]}{rnd.choice(roles)}" if rnd.random() < 0.5 else None
            trig = t.lower()
            filler = " ".join(rnd.choice(words) for _ in range(12))
            s = f"The {src} group staged a {trig} in {city[0]} on {day.isoformat()}, {filler}."
            if text:
                text += " "
            a0 = len(text.encode())
            text += s
            a1 = len(text.encode())
            sents.append({"span": [a0, a1], "block": 0})
            t0 = a0 + len(f"The {src} group staged a ".encode())
            p0 = t0 + len(f"{trig} in ".encode())
            e_id, p_id = f"e{len(entities)+1}", f"p{len(places)+1}"
            entities.append({"id": e_id, "key": f"{src.lower()}@{src[:3]}", "name": f"{src} group",
                             "kind": "group", "actor": {"code": src, "country": src[:3], "roles": [src[3:]]},
                             "descriptions": [], "mentions": [[a0 + 4, a0 + 4 + len(src)]]})
            lat, lon = city[2] + rnd.uniform(-0.05, 0.05), city[3] + rnd.uniform(-0.05, 0.05)
            places.append({"id": p_id, "name": city[0], "geonameid": None, "country": city[1], "admin1": None,
                           "lat": round(lat, 4), "lon": round(lon, 4), "feature": "PPL",
                           "mentions": [[p0, p0 + len(city[0])]], "precision": 1})
            events.append({
                "id": f"v{i+1}", "type": t, "mode": mode, "context": [], "cameo": "010",
                "acled": {"event_type": "Protests", "sub_event_type": "Peaceful protest"} if t == "PROTEST" else None,
                "source": {"entity": e_id, "text": f"{src} group", "code": src, "members": []},
                "target": {"entity": None, "text": tgt, "code": tgt, "members": []} if tgt else None,
                "date": {"value": (day - datetime.timedelta(days=rnd.randrange(2))).isoformat(),
                         "precision": "day", "end": None, "text": None},
                "place": {"place": p_id, "text": city[0]},
                "participants": None, "fatalities": None, "injuries": None, "arrests": None,
                "status": rnd.choice(statuses),
                "trigger": {"text": trig, "span": [t0, t0 + len(trig)]},
                "sentence": i, "evidence": [{"sentence": i, "trigger": [t0, t0 + len(trig)]}],
                "confidence": round(rnd.uniform(0.3, 1.0), 2)})
        rec = {"schema": "kestrel/1", "id": f"syn-{a}", "hash": hashlib.sha256(f"{a}:{text}".encode()).hexdigest(),
               "provenance": {"kestrel": "bench", "lexicon": "bench"},
               "url": f"https://outlet.example/{a}", "source": rnd.choice(outlets),
               "title": f"Synthetic report {a}", "published": day.isoformat(), "published_from": "input",
               "dateline": None, "text": text, "repairs": [],
               "blocks": [{"span": [0, len(text.encode())], "kind": "body"}], "sentences": sents,
               "entities": entities, "places": places, "events": events, "quotes": []}
        f.write(json.dumps(rec) + "\n")
print(f"{out}: {n_articles} articles, {n_events} events")
PY

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [ "${REUSE:-}" = 1 ] && [ -f "$DB" ]; then
  echo "reusing $DB (REUSE=1)"
else
  rm -f "$DB" "$DB-wal" "$DB-shm"
  /usr/bin/time -f "ingest: wall %e s, user %U s, peak RSS %M KB" "$BIN" ingest --records --db "$DB" "$REC"
fi
ls -l "$DB" | awk '{printf "database: %.1f MB\n", $5/1e6}'

"$BIN" serve --read-only --db "$DB" --addr 127.0.0.1:0 >"$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 1 100); do
  URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT/serve.log" | head -n 1 || true)"
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$OUT/serve.log"; exit 1; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$URL" "$REQS" "${LABEL:-}" "${BASELINE:-}" "${SHAPES:-}" <<'PY'
import hashlib, http.client, json, re, sys, time, urllib.parse
url, reqs = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2])
label, baseline, only = sys.argv[3], sys.argv[4], sys.argv[5]
conn = http.client.HTTPConnection(url.hostname, url.port)
def get(path):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit(f"{path}: {r.status} {body[:200]}")
    return body

# A cluster with several reports, for the cluster filter.
top = json.loads(get("/api/events?sort=reports&limit=1"))["events"][0]
cluster = top["cluster"]["id"]
# The dashboard asks with these parameters (app.js: filterQuery and cellSize()).
page = "sort=date&order=desc&offset=0&limit=50"
view = "type=PROTEST&country=IQ"
shapes = [
    ("dashboard: events, default view", f"/api/events?{page}"),
    ("dashboard: timeline (stats by day)", "/api/stats?by=day"),
    ("dashboard: map points (cell 2)", "/api/map?cell=2.000"),
    ("dashboard: map points zoomed (cell 0.262)", "/api/map?cell=0.262"),
    ("dashboard: events, type+country", f"/api/events?{view}&{page}"),
    ("dashboard: timeline, type+country", f"/api/stats?{view}&by=day"),
    ("dashboard: map, type+country", f"/api/map?{view}&cell=2.000"),
    ("filtered page (type+date range, newest first)", "/api/events?type=PROTEST&from=2023-01-01&to=2023-06-30&limit=50"),
    ("filtered page (date range only)", "/api/events?from=2023-03-01&to=2023-03-31&limit=50"),
    ("filtered page (country+status)", "/api/events?country=KE&status=occurred&limit=50"),
    ("filtered page (status, rare)", "/api/events?status=planned&limit=50"),
    ("filtered page (mode)", "/api/events?mode=arrest&limit=50"),
    ("filtered page (acled type)", "/api/events?acled=Protests&limit=50"),
    ("filtered page (actor code prefix)", "/api/events?actor=IRQCVL&limit=50"),
    ("filtered page (actor code, country prefix)", "/api/events?actor=IRQ&limit=50"),
    ("filtered page (actor name words)", "/api/events?actor=kencop%20group&limit=50"),
    ("filtered page (place prefix)", "/api/events?place=nga%20city&limit=50"),
    ("filtered page (place prefix, one place)", "/api/events?place=ken%20city%207&limit=50"),
    ("filtered page (full text, selective)", "/api/events?q=KENLAB&limit=50"),
    ("filtered page (full text, most articles match)", "/api/events?q=ministry%20tense&type=ASSAULT&limit=50"),
    ("filtered page (full text only, broad)", "/api/events?q=ministry&limit=50"),
    ("filtered page (full text prefix)", "/api/events?q=minis*&country=FR&limit=50"),
    ("filtered page (article)", "/api/events?article=syn-4242"),
    ("filtered page (cluster)", f"/api/events?cluster={cluster}"),
    ("filtered page (every filter)", "/api/events?type=PROTEST&mode=demo&acled=Protests&actor=KEN&country=KE"
        "&place=ken&from=2022-01-01&to=2023-12-31&status=occurred&q=police&limit=50"),
    ("unfiltered page 1", "/api/events?limit=50"),
    ("unfiltered page, oldest first", "/api/events?order=asc&limit=50"),
    ("deep page (offset 90000)", "/api/events?offset=90000&limit=50"),
    ("page of 500", "/api/events?type=ASSAULT&limit=500"),
    ("one row per cluster", "/api/events?group=clusters&limit=50"),
    ("one row per cluster, type+country", "/api/events?group=clusters&type=PROTEST&country=IQ&limit=50"),
    ("sorted by reports", "/api/events?type=PROTEST&sort=reports&limit=50"),
    ("sorted by reports, unfiltered", "/api/events?sort=reports&limit=50"),
    ("sorted by confidence, country", "/api/events?country=NG&sort=confidence&limit=50"),
]
for key in ["type", "country", "place", "status", "confidence", "source", "target", "article", "id"]:
    shapes.append((f"sorted by {key}, unfiltered", f"/api/events?sort={key}&limit=50"))
    # The other direction too (sort=-KEY flips the default: names A-Z, numbers largest first).
    flipped = "desc" if key in ["type", "country", "place", "status", "source", "target", "article"] else "asc"
    shapes.append((f"sorted by {key}, unfiltered, {flipped}", f"/api/events?sort={key}&order={flipped}&limit=50"))
shapes.append(("sorted by reports, ascending", "/api/events?sort=reports&order=asc&limit=50"))
shapes += [
    ("stats, every dimension", "/api/stats"),
    ("stats, every dimension, type+country", f"/api/stats?{view}"),
    ("stats by day, full text", "/api/stats?q=KENLAB&by=day"),
    ("map, full text", "/api/map?q=ministry%20tense&type=ASSAULT&cell=2.000"),
    ("event with evidence", "/api/events/4242"),
    ("event of a large cluster", f"/api/events/{top['id']}"),
    ("article", "/api/articles/syn-1000"),
]
if only:
    shapes = [s for s in shapes if re.search(only, s[0])]

def rounded(v):
    # The fingerprint's view of an answer: floats to 6 places, the time of ingest left out.
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, list):
        return [rounded(x) for x in v]
    if isinstance(v, dict):
        return {k: rounded(x) for k, x in v.items() if k != "ingested_at"}
    return v

def rows_of(v):
    if not isinstance(v, dict):
        return "-"
    if "total" in v:
        return v["total"]
    if "totals" in v:
        return v["totals"]["events"]
    if "points" in v:
        return len(v["points"])
    return 1

total = json.loads(get("/api/stats?by=type"))["totals"]
print(f"store: {total['events']} events, {total['clusters']} clusters, {total['articles']} articles; "
      f"{reqs} requests per shape after 5 warm-up requests")
print(f"{'query':52} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'rows':>7}")
results = {}
for name, path in shapes:
    for _ in range(5):
        body = get(path)
    times = []
    for _ in range(reqs):
        t = time.perf_counter()
        get(path)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(p / 100 * len(times)))]
    v = json.loads(body)
    fp = hashlib.sha256(json.dumps(rounded(v), sort_keys=True).encode()).hexdigest()[:16]
    results[name] = {"path": path, "p50": pct(50), "p90": pct(90), "p99": pct(99), "rows": rows_of(v), "fp": fp}
    print(f"{name:52} {pct(50):8.2f} {pct(90):8.2f} {pct(99):8.2f} {rows_of(v):>7}", flush=True)
if label:
    out = f"bench/out/store-latency-{label}.json"
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"figures written to {out}")
if baseline:
    base = json.load(open(baseline))
    print(f"\ncompared with {baseline} (p50 / p99 in ms; 'same' = the same answer)")
    print(f"{'query':52} {'before p50':>10} {'p99':>8} {'after p50':>10} {'p99':>8} {'answer':>7}")
    for name, r in results.items():
        b = base.get(name)
        if not b:
            print(f"{name:52} {'-':>10} {'-':>8} {r['p50']:10.2f} {r['p99']:8.2f} {'new':>7}")
            continue
        same = "same" if b["fp"] == r["fp"] else "DIFFERS"
        print(f"{name:52} {b['p50']:10.2f} {b['p99']:8.2f} {r['p50']:10.2f} {r['p99']:8.2f} {same:>7}")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
