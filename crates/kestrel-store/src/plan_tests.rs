//! The query plans never change an answer. Every filter, order, count, stats and map point is
//! compared with the SQL the store answered them with before it planned its queries (kept here
//! as the reference), under the real limits and under tiny ones that send full-text and actor
//! searches down their broad paths (and name searches past the word index) with little data.

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use crate::query::{self, Dimension, EventFilter, Limits, Sort, SortKey, TEST_LIMITS};
use crate::{normalise_name, Store};
use fixtures::{article, Ev};
use kestrel::model::Record;
use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::{json, Value};

const REAL: Limits = Limits {
    broad_text_articles: 500,
    broad_actor_entries: 2000,
    name_word_index_limit: 20_000,
};
/// Every set broad; common name words looked for without the word index.
const TINY: Limits = Limits {
    broad_text_articles: 3,
    broad_actor_entries: 5,
    name_word_index_limit: 12,
};
/// Every set broad, name words always from the word index.
const BROAD_INDEXED: Limits = Limits {
    broad_text_articles: 3,
    broad_actor_entries: 5,
    name_word_index_limit: i64::MAX,
};

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A small corpus with a bit of everything: several types, statuses, modes, places (geocoded
/// on both sides of the equator and the meridian, named only, none), dated and undated events,
/// actors with codes and multi-word names, common and rare words.
fn corpus() -> Vec<Record> {
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % n as u64) as usize
    };
    let kinds = [
        ("PROTEST", "marched", Some("demo")),
        ("ASSAULT", "attacked", None),
        ("CONSULT", "met", None),
        ("COERCE", "arrested", Some("arrest")),
    ];
    let places: [Option<(&str, f64, f64, &str)>; 7] = [
        Some(("Baghdad", 33.34, 44.40, "IQ")),
        Some(("Basra", 30.51, 47.78, "IQ")),
        Some(("Nairobi", -1.29, 36.82, "KE")),
        Some(("São Paulo", -23.55, -46.63, "BR")),
        Some(("Lima", -12.05, -77.04, "PE")),
        Some(("Tahrir Square", f64::NAN, f64::NAN, "")),
        None,
    ];
    let actors = [
        ("Iraqi students", "IRQEDU"),
        ("The riot police", "IRQCOP"),
        ("Protesters", "IRQCVL"),
        ("Kenyan teachers", "KENEDU"),
        ("Brazilian police officers", "BRACOP"),
        ("Union leaders", "BRALAB"),
        ("Peruvian officials", "PERGOV"),
    ];
    let statuses = ["occurred", "occurred", "planned", "negated"];
    let sources = [Some("Wire One"), Some("Daily Two"), None];
    let mut out = Vec::new();
    for a in 0..90 {
        let day = 1 + next(40);
        let published = (next(6) != 0).then(|| leak(format!("2021-03-{:02}", 1 + day % 28)));
        let n = 1 + next(3);
        let mut sentences = Vec::new();
        let mut events = Vec::new();
        for i in 0..n {
            let (kind, trigger, mode) = kinds[next(kinds.len())];
            let src = actors[next(actors.len())];
            let tgt = (next(2) == 0).then(|| actors[next(actors.len())]);
            let place = places[next(places.len())];
            let mut s = format!("{} {trigger}", src.0);
            if let Some(p) = place {
                s.push_str(&format!(" in {}", p.0));
            }
            if let Some(t) = tgt {
                s.push_str(&format!(" with {}", t.0));
            }
            match next(10) {
                0 => s.push_str(" despite the curfew."),
                1..=6 => s.push_str(" near the ministry."),
                _ => s.push_str(" on the day."),
            }
            sentences.push(s);
            let mut ev = Ev::new(kind, trigger, i).by(src.0, src.1);
            ev.status = statuses[next(statuses.len())];
            ev.mode = mode;
            if let Some(t) = tgt {
                ev = ev.against(t.0, t.1);
            }
            if let Some(p) = place {
                // Spread around the place, over a few map tiles and across cell boundaries.
                let jitter =
                    |next: &mut dyn FnMut(usize) -> usize| (next(41) as f64 - 20.0) * 0.0013;
                let (lat, lon) = (p.1 + jitter(&mut next), p.2 + jitter(&mut next));
                ev = ev.at(p.0, lat, lon, p.3);
            }
            if next(5) != 0 {
                ev = ev.date(leak(format!("2021-03-{:02}", 1 + (day + next(3)) % 28)));
            }
            events.push(ev);
        }
        // Distinct texts: the store takes the same text twice as one article.
        sentences.push(format!("Report number {a}."));
        let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
        let source = sources[next(sources.len())];
        out.push(article(
            &format!("a-{:03}", (a * 37) % 90),
            source,
            published,
            &sentences,
            &events,
        ));
    }
    out
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    store.ingest(&corpus()).unwrap();
    (dir, store)
}

