//! Round trips of `kestrel extract --format`: every output format, read back (CSV with a CSV
//! reader, PLOVER as JSON, CAMEO rows split on tabs, Parquet with the parquet crate), gives the
//! same events as the `kestrel/1` JSON records of the same input.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

fn kestrel() -> Command {
    Command::cargo_bin("kestrel").expect("binary built")
}

/// Run `kestrel extract --format FORMAT` on the inputs and return standard output.
fn extract(format: &str, inputs: &[&str]) -> Vec<u8> {
    let out = kestrel()
        .args(["extract", "-q", "--threads", "2", "--format", format])
        .args(inputs)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

/// What every format must agree on for one event.
#[derive(Debug, PartialEq, Eq, Clone)]
struct Ev {
    id: String,
    kind: String,
    cameo: String,
    status: String,
    source_code: String,
    target_code: String,
    date: String,
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn count(v: &Value, bound: &str) -> String {
    v[bound].as_u64().map(|n| n.to_string()).unwrap_or_default()
}

fn records(jsonl: &[u8]) -> Vec<Value> {
    String::from_utf8(jsonl.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

fn from_jsonl(recs: &[Value]) -> Vec<Ev> {
    let mut out = Vec::new();
    for r in recs {
        for e in r["events"].as_array().unwrap() {
            out.push(Ev {
                id: format!("{}:{}", s(&r["id"]), s(&e["id"])),
                kind: s(&e["type"]),
                cameo: s(&e["cameo"]),
                status: s(&e["status"]),
                source_code: s(&e["source"]["code"]),
                target_code: s(&e["target"]["code"]),
                date: s(&e["date"]["value"]),
            });
        }
    }
    out
}

/// CSV rows as maps from column name to value.
fn csv_rows(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut rd = csv::Reader::from_reader(bytes);
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    rd.records()
        .map(|r| {
            let r = r.expect("a well-formed CSV row");
            assert_eq!(r.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn from_csv(rows: &[HashMap<String, String>]) -> Vec<Ev> {
    rows.iter()
        .map(|r| Ev {
            id: r["event_id"].clone(),
            kind: r["plover_type"].clone(),
            cameo: r["cameo"].clone(),
            status: r["status"].clone(),
            source_code: r["source_code"].clone(),
            target_code: r["target_code"].clone(),
            date: r["event_date"].clone(),
        })
        .collect()
}

fn from_plover(bytes: &[u8]) -> Vec<Ev> {
    records(bytes)
        .iter()
        .map(|p| Ev {
            id: s(&p["id"]),
            kind: s(&p["event"][0]),
            cameo: s(&p["cameo"]),
            status: s(&p["status"]),
            source_code: s(&p["actor"][0]["actor_code"]),
            target_code: s(&p["recipient"][0]["actor_code"]),
            date: s(&p["date"]),
        })
        .collect()
}

/// CAMEO rows have no PLOVER type or status: those are taken from `like`, and every other field
/// from the row.
fn from_cameo(bytes: &[u8], like: &[Ev]) -> Vec<Ev> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    text.lines()
        .zip(like)
        .map(|(line, j)| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 58, "{line}");
            let date = match (f[1], f[2], f[3]) {
                (d, _, _) if !d.is_empty() => format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]),
                ("", m, _) if !m.is_empty() => format!("{}-{}", &m[..4], &m[4..]),
                ("", "", y) => y.to_string(),
                _ => unreachable!(),
            };
            assert_eq!(f[28], j.cameo.get(..2).unwrap_or(""), "EventRootCode");
            Ev {
                id: f[0].to_string(),
                kind: j.kind.clone(),
                cameo: f[26].to_string(),
                status: j.status.clone(),
                source_code: f[5].to_string(),
                target_code: f[15].to_string(),
                date,
            }
        })
        .collect()
}

/// Extract the inputs in every format and check each against the JSON records; returns the
/// number of events.
fn check_every_format(inputs: &[&str]) -> usize {
    let recs = records(&extract("jsonl", inputs));
    let want = from_jsonl(&recs);
    let ids: std::collections::HashSet<&str> = want.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), want.len(), "event ids are unique");

    let csv = extract("csv", inputs);
    assert!(csv.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
    let rows = csv_rows(&csv);
    assert_eq!(from_csv(&rows), want, "csv");
    // The flat columns hold what the record holds.
    let by_id: HashMap<String, (&Value, &Value)> = recs
        .iter()
        .flat_map(|r| {
            r["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |e| (format!("{}:{}", s(&r["id"]), s(&e["id"])), (r, e)))
        })
        .collect();
    for row in &rows {
        let (r, e) = by_id[&row["event_id"]];
        assert_eq!(row["article_id"], s(&r["id"]));
        assert_eq!(row["url"], s(&r["url"]));
        assert_eq!(row["published"], s(&r["published"]));
        assert_eq!(row["plover_mode"], s(&e["mode"]));
        assert_eq!(row["acled_event_type"], s(&e["acled"]["event_type"]));
        assert_eq!(row["source_text"], s(&e["source"]["text"]));
        for (field, col) in [
            ("participants", "participants"),
            ("fatalities", "fatalities"),
            ("injuries", "injuries"),
            ("arrests", "arrests"),
        ] {
            assert_eq!(row[&format!("{col}_min")], count(&e[field], "min"));
            assert_eq!(row[&format!("{col}_max")], count(&e[field], "max"));
        }
        let conf: f64 = row["confidence"].parse().unwrap();
        assert_eq!(conf, e["confidence"].as_f64().unwrap());
        let sentence = &r["sentences"][e["sentence"].as_u64().unwrap() as usize]["span"];
        let text = s(&r["text"]);
        let (a, b) = (
            sentence[0].as_u64().unwrap() as usize,
            sentence[1].as_u64().unwrap() as usize,
        );
        assert_eq!(row["evidence_sentence"], text[a..b]);
    }

    assert_eq!(from_plover(&extract("plover", inputs)), want, "plover");

    let cameo = extract("cameo", inputs);
    assert_eq!(
        String::from_utf8_lossy(&cameo).lines().count(),
        want.len(),
        "cameo rows"
    );
    assert_eq!(from_cameo(&cameo, &want), want, "cameo");

    #[cfg(feature = "parquet")]
    check_parquet(inputs, &rows);
    want.len()
}

#[cfg(feature = "parquet")]
fn check_parquet(inputs: &[&str], csv_rows: &[HashMap<String, String>]) {
    use kestrel::output::parquet::date_days;
    use kestrel::output::parquet::parquet_crate::file::reader::{FileReader, SerializedFileReader};
    use kestrel::output::parquet::parquet_crate::record::Field;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet");
    kestrel()
        .args(["extract", "-q", "--format", "parquet", "-o"])
        .arg(&path)
        .args(inputs)
        .assert()
        .success();
    let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), csv_rows.len(), "parquet rows");
    for (row, want) in rows.iter().zip(csv_rows) {
        for (name, field) in row.get_column_iter() {
            let text = match field {
                Field::Null => String::new(),
                Field::Str(s) => s.clone(),
                Field::Long(i) => i.to_string(),
                Field::Double(f) => f.to_string(),
                // Days since 1970-01-01; the CSV writes a month or year date as the record does.
                Field::Date(d) => {
                    let csv = &want[name.as_str()];
                    assert_eq!(date_days(csv), Some(*d), "{name}: {csv}");
                    csv.clone()
                }
                other => panic!("{name}: unexpected {other:?}"),
            };
            assert_eq!(&text, &want[name.as_str()], "{name}");
        }
    }
}

#[test]
fn every_format_gives_the_events_of_the_json_records_for_the_examples() {
    let n = check_every_format(&["../../examples"]);
    assert!(n >= 20, "the examples tell at least 20 events, got {n}");
}

#[test]
fn every_format_agrees_on_the_shared_corpus() {
    let shared = Path::new("../../../shared/corpus");
    let inputs = [
        "../../../shared/corpus/seed/000_b9cc3ed0ce90f727.txt",
        "../../../shared/corpus/wikinews/wikinews-2019.jsonl",
    ];
    if !shared.is_dir() || !inputs.iter().all(|p| Path::new(p).exists()) {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    for input in inputs {
        let n = check_every_format(&[input]);
        assert!(n > 0, "{input} gave no events");
    }
}

#[test]
fn a_run_without_events_gives_a_header_only_csv_and_empty_other_formats() {
    let run = |format: &str| {
        kestrel()
            .args(["extract", "-q", "--format", format, "-"])
            .write_stdin("Nothing at all.")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let csv = String::from_utf8(run("csv")).unwrap();
    assert_eq!(csv.lines().count(), 1);
    assert!(csv.starts_with("event_id,article_id,url,source,published,event_date,"));
    assert!(run("plover").is_empty());
    assert!(run("cameo").is_empty());
}

#[test]
fn csv_goes_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.csv");
    kestrel()
        .args(["extract", "-q", "--format", "csv", "-o"])
        .arg(&path)
        .arg("../../examples/nairobi-teachers-strike.txt")
        .assert()
        .success();
    let rows = csv_rows(&std::fs::read(&path).unwrap());
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r["article_id"] == "nairobi-teachers-strike"));
}

#[test]
fn unknown_format_is_a_usage_error() {
    kestrel()
        .args(["extract", "--format", "xml", "../../examples"])
        .assert()
        .code(2);
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_how_to_get_it() {
    let out = kestrel()
        .args(["extract", "-q", "--format", "parquet", "../../examples"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("--features parquet"), "{err}");
    assert!(out.get_output().stdout.is_empty());
}
