//! The store end to end: idempotent ingest, clusters across articles (incremental, order-free,
//! equal to a rebuild), schema versions, crash consistency, and every query.

mod fixtures;

use fixtures::{article, rally_set, Ev};
use kestrel_store::query::{self, Dimension, EventFilter, Sort, SortKey};
use kestrel_store::rusqlite::Connection;
use kestrel_store::{open_reader, schema, ClusterConfig, ErrorKind, Store};
use std::collections::BTreeSet;
use std::path::Path;

fn counts(conn: &Connection) -> (i64, i64, i64, i64, i64) {
    conn.query_row(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),
                (SELECT count(*) FROM clusters), (SELECT count(*) FROM event_evidence),
                (SELECT count(*) FROM entities)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .unwrap()
}

/// The clusters as sets of event keys, so two stores can be compared.
fn partition(conn: &Connection) -> BTreeSet<BTreeSet<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT e.cluster, a.id || '#' || e.eid FROM events e
             JOIN articles a ON a.row = e.article_row ORDER BY e.cluster",
        )
        .unwrap();
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = BTreeSet::new();
    let mut cur: Option<(i64, BTreeSet<String>)> = None;
    for (c, k) in rows {
        match &mut cur {
            Some((id, set)) if *id == c => {
                set.insert(k);
            }
            _ => {
                if let Some((_, set)) = cur.take() {
                    out.insert(set);
                }
                cur = Some((c, BTreeSet::from([k])));
            }
        }
    }
    if let Some((_, set)) = cur {
        out.insert(set);
    }
    out
}

fn keys(set: &[&str]) -> BTreeSet<String> {
    set.iter().map(|s| s.to_string()).collect()
}

#[test]
fn ingesting_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let mut store = Store::open(&db).unwrap();
    let recs = rally_set();
    let r1 = store.ingest(&recs).unwrap();
    assert_eq!((r1.articles, r1.events), (5, 5));
    let before = counts(store.conn());
    let r2 = store.ingest(&recs).unwrap();
    assert_eq!((r2.articles, r2.duplicate_ids, r2.events), (0, 5, 0));
    assert_eq!(counts(store.conn()), before);
    // The same text under another id is the same article.
    let mut copy = recs[0].clone();
    copy.id = "wire-1-again".into();
    let r3 = store.ingest(&[copy]).unwrap();
    assert_eq!((r3.articles, r3.duplicate_hashes), (0, 1));
    assert_eq!(counts(store.conn()), before);
    // Reopening keeps everything; the file is in WAL mode at the current schema version.
    drop(store);
    let store = Store::open(&db).unwrap();
    assert_eq!(counts(store.conn()), before);
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(
        schema::version(store.conn()).unwrap(),
        schema::SCHEMA_VERSION
    );
}

#[test]
fn a_batch_repeating_an_article_stores_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let recs = rally_set();
    let batch = vec![recs[0].clone(), recs[1].clone(), recs[0].clone()];
    let r = store.ingest(&batch).unwrap();
    assert_eq!((r.articles, r.duplicate_ids), (2, 1));
}

#[test]
fn reports_of_one_event_form_one_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    store.ingest(&rally_set()).unwrap();
    let p = partition(store.conn());
    assert!(
        p.contains(&keys(&["daily-1#v1", "wire-1#v1", "wire-2#v1"])),
        "{p:?}"
    );
    assert!(p.contains(&keys(&["basra-1#v1"])));
    assert!(p.contains(&keys(&["nairobi-1#v1"])));
    let (reports, articles, sources): (i64, i64, i64) = store
        .conn()
        .query_row(
            "SELECT n_events, n_articles, n_sources FROM clusters ORDER BY n_events DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((reports, articles, sources), (3, 3, 2));
}