/// The filter as SQL, exactly as the store wrote it before it planned queries.
fn reference_clause(f: &EventFilter) -> (String, Vec<Sql>) {
    let mut sql = String::new();
    let mut params: Vec<Sql> = Vec::new();
    let mut any_of = |sql: &mut String, col: &str, vals: &[String]| {
        if !vals.is_empty() {
            sql.push_str(&format!(
                " AND {col} IN ({})",
                vec!["?"; vals.len()].join(", ")
            ));
            params.extend(vals.iter().map(|v| Sql::Text(v.clone())));
        }
    };
    any_of(&mut sql, "e.type", &f.types);
    any_of(&mut sql, "e.mode", &f.modes);
    any_of(&mut sql, "e.acled_type", &f.acled_types);
    any_of(&mut sql, "e.country", &f.countries);
    any_of(&mut sql, "e.status", &f.statuses);
    if let Some(d) = f.day_from {
        sql.push_str(" AND e.day >= ?");
        params.push(Sql::Integer(d));
    }
    if let Some(d) = f.day_to {
        sql.push_str(" AND e.day <= ?");
        params.push(Sql::Integer(d));
    }
    if let Some(p) = &f.place {
        sql.push_str(" AND e.place_norm GLOB ?");
        params.push(Sql::Text(format!("{}*", normalise_name(p))));
    }
    if let Some(a) = &f.actor {
        let a = a.trim();
        if a.len() >= 3 && a.bytes().all(|b| b.is_ascii_uppercase() || b == b'-') {
            sql.push_str(" AND e.row IN (SELECT event_row FROM event_actors WHERE code GLOB ?)");
            params.push(Sql::Text(format!("{a}*")));
        } else {
            sql.push_str(" AND e.row IN (SELECT event_row FROM event_actors WHERE 1");
            for w in normalise_name(a).split(' ') {
                sql.push_str(" AND (' ' || name_norm) GLOB ?");
                params.push(Sql::Text(format!("* {w}*")));
            }
            sql.push(')');
        }
    }
    if let Some(q) = &f.text {
        sql.push_str(
            " AND e.article_row IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)",
        );
        params.push(Sql::Text(query::fts_query(q).unwrap()));
    }
    if let Some(id) = &f.article {
        sql.push_str(" AND e.article_row = (SELECT row FROM articles WHERE id = ?)");
        params.push(Sql::Text(id.clone()));
    }
    if let Some(c) = f.cluster {
        sql.push_str(" AND e.cluster = ?");
        params.push(Sql::Integer(c));
    }
    if f.clusters_only {
        sql.push_str(" AND e.rep = 1");
    }
    (sql, params)
}

fn reference_order(sort: Sort) -> String {
    let dir = if sort.descending { "DESC" } else { "ASC" };
    let col = match sort.key {
        SortKey::Date => return format!("e.day {dir}, e.row {dir}"),
        SortKey::Id => return format!("e.row {dir}"),
        SortKey::Type => "e.type",
        SortKey::Country => "e.country",
        SortKey::Place => "e.place_norm",
        SortKey::Status => "e.status",
        SortKey::Confidence => "e.confidence",
        SortKey::Reports => "e.reports",
        SortKey::Source => "e.source_text COLLATE NOCASE",
        SortKey::Target => "e.target_text COLLATE NOCASE",
        SortKey::Article => "a.id",
    };
    format!("{col} {dir}, e.day DESC, e.row DESC")
}