#[test]
fn clusters_do_not_depend_on_arrival_order_or_batching() {
    let dir = tempfile::tempdir().unwrap();
    // A bridge: day 1 and day 3 are too far apart, day 2 joins both into one cluster.
    let ev = |d| {
        Ev::new("PROTEST", "marched", 0)
            .date(d)
            .at("Baghdad", 33.34, 44.40, "IQ")
            .by("Students", "IRQEDU")
    };
    let mk = |id: &str, d: &'static str| {
        article(
            id,
            Some(id),
            Some(d),
            &[
                "Students marched in Baghdad demanding jobs.",
                &format!("Report {id}."),
            ],
            &[ev(d)],
        )
    };
    let mut recs = vec![
        mk("a", "2020-03-01"),
        mk("c", "2020-03-03"),
        mk("b", "2020-03-02"),
    ];
    recs.extend(rally_set());
    let mut parts = Vec::new();
    for (name, order, batch) in [
        ("forward", recs.clone(), 100),
        (
            "reverse",
            recs.iter().rev().cloned().collect::<Vec<_>>(),
            100,
        ),
        ("one by one", recs.clone(), 1),
    ] {
        let mut store = Store::open(&dir.path().join(format!("{name}.db"))).unwrap();
        for chunk in order.chunks(batch) {
            store.ingest(chunk).unwrap();
        }
        let incremental = partition(store.conn());
        store.recluster().unwrap();
        assert_eq!(
            partition(store.conn()),
            incremental,
            "{name}: rebuild differs"
        );
        parts.push(incremental);
    }
    assert_eq!(parts[0], parts[1]);
    assert_eq!(parts[0], parts[2]);
    assert!(
        parts[0].contains(&keys(&["a#v1", "b#v1", "c#v1"])),
        "{:?}",
        parts[0]
    );
    // Cluster bookkeeping matches the members after merges.
    let store = Store::open(&dir.path().join("one by one.db")).unwrap();
    let bad: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM clusters c WHERE n_events !=
               (SELECT count(*) FROM events e WHERE e.cluster = c.id)
             OR rep_event NOT IN (SELECT row FROM events e WHERE e.cluster = c.id)
             OR (SELECT count(*) FROM events e WHERE e.cluster = c.id AND e.rep = 1) != 1
             OR EXISTS (SELECT 1 FROM events e WHERE e.cluster = c.id AND e.reports != c.n_events)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0);
}

#[test]
fn changing_thresholds_rebuilds_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let mut store = Store::open(&db).unwrap();
    store.ingest(&rally_set()).unwrap();
    let default_clusters = partition(store.conn()).len();
    // 600 km takes Basra into the Baghdad cluster.
    let wide = ClusterConfig {
        max_km: 600.0,
        ..ClusterConfig::default()
    };
    assert!(store.set_config(wide.clone()).unwrap());
    assert_eq!(partition(store.conn()).len(), default_clusters - 1);
    drop(store);
    // The thresholds are kept in the file.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.config(), &wide);
    let bad = ClusterConfig {
        max_km: -1.0,
        ..ClusterConfig::default()
    };
    let e = Store::open_with(&db, Some(bad)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
}

#[test]
fn newer_schema_is_refused_and_bad_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("future.db");
    {
        let c = Connection::open(&db).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = Store::open(&db).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Schema);
    assert!(
        e.message.contains("future.db") && e.message.contains("version 99"),
        "{e}"
    );
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database at all, just some text").unwrap();
    let e = Store::open(&junk).unwrap_err();
    assert!(e.message.contains("junk.db"), "{e}");
    let e = open_reader(&dir.path().join("missing.db")).unwrap_err();
    assert!(
        e.message.contains("missing.db: no such database file"),
        "{e}"
    );
}

#[test]
fn records_without_layers_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let bare = article("bare", None, None, &["Nothing happened here."], &[]);
    let undated = article(
        "undated",
        None,
        None,
        &["Police arrested protesters somewhere."],
        &[Ev::new("COERCE", "arrested", 0)],
    );
    let r = store.ingest(&[bare, undated]).unwrap();
    assert_eq!((r.articles, r.events), (2, 1));
    let page = query::list_events(
        store.conn(),
        &EventFilter::default(),
        Sort::default(),
        0,
        10,
    )
    .unwrap();
    assert_eq!(page.total, 1);
    let e = &page.events[0];
    assert_eq!((e.date.as_deref(), e.country.as_deref()), (None, None));
    assert_eq!(e.cluster.reports, 1);
}

fn filtered(conn: &Connection, f: EventFilter) -> Vec<String> {
    let page = query::list_events(conn, &f, Sort::default(), 0, 100).unwrap();
    assert_eq!(page.total as usize, page.events.len());
    let mut k: Vec<String> = page.events.into_iter().map(|e| e.key).collect();
    k.sort();
    k
}

#[test]
fn filters_select_the_right_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let mut recs = rally_set();
    recs.push(article(
        "sp-1",
        Some("Folha Test"),
        Some("2020-02-10"),
        &[
            "Em São Paulo, police clashed with protesters near the Praça da Sé.",
            "Officials planned to meet union leaders.",
        ],
        &[
            Ev::new("COERCE", "clashed", 0)
                .date("2020-02-10")
                .at("São Paulo", -23.55, -46.63, "BR")
                .by("police", "BRACOP")
                .against("protesters", "BRACVL"),
            Ev::new("CONSULT", "meet", 1)
                .date("2020-02-11")
                .status("planned")
                .by("Officials", "BRAGOV")
                .against("union leaders", "BRALAB"),
        ],
    ));
    store.ingest(&recs).unwrap();
    let c = store.conn();
    let f = |f: EventFilter| filtered(c, f);
    assert_eq!(
        f(EventFilter {
            types: vec!["COERCE".into()],
            ..Default::default()
        }),
        ["sp-1#v1"]
    );
    // Countries from places (ISO alpha-2 BR → BRA) and from actors when there is no place.
    assert_eq!(
        f(EventFilter {
            countries: vec!["BRA".into()],
            ..Default::default()
        }),
        ["sp-1#v1", "sp-1#v2"]
    );
    assert_eq!(
        f(EventFilter {
            countries: vec!["KEN".into()],
            ..Default::default()
        }),
        ["nairobi-1#v1"]
    );
    // Actor codes match as prefixes; names word by word.
    assert_eq!(
        f(EventFilter {
            actor: Some("IRQ".into()),
            ..Default::default()
        })
        .len(),
        4
    );
    assert_eq!(
        f(EventFilter {
            actor: Some("union lead".into()),
            ..Default::default()
        }),
        ["sp-1#v2"]
    );
    assert_eq!(
        f(EventFilter {
            place: Some("sao".into()),
            ..Default::default()
        }),
        Vec::<String>::new(),
        "place names keep their accents"
    );
    assert_eq!(
        f(EventFilter {
            place: Some("São".into()),
            ..Default::default()
        }),
        ["sp-1#v1"]
    );
    assert_eq!(
        f(EventFilter {
            place: Some("bagh".into()),
            ..Default::default()
        }),
        ["daily-1#v1", "wire-1#v1"]
    );
    let day = |d| kestrel_store::day_number(d);
    assert_eq!(
        f(EventFilter {
            day_from: day("2020-01-25"),
            day_to: day("2020-02-10"),
            ..Default::default()
        }),
        ["sp-1#v1", "wire-2#v1"]
    );
    assert_eq!(
        f(EventFilter {
            statuses: vec!["planned".into()],
            ..Default::default()
        }),
        ["sp-1#v2"]
    );
    assert_eq!(
        f(EventFilter {
            text: Some("teach* allowances".into()),
            ..Default::default()
        }),
        ["nairobi-1#v1"]
    );
    assert_eq!(
        f(EventFilter {
            text: Some("\"unbalanced OR".into()),
            ..Default::default()
        }),
        Vec::<String>::new(),
        "FTS syntax in the input is just text"
    );
    assert_eq!(
        f(EventFilter {
            modes: vec!["strike".into()],
            acled_types: vec!["Protests".into()],
            ..Default::default()
        }),
        ["nairobi-1#v1"]
    );
    // One row per cluster: the Baghdad rally once.
    let all = f(EventFilter::default()).len();
    let grouped = f(EventFilter {
        clusters_only: true,
        ..Default::default()
    });
    assert_eq!(grouped.len(), all - 2);
    assert_eq!(
        f(EventFilter {
            article: Some("sp-1".into()),
            ..Default::default()
        })
        .len(),
        2
    );
    let bad = query::list_events(
        c,
        &EventFilter {
            place: Some("--".into()),
            ..Default::default()
        },
        Sort::default(),
        0,
        10,
    )
    .unwrap_err();
    assert_eq!(bad.kind, ErrorKind::Invalid);
}