/// Every event of a filter, in order, as the reference SQL lists them.
fn reference_list(c: &Connection, f: &EventFilter, sort: Sort) -> Vec<i64> {
    let (sql, params) = reference_clause(f);
    let sql = format!(
        "SELECT e.row FROM events e JOIN articles a ON a.row = e.article_row WHERE 1{sql}
         ORDER BY {}",
        reference_order(sort)
    );
    let mut stmt = c.prepare(&sql).unwrap();
    let rows = stmt
        .query_map(params_from_iter(params), |r| r.get(0))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// Every event of a filter, in order, page by page through the store's query.
fn listed(c: &Connection, f: &EventFilter, sort: Sort) -> Vec<i64> {
    let mut out = Vec::new();
    loop {
        let page = query::list_events(c, f, sort, out.len() as i64, 25).unwrap();
        let n = page.events.len();
        out.extend(page.events.into_iter().map(|e| e.id));
        assert_eq!(page.total, query::count_events(c, f).unwrap());
        if n < 25 {
            assert_eq!(page.total as usize, out.len(), "{f:?} {sort:?}");
            return out;
        }
    }
}

/// The stats as the reference SQL computed them: totals (events, clusters, articles with
/// events) and the counts by each dimension.
fn reference_stats(c: &Connection, f: &EventFilter, dims: &[Dimension]) -> Value {
    let (sql, params) = reference_clause(f);
    let (events, clusters, articles): (i64, i64, i64) = c
        .query_row(
            &format!(
                "SELECT count(*), count(DISTINCT e.cluster), count(DISTINCT e.article_row)
                 FROM events e WHERE 1{sql}"
            ),
            params_from_iter(params.iter()),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mut out = vec![json!([events, clusters, articles])];
    for d in dims {
        let col = match d {
            Dimension::Type => "e.type",
            Dimension::Country => "e.country",
            Dimension::Day => "e.day",
            Dimension::Status => "e.status",
            Dimension::Acled => "e.acled_type",
            Dimension::Mode => "e.mode",
        };
        let order = if *d == Dimension::Day {
            format!("{col} ASC")
        } else {
            format!("count(*) DESC, {col} ASC")
        };
        let mut stmt = c
            .prepare(&format!(
                "SELECT {col}, count(*) FROM events e WHERE 1{sql} GROUP BY {col} ORDER BY {order}"
            ))
            .unwrap();
        let rows: Vec<Value> = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                let key = match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Integer(n) => json!(crate::day_string(n)),
                    rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                    _ => Value::Null,
                };
                Ok(json!({"key": key, "n": r.get::<_, i64>(1)?}))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.push(Value::Array(rows));
    }
    Value::Array(out)
}

fn stats_as_reference(s: &Value, dims: &[Dimension]) -> Value {
    let t = &s["totals"];
    let mut out = vec![json!([
        t["events"],
        t["clusters"],
        t["articles_with_events"]
    ])];
    for d in dims {
        let name = match d {
            Dimension::Type => "by_type",
            Dimension::Country => "by_country",
            Dimension::Day => "by_day",
            Dimension::Status => "by_status",
            Dimension::Acled => "by_acled",
            Dimension::Mode => "by_mode",
        };
        out.push(s[name].clone());
    }
    Value::Array(out)
}

const DIMS: [Dimension; 6] = [
    Dimension::Type,
    Dimension::Country,
    Dimension::Day,
    Dimension::Status,
    Dimension::Acled,
    Dimension::Mode,
];

/// The map as the reference SQL computed it: points as (n, lat, lon) most first, then the
/// country lists and the unplaced count.
#[allow(clippy::type_complexity)]
fn reference_map(
    c: &Connection,
    f: &EventFilter,
    cell: f64,
) -> (
    Vec<(i64, f64, f64)>,
    Vec<(String, i64)>,
    Vec<(String, i64)>,
    i64,
) {
    let (sql, params) = reference_clause(f);
    let mut all = vec![Sql::Real(cell)];
    all.extend(params.iter().cloned());
    let mut stmt = c
        .prepare(&format!(
            "SELECT avg(e.lat), avg(e.lon), count(*),
                CAST(e.lat / ?1 AS INTEGER) - (e.lat / ?1 < CAST(e.lat / ?1 AS INTEGER)) AS gy,
                CAST(e.lon / ?1 AS INTEGER) - (e.lon / ?1 < CAST(e.lon / ?1 AS INTEGER)) AS gx
             FROM events e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL{sql}
             GROUP BY gy, gx ORDER BY count(*) DESC LIMIT 20000"
        ))
        .unwrap();
    let points = stmt
        .query_map(params_from_iter(all), |r| {
            Ok((r.get(2)?, r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let countries = |cond: &str| -> Vec<(String, i64)> {
        let mut stmt = c
            .prepare(&format!(
                "SELECT e.country, count(*) FROM events e WHERE {cond}{sql}
                 GROUP BY e.country ORDER BY count(*) DESC"
            ))
            .unwrap();
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    let unplaced = c
        .query_row(
            &format!(
                "SELECT count(*) FROM events e WHERE (e.lat IS NULL OR e.lon IS NULL)
                 AND e.country IS NULL{sql}"
            ),
            params_from_iter(params.iter()),
            |r| r.get(0),
        )
        .unwrap();
    (
        points,
        countries("(e.lat IS NULL OR e.lon IS NULL) AND e.country IS NOT NULL"),
        countries("e.country IS NOT NULL"),
        unplaced,
    )
}

fn filters(c: &Connection) -> Vec<EventFilter> {
    let day = |d| crate::day_number(d);
    let big_cluster: i64 = c
        .query_row(
            "SELECT id FROM clusters ORDER BY n_events DESC, id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let f = EventFilter::default;
    let mut out = vec![
        f(),
        EventFilter {
            types: s(&["PROTEST"]),
            ..f()
        },
        EventFilter {
            types: s(&["PROTEST", "COERCE"]),
            statuses: s(&["occurred"]),
            ..f()
        },
        EventFilter {
            countries: s(&["IRQ"]),
            ..f()
        },
        EventFilter {
            countries: s(&["KEN", "BRA"]),
            modes: s(&["demo"]),
            ..f()
        },
        EventFilter {
            acled_types: s(&["Protests"]),
            ..f()
        },
        EventFilter {
            place: Some("bas".into()),
            ..f()
        },
        EventFilter {
            place: Some("São".into()),
            ..f()
        },
        EventFilter {
            day_from: day("2021-03-05"),
            day_to: day("2021-03-20"),
            ..f()
        },
        EventFilter {
            clusters_only: true,
            types: s(&["ASSAULT"]),
            ..f()
        },
        EventFilter {
            cluster: Some(big_cluster),
            ..f()
        },
        EventFilter {
            article: Some("a-037".into()),
            ..f()
        },
    ];
    for actor in [
        "IRQ",
        "IRQCOP",
        "KENEDU",
        "ZZZ",
        "police",
        "riot pol",
        "union lead",
        "iraqi stud",
        "the",
        "nobody",
    ] {
        out.push(EventFilter {
            actor: Some(actor.into()),
            ..f()
        });
    }
    for text in [
        "ministry",
        "curfew",
        "minis*",
        "ministry curfew",
        "Baghdad police",
    ] {
        out.push(EventFilter {
            text: Some(text.into()),
            ..f()
        });
    }
    out.extend([
        EventFilter {
            text: Some("ministry".into()),
            types: s(&["PROTEST"]),
            ..f()
        },
        EventFilter {
            text: Some("ministry".into()),
            actor: Some("IRQ".into()),
            ..f()
        },
        EventFilter {
            text: Some("curfew".into()),
            actor: Some("police".into()),
            ..f()
        },
        EventFilter {
            actor: Some("IRQ".into()),
            countries: s(&["IRQ"]),
            statuses: s(&["occurred", "planned"]),
            ..f()
        },
        EventFilter {
            types: s(&["PROTEST", "ASSAULT", "COERCE"]),
            modes: s(&["demo"]),
            acled_types: s(&["Protests"]),
            actor: Some("IRQ".into()),
            countries: s(&["IRQ"]),
            place: Some("b".into()),
            day_from: day("2021-03-02"),
            day_to: day("2021-03-27"),
            statuses: s(&["occurred"]),
            text: Some("ministry".into()),
            clusters_only: true,
            ..f()
        },
    ]);
    out
}

fn sorts() -> Vec<Sort> {
    let mut out = Vec::new();
    for key in SortKey::NAMES {
        for descending in [false, true] {
            out.push(Sort {
                key: SortKey::parse(key).unwrap(),
                descending,
            });
        }
    }
    out
}

fn under<T>(limits: Limits, f: impl FnOnce() -> T) -> T {
    TEST_LIMITS.with(|l| l.set(Some(limits)));
    let out = f();
    TEST_LIMITS.with(|l| l.set(None));
    out
}

#[test]
fn pages_list_what_the_reference_lists() {
    let (_dir, store) = store();
    let c = store.conn();
    let filters = filters(c);
    for limits in [REAL, TINY, BROAD_INDEXED] {
        under(limits, || {
            for (i, f) in filters.iter().enumerate() {
                // Every order for some filters, the default order for the rest.
                let sorts = if i % 4 == 0 || f.text.is_some() || f.actor.is_some() {
                    sorts()
                } else {
                    vec![Sort::default()]
                };
                for sort in sorts {
                    let want = reference_list(c, f, sort);
                    assert_eq!(listed(c, f, sort), want, "{limits:?} {f:?} {sort:?}");
                    let mut exported = Vec::new();
                    query::for_each_event(c, f, sort, |e| {
                        exported.push(e.id);
                        true
                    })
                    .unwrap();
                    assert_eq!(exported, want, "export {limits:?} {f:?} {sort:?}");
                }
            }
        });
    }
}

#[test]
fn the_corpus_reaches_every_plan() {
    let (_dir, store) = store();
    let c = store.conn();
    let count = |f: EventFilter| query::count_events(c, &f).unwrap();
    // The sets are big enough to be broad under TINY, and not under REAL.
    let text = |q: &str| EventFilter {
        text: Some(q.into()),
        ..Default::default()
    };
    assert!(count(text("ministry")) > 20 && count(text("curfew")) > 0);
    // Every filter but those meant to find nothing finds something, and not everything.
    let total = count(EventFilter::default());
    for f in filters(c).into_iter().skip(1) {
        let n = count(f.clone());
        // ("The riot police" is stored as "riot police".)
        let none = [Some("ZZZ"), Some("nobody"), Some("the")].contains(&f.actor.as_deref());
        assert!(none == (n == 0) && n < total, "{n} of {total}: {f:?}");
    }
    let plans = |limits: Limits, f: &EventFilter| {
        under(limits, || {
            let p = query::plan(c, f).unwrap();
            (
                p.clause(query::Reading::All).sql,
                p.clause(query::Reading::Ordered).sql,
            )
        })
    };
    let (all, ordered) = plans(REAL, &text("ministry"));
    assert!(
        !all.contains("+e.") && !ordered.contains("+e."),
        "{ordered}"
    );
    // Broad, alone: counted from the set, a page tested against it.
    let (all, ordered) = plans(TINY, &text("ministry"));
    assert!(!all.contains("+e.article_row"), "{all}");
    assert!(ordered.contains("+e.article_row IN"), "{ordered}");
    // Broad with another filter: tested against, both ways.
    let with_type = EventFilter {
        types: vec!["PROTEST".into()],
        ..text("ministry")
    };
    let (all, ordered) = plans(TINY, &with_type);
    assert!(all.contains("+e.article_row IN") && ordered.contains("+e.article_row IN"));
    // Map tiles: some hold several positions, and cell boundaries cross some of them.
    let tiles: Vec<(i64, f64, f64, f64, f64)> = c
        .prepare("SELECT n, lat_min, lat_max, lon_min, lon_max FROM map_tiles WHERE level = 7")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(tiles.iter().any(|t| t.0 > 1 && (t.1 < t.2 || t.3 < t.4)));
    let crossed = tiles.iter().filter(|t| {
        query::grid(t.1, 0.013) != query::grid(t.2, 0.013)
            || query::grid(t.3, 0.013) != query::grid(t.4, 0.013)
    });
    assert!(crossed.count() > 0);
    // Name words: through the word index, or past it when the word is too common.
    let police = EventFilter {
        actor: Some("police".into()),
        ..Default::default()
    };
    assert!(plans(REAL, &police).0.contains("event_actor_words"));
    assert!(!plans(TINY, &police).0.contains("event_actor_words"));
    assert!(plans(BROAD_INDEXED, &police).1.contains("+e.row IN"));
}

#[test]
fn counts_and_stats_match_the_reference() {
    let (_dir, store) = store();
    let c = store.conn();
    let filters = filters(c);
    for limits in [REAL, TINY] {
        under(limits, || {
            for f in &filters {
                let s = query::stats(c, f, &DIMS).unwrap();
                assert_eq!(
                    stats_as_reference(&s, &DIMS),
                    reference_stats(c, f, &DIMS),
                    "{f:?}"
                );
                assert_eq!(
                    s["totals"]["events"].as_i64().unwrap() as usize,
                    reference_list(c, f, Sort::default()).len()
                );
            }
        });
    }
}

#[test]
fn the_tally_follows_every_batch() {
    // Unfiltered stats come from the tally ingest keeps: in batches of any size, with articles
    // repeated (skipped), it counts what the events say.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let recs = corpus();
    let all = EventFilter::default();
    let empty = query::stats(store.conn(), &all, &DIMS).unwrap();
    assert_eq!(
        stats_as_reference(&empty, &DIMS),
        reference_stats(store.conn(), &all, &DIMS)
    );
    for (i, chunk) in recs.chunks(7).enumerate() {
        store.ingest(chunk).unwrap();
        if i % 3 == 0 {
            store.ingest(&recs[..3]).unwrap();
        }
        let s = query::stats(store.conn(), &all, &DIMS).unwrap();
        assert_eq!(
            stats_as_reference(&s, &DIMS),
            reference_stats(store.conn(), &all, &DIMS),
            "after batch {i}"
        );
    }
    // Rebuilding the clusters changes no count.
    store.recluster().unwrap();
    let s = query::stats(store.conn(), &all, &DIMS).unwrap();
    assert_eq!(
        stats_as_reference(&s, &DIMS),
        reference_stats(store.conn(), &all, &DIMS)
    );
}

#[test]
fn map_points_match_the_reference() {
    let (_dir, store) = store();
    let c = store.conn();
    let filters = filters(c);
    for limits in [REAL, TINY] {
        under(limits, || {
            for f in &filters {
                for cell in [0.01, 0.013, 0.05, 0.262, 1.0, 2.0, 3.7, 45.0] {
                    let m = query::map_points(c, f, cell).unwrap();
                    let (points, countries, by_country, unplaced) = reference_map(c, f, cell);
                    let got: Vec<(i64, f64, f64)> = m["points"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| {
                            (
                                p["n"].as_i64().unwrap(),
                                p["lat"].as_f64().unwrap(),
                                p["lon"].as_f64().unwrap(),
                            )
                        })
                        .collect();
                    // Cells with equal counts may come in another order. The means are
                    // SQLite's to the last digit when summed event by event (a filter), and to
                    // 1e-9 degrees when summed from tiles (no filter).
                    let exact = *f != EventFilter::default();
                    let key = |v: &Vec<(i64, f64, f64)>| {
                        let mut v: Vec<(i64, f64, f64)> = v.clone();
                        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                        v
                    };
                    let (got_sorted, want_sorted) = (key(&got), key(&points));
                    assert_eq!(got_sorted.len(), want_sorted.len(), "{f:?} cell {cell}");
                    for (g, w) in got_sorted.iter().zip(&want_sorted) {
                        let close =
                            |a: f64, b: f64| if exact { a == b } else { (a - b).abs() < 1e-9 };
                        assert!(
                            g.0 == w.0 && close(g.1, w.1) && close(g.2, w.2),
                            "{f:?} cell {cell}: {g:?} != {w:?}"
                        );
                    }
                    assert!(got.windows(2).all(|w| w[0].0 >= w[1].0));
                    let list = |v: &Value| -> Vec<(String, i64)> {
                        v.as_array()
                            .unwrap()
                            .iter()
                            .map(|c| {
                                (
                                    c["country"].as_str().unwrap().to_string(),
                                    c["n"].as_i64().unwrap(),
                                )
                            })
                            .collect()
                    };
                    let sorted = |mut v: Vec<(String, i64)>| {
                        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                        v
                    };
                    assert_eq!(list(&m["countries"]), sorted(countries), "{f:?}");
                    assert_eq!(list(&m["by_country"]), sorted(by_country), "{f:?}");
                    assert_eq!(m["unplaced"], unplaced, "{f:?}");
                }
            }
        });
    }
}

#[test]
fn grid_cells_are_floors() {
    assert_eq!(query::grid(0.0, 1.0), 0);
    assert_eq!(query::grid(0.5, 1.0), 0);
    assert_eq!(query::grid(-0.5, 1.0), -1);
    assert_eq!(query::grid(-1.0, 1.0), -1);
    assert_eq!(query::grid(-1.5, 1.0), -2);
    assert_eq!(query::grid(33.34, 0.262), 127);
    assert_eq!(query::grid(-77.04, 2.0), -39);
}