#[test]
fn sorting_and_paging_cover_every_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    store.ingest(&rally_set()).unwrap();
    let c = store.conn();
    for key in SortKey::NAMES {
        for descending in [false, true] {
            let sort = Sort {
                key: SortKey::parse(key).unwrap(),
                descending,
            };
            let mut seen = Vec::new();
            for offset in (0..6).step_by(2) {
                let p = query::list_events(c, &EventFilter::default(), sort, offset, 2).unwrap();
                assert_eq!(p.total, 5);
                seen.extend(p.events.into_iter().map(|e| e.id));
            }
            let unique: BTreeSet<_> = seen.iter().collect();
            assert_eq!((seen.len(), unique.len()), (5, 5), "{key} {descending}");
        }
    }
    let newest = query::list_events(c, &EventFilter::default(), Sort::default(), 0, 1).unwrap();
    assert_eq!(newest.events[0].date.as_deref(), Some("2020-01-25"));
    let by_reports = Sort {
        key: SortKey::Reports,
        descending: true,
    };
    let top = query::list_events(c, &EventFilter::default(), by_reports, 0, 1).unwrap();
    assert_eq!(top.events[0].cluster.reports, 3);
}

#[test]
fn event_and_article_views_carry_evidence_and_every_layer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let recs = rally_set();
    store.ingest(&recs).unwrap();
    let c = store.conn();
    let id: i64 = c
        .query_row(
            "SELECT e.row FROM events e JOIN articles a ON a.row = e.article_row WHERE a.id = 'wire-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ev = query::get_event(c, id).unwrap();
    assert_eq!(ev["type"], "PROTEST");
    assert_eq!(ev["record"]["trigger"]["text"], "rallied");
    let evidence = ev["evidence"].as_array().unwrap();
    assert_eq!(
        evidence.len(),
        3,
        "this report and the cluster's two others"
    );
    assert_eq!(evidence[0]["event"], id);
    assert_eq!(evidence[0]["trigger_text"], "rallied");
    assert!(evidence[0]["sentence_text"]
        .as_str()
        .unwrap()
        .starts_with("Thousands of Iraqis rallied in Baghdad"));
    let e = query::get_event(c, 999_999).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);

    let art = query::get_article(c, "wire-1").unwrap();
    let mut original = serde_json::to_value(&recs[0]).unwrap();
    let stored = art.clone();
    let mut stripped = stored.as_object().unwrap().clone();
    assert_eq!(stripped["stored"]["events"]["v1"]["id"], id);
    stripped.remove("stored");
    original.as_object_mut().unwrap().remove("meta");
    assert_eq!(serde_json::Value::Object(stripped), original);
    assert_eq!(
        query::get_article(c, "nope").unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[test]
fn stats_and_map_points_aggregate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    store.ingest(&rally_set()).unwrap();
    let c = store.conn();
    let s = query::stats(
        c,
        &EventFilter::default(),
        &[Dimension::Type, Dimension::Country, Dimension::Day],
    )
    .unwrap();
    assert_eq!(s["totals"]["events"], 5);
    assert_eq!(s["totals"]["clusters"], 3);
    assert_eq!(
        s["by_type"][0],
        serde_json::json!({"key": "PROTEST", "n": 5})
    );
    assert_eq!(
        s["by_country"][0],
        serde_json::json!({"key": "IRQ", "n": 4})
    );
    let days: Vec<&str> = s["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["2020-01-20", "2020-01-24", "2020-01-25"]);
    // A 1-degree grid puts the three Baghdad reports in one cell.
    let m = query::map_points(c, &EventFilter::default(), 1.0).unwrap();
    let points = m["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(points[0]["n"], 3);
    assert!(query::map_points(c, &EventFilter::default(), 0.0).is_err());
}

#[test]
fn exports_see_every_filtered_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    store.ingest(&rally_set()).unwrap();
    let mut n = 0;
    let f = EventFilter {
        countries: vec!["IRQ".into()],
        ..Default::default()
    };
    let handed = query::for_each_event(store.conn(), &f, Sort::default(), |e| {
        assert_eq!(e.country.as_deref(), Some("IRQ"));
        n += 1;
        true
    })
    .unwrap();
    assert_eq!((handed, n), (4, 4));
}

/// The child half of the crash test: ingest batches forever (until killed). Run only by
/// `a_killed_ingest_leaves_whole_batches_and_a_rerun_completes_it`.
#[test]
#[ignore = "helper process of the crash test"]
fn crash_child() {
    let Ok(db) = std::env::var("KESTREL_CRASH_DB") else {
        return;
    };
    let mut store = Store::open(Path::new(&db)).unwrap();
    for round in 0.. {
        let batch: Vec<_> = (0..20).map(|i| numbered(round * 20 + i)).collect();
        store.ingest(&batch).unwrap();
    }
}

fn numbered(i: usize) -> kestrel::model::Record {
    let days = ["2020-05-01", "2020-05-02", "2020-05-03", "2020-05-04"];
    let mut r = article(
        &format!("n-{i}"),
        Some(["Wire One", "Daily Two", "Radio Three"][i % 3]),
        Some(days[i % 4]),
        &[
            "Workers marched in Baghdad over unpaid wages.",
            "Police arrested organisers, witnesses said.",
        ],
        &[
            Ev::new("PROTEST", "marched", 0)
                .date(days[i % 4])
                .at("Baghdad", 33.3 + (i % 5) as f64 * 0.01, 44.4, "IQ")
                .by("Workers", "IRQLAB"),
            Ev::new("COERCE", "arrested", 1)
                .date(days[i % 4])
                .by("Police", "IRQCOP"),
        ],
    );
    r.text.push_str(&format!(" (report {i})"));
    r.hash = format!("{:064}", i);
    r
}

fn check_consistent(path: &Path) -> i64 {
    let c = open_reader(path).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let broken: i64 = c
        .query_row(
            "SELECT
               (SELECT count(*) FROM articles a
                WHERE a.n_events != (SELECT count(*) FROM events e WHERE e.article_row = a.row))
             + (SELECT count(*) FROM events WHERE cluster IS NULL
                OR cluster NOT IN (SELECT id FROM clusters))
             + (SELECT count(*) FROM clusters c
                WHERE n_events != (SELECT count(*) FROM events e WHERE e.cluster = c.id))
             + (SELECT count(*) FROM events e
                WHERE NOT EXISTS (SELECT 1 FROM event_evidence v WHERE v.event_row = e.row))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(broken, 0, "a half-written batch is visible");
    let (articles, fts): (i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM articles),
                    (SELECT count(*) FROM article_fts WHERE article_fts MATCH 'wages')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(articles, fts, "every article is searchable");
    assert_eq!(articles % 20, 0, "only whole batches are stored");
    articles
}

#[test]
fn a_killed_ingest_leaves_whole_batches_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    // Create the file first, so the child only ever adds batches.
    drop(Store::open(&db).unwrap());
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KESTREL_CRASH_DB", &db)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let reader = open_reader(&db).unwrap();
    let start = std::time::Instant::now();
    loop {
        let n: i64 = reader
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap();
        if n >= 60 {
            break;
        }
        assert!(
            start.elapsed().as_secs() < 120,
            "the child stored only {n} articles in two minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to finish the batch in hand
    child.wait().unwrap();
    drop(reader);
    let stored = check_consistent(&db);
    assert!(stored >= 60);
    // Re-running over a range that overlaps what was stored completes it, storing nothing twice.
    let total = stored as usize + 40;
    let mut store = Store::open(&db).unwrap();
    let all: Vec<_> = (0..total).map(numbered).collect();
    let r = store.ingest(&all).unwrap();
    assert_eq!((r.articles, r.duplicate_ids), (40, stored as usize));
    drop(store);
    assert_eq!(check_consistent(&db), total as i64);
}

#[test]
fn planner_statistics_are_gathered_as_the_store_grows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let stats = |s: &Store| -> i64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    store
        .ingest(&(0..100).map(numbered).collect::<Vec<_>>())
        .unwrap();
    assert_eq!(stats(&store), 0, "too few events to be worth it");
    store
        .ingest(&(100..600).map(numbered).collect::<Vec<_>>())
        .unwrap();
    assert_eq!(stats(&store), 1);
    let rows: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(rows > 0);
}

/// Pairs of names: (type, name) of schema objects, (table, column) of columns.
type Names = BTreeSet<(String, String)>;

/// Every (type, name) in a database's schema, and every table's columns.
fn schema_of(c: &Connection) -> (Names, Names) {
    let objects: Names = c
        .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut columns = BTreeSet::new();
    for (kind, table) in &objects {
        if kind == "table" {
            let mut stmt = c
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap();
            for col in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
                columns.insert((table.clone(), col.unwrap()));
            }
        }
    }
    (objects, columns)
}

#[test]
fn a_version_1_file_is_migrated_and_answers_as_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut recs = rally_set();
    recs.push(article(
        "sp-1",
        Some("Folha Test"),
        Some("2020-02-10"),
        &[
            "Em São Paulo, the riot police clashed with protesters near the Praça da Sé.",
            "Officials planned to meet union leaders.",
        ],
        &[
            Ev::new("COERCE", "clashed", 0)
                .date("2020-02-10")
                .at("São Paulo", -23.55, -46.63, "BR")
                .by("the riot police", "BRACOP")
                .against("protesters", "BRACVL"),
            Ev::new("CONSULT", "meet", 1)
                .date("2020-02-11")
                .status("planned")
                .by("Officials", "BRAGOV")
                .against("union leaders", "BRALAB"),
        ],
    ));
    // A version 1 file: the schema of version 1 alone, holding what this build stored (a store
    // made now, with what later versions added taken away again).
    let v1 = Connection::open_in_memory().unwrap();
    v1.execute_batch(schema::MIGRATIONS[0]).unwrap();
    let (v1_objects, v1_columns) = schema_of(&v1);
    let old = dir.path().join("old.db");
    Store::open(&old).unwrap().ingest(&recs).unwrap();
    {
        let c = Connection::open(&old).unwrap();
        for (kind, name) in schema_of(&c).0.difference(&v1_objects) {
            let kind = kind.to_uppercase();
            c.execute_batch(&format!("DROP {kind} {name}")).unwrap();
        }
        for (table, column) in schema_of(&c).1.difference(&v1_columns) {
            c.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN {column}"))
                .unwrap();
        }
        for (_, name) in v1_objects.difference(&schema_of(&c).0) {
            let sql: String = v1
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .unwrap();
            c.execute_batch(&sql).unwrap();
        }
        c.pragma_update(None, "user_version", 1).unwrap();
        assert_eq!(schema_of(&c), schema_of(&v1), "a faithful version 1 file");
    }
    let migrated = Store::open(&old).unwrap();
    let new = dir.path().join("new.db");
    let mut fresh = Store::open(&new).unwrap();
    fresh.ingest(&recs).unwrap();
    let (m, f) = (migrated.conn(), fresh.conn());
    assert_eq!(schema::version(m).unwrap(), schema::SCHEMA_VERSION);
    assert_eq!(schema_of(m), schema_of(f));
    // What the migration derives from stored rows is what ingest writes.
    let rows = |c: &Connection, sql: &str| -> Vec<String> {
        c.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for sql in [
        "SELECT word || ' ' || event_row FROM event_actor_words ORDER BY 1",
        "SELECT row || ' ' || article_id FROM events ORDER BY row",
        "SELECT dim || ' ' || ifnull(key, '-') || ' ' || n FROM event_tally ORDER BY 1",
        "SELECT printf('%d %d %d %d %.9f %.9f %.17g %.17g %.17g %.17g', level, ty, tx, n,
                       lat_sum + lat_err, lon_sum + lon_err, lat_min, lat_max, lon_min, lon_max)
         FROM map_tiles ORDER BY level, ty, tx",
    ] {
        let want = rows(f, sql);
        assert!(!want.is_empty());
        assert_eq!(rows(m, sql), want, "{sql}");
    }
    // And it answers the same.
    let ids = |c: &Connection, f: EventFilter, key: SortKey| -> Vec<i64> {
        let sort = Sort {
            key,
            descending: false,
        };
        let page = query::list_events(c, &f, sort, 0, 100).unwrap();
        page.events.into_iter().map(|e| e.id).collect()
    };
    for (filter, key) in [
        (EventFilter::default(), SortKey::Article),
        (
            EventFilter {
                actor: Some("riot pol".into()),
                ..Default::default()
            },
            SortKey::Date,
        ),
        (
            EventFilter {
                actor: Some("BRA".into()),
                ..Default::default()
            },
            SortKey::Reports,
        ),
        (
            EventFilter {
                text: Some("rallied".into()),
                ..Default::default()
            },
            SortKey::Source,
        ),
    ] {
        let want = ids(f, filter.clone(), key);
        assert!(!want.is_empty(), "{filter:?}");
        assert_eq!(ids(m, filter.clone(), key), want, "{filter:?}");
    }
    assert_eq!(
        query::stats(m, &EventFilter::default(), &[Dimension::Day]).unwrap(),
        query::stats(f, &EventFilter::default(), &[Dimension::Day]).unwrap()
    );
    // A reader opens the migrated file.
    drop(migrated);
    assert!(open_reader(&old).is_ok());
}
