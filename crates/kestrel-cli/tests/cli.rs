//! End-to-end tests of the `kestrel` binary: inputs of every kind, bad input, exit status.

use assert_cmd::Command;
use flate2::write::GzEncoder;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn kestrel() -> Command {
    Command::cargo_bin("kestrel").expect("binary built")
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

fn gz(path: &Path, data: &[u8]) {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    std::fs::write(path, e.finish().unwrap()).unwrap();
}

const STORY: &str = "KABUL, Afghanistan \u{2014} Hundreds of students marched on Monday.\n\n\u{201C}We want schools,\u{201D} one said.";

#[test]
fn extracts_the_bundled_examples() {
    let out = kestrel()
        .args(["extract", "-q", "../../examples"])
        .assert()
        .success();
    let recs = records(&out.get_output().stdout);
    assert!(recs.len() >= 5, "got {} records", recs.len());
    for r in &recs {
        assert_eq!(r["schema"], "kestrel/1");
        for layer in [
            "entities",
            "places",
            "events",
            "quotes",
            "blocks",
            "sentences",
            "repairs",
        ] {
            assert!(r[layer].is_array(), "{layer} missing in {}", r["id"]);
        }
    }
    let damaged = recs
        .iter()
        .find(|r| r["id"] == "mt-damaged")
        .expect("mt-damaged example");
    let text = damaged["text"].as_str().unwrap();
    assert!(!text.contains("& # 39;") && !text.contains("quot;") && !text.contains("&amp;"));
}

#[test]
fn mixed_batch_gives_every_good_record_and_an_error_per_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.txt"), STORY).unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(d.join("latin.txt"), b"PARIS \xe9t\xe9 \x93quoted\x94 text.").unwrap();
    let mut lines = b"{\"id\":\"a\",\"text\":\"One story.\"}\n{broken json\n{\"id\":\"b\",\"text\":\"Two.\",\"extra\":1}\n".to_vec();
    lines.extend_from_slice(b"{\"id\":\"bad\",\"text\":\"\xff\xfe not utf8\"}\n{\"id\":\"c\"}\n");
    std::fs::write(d.join("lines.jsonl"), lines).unwrap();
    gz(
        &d.join("zipped.jsonl.gz"),
        b"{\"id\":\"z\",\"text\":\"Zipped story.\"}\n",
    );
    // A gzip stream cut short: the first record is complete, then the stream ends mid-member.
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..200 {
        writeln!(
            e,
            "{{\"id\":\"t{i}\",\"text\":\"Story number {i} about a strike in the capital.\"}}"
        )
        .unwrap();
    }
    let full = e.finish().unwrap();
    std::fs::write(d.join("truncated.jsonl.gz"), &full[..full.len() / 2]).unwrap();
    std::fs::write(d.join("notes.csv"), "a,b").unwrap();
    std::fs::write(d.join("big.txt"), "word ".repeat(300_000)).unwrap();

    let out = kestrel()
        .args(["extract", "--max-article-mb", "1"])
        .arg(d)
        .arg(d.join("notes.csv"))
        .arg(d.join("missing.txt"))
        .assert()
        .code(1);
    let o = out.get_output();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let recs = records(&o.stdout);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for want in ["a", "b", "good", "latin", "z"] {
        assert!(ids.contains(&want), "missing {want} in {ids:?}");
    }
    assert!(
        ids.iter().any(|i| i.starts_with('t')),
        "records before the truncation point come out"
    );
    assert!(!stderr.contains("panicked"));
    for (needle, why) in [
        ("empty.txt: empty", "empty file"),
        ("lines.jsonl:2: malformed JSON", "bad JSON line"),
        ("lines.jsonl:4: line is not valid UTF-8", "bad UTF-8 line"),
        ("lines.jsonl:5: missing \"text\"", "missing text"),
        ("truncated.jsonl.gz", "truncated gzip"),
        ("notes.csv: unknown input type", "unknown extension"),
        ("missing.txt: no such file", "missing file"),
        (
            "big.txt: article is larger than the limit",
            "oversized article",
        ),
    ] {
        assert!(stderr.contains(needle), "no error for {why}:\n{stderr}");
    }
    let b = recs.iter().find(|r| r["id"] == "b").unwrap();
    assert_eq!(b["meta"]["extra"], 1);
    let latin = recs.iter().find(|r| r["id"] == "latin").unwrap();
    assert!(latin["text"].as_str().unwrap().contains("\u{e9}t\u{e9}"));
    assert!(latin["repairs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["kind"] == "decoded_cp1252"));
}

#[test]
fn stdin_plain_text_and_json_lines() {
    let out = kestrel()
        .args([
            "extract",
            "-q",
            "--id",
            "kabul-1",
            "--published",
            "2024-03-04",
            "-",
        ])
        .write_stdin(STORY)
        .assert()
        .success();
    let r = &records(&out.get_output().stdout)[0];
    assert_eq!(r["id"], "kabul-1");
    assert_eq!(r["published"], "2024-03-04");
    assert_eq!(r["dateline"]["text"], "KABUL, Afghanistan");

    let out = kestrel()
        .args(["extract", "-q", "-"])
        .write_stdin(
            "\n  {\"id\":\"x\",\"text\":\"Hello there.\"}\n{\"id\":\"y\",\"text\":\"Bye.\"}\n",
        )
        .assert()
        .success();
    assert_eq!(records(&out.get_output().stdout).len(), 2);

    // Plain text on stdin without --id takes the hash's first 16 hex digits.
    let out = kestrel()
        .args(["extract", "-q", "-"])
        .write_stdin("Just text.")
        .assert()
        .success();
    let r = &records(&out.get_output().stdout)[0];
    assert_eq!(
        r["id"].as_str().unwrap(),
        &r["hash"].as_str().unwrap()[..16]
    );
}

#[test]
fn nothing_processable_is_exit_2_and_usage_errors_too() {
    kestrel()
        .args(["extract", "/nonexistent/file.txt"])
        .assert()
        .code(2);
    kestrel()
        .args(["extract", "--published", "24/01/2020", "x.txt"])
        .assert()
        .code(2);
    kestrel()
        .args(["extract", "--format", "xml", "x.txt"])
        .assert()
        .code(2);
}

#[test]
fn output_file_and_thread_count_do_not_change_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    for i in 0..700 {
        lines.push_str(&format!(
            "{{\"id\":\"n{i}\",\"text\":\"LAGOS, Nigeria \u{2014} Protest number {i} drew crowds on Friday. Police said {i} people were arrested.\"}}\n"
        ));
    }
    let input = dir.path().join("many.jsonl");
    std::fs::write(&input, lines).unwrap();
    let one = dir.path().join("one.jsonl");
    let two = dir.path().join("two.jsonl");
    kestrel()
        .args(["extract", "-q", "--threads", "1", "-o"])
        .arg(&one)
        .arg(&input)
        .assert()
        .success();
    kestrel()
        .args(["extract", "-q", "--threads", "2", "-o"])
        .arg(&two)
        .arg(&input)
        .assert()
        .success();
    let a = std::fs::read(&one).unwrap();
    assert_eq!(a, std::fs::read(&two).unwrap());
    assert_eq!(records(&a).len(), 700);
}

#[test]
fn eval_scores_layout_layers() {
    let dir = tempfile::tempdir().unwrap();
    let art = dir.path().join("story.txt");
    std::fs::write(&art, "Monday, March 2, 2026\n\nCAIRO, Egypt \u{2014} Talks began.\n\nA man waves a flag (Jane Roe / Example News)").unwrap();
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"id\":\"story\",\"published\":\"2026-03-02\",\"dateline\":\"Cairo, Egypt\",\"blocks\":[{\"kind\":\"byline\",\"starts\":\"Monday, March 2\"},{\"kind\":\"caption\",\"starts\":\"A man waves\"}]}\n",
    )
    .unwrap();
    let out = kestrel()
        .args(["eval", "--json", "--gold"])
        .arg(&gold)
        .arg(&art)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    for f in ["published", "dateline", "blocks"] {
        assert_eq!(v["fields"][f]["f1"], 1.0, "{f}: {v}");
    }
}

/// One row of a GeoNames geoname table (19 tab-separated columns).
fn geonames_row(
    id: u64,
    name: &str,
    (lat, lon): (f64, f64),
    (class, code): (&str, &str),
    cc: &str,
    pop: u64,
) -> String {
    let cols: Vec<String> = vec![
        id.to_string(),
        name.into(),
        name.into(),
        String::new(),
        lat.to_string(),
        lon.to_string(),
        class.into(),
        code.into(),
        cc.into(),
        String::new(),
        "01".into(),
        String::new(),
        String::new(),
        String::new(),
        pop.to_string(),
        String::new(),
        "100".into(),
        "Africa/Nairobi".into(),
        "2024-01-01".into(),
    ];
    cols.join("\t")
}

#[test]
fn a_geonames_file_replaces_the_embedded_gazetteer() {
    let dir = tempfile::tempdir().unwrap();
    // A made-up town that no real gazetteer lists, in a made-up file.
    let gaz = dir.path().join("towns.txt");
    let rows = [
        geonames_row(
            9_900_001,
            "Kenya",
            (1.0, 38.0),
            ("A", "PCLI"),
            "KE",
            50_000_000,
        ),
        geonames_row(
            9_900_002,
            "Velmorathi",
            (-0.75, 36.25),
            ("P", "PPL"),
            "KE",
            41_000,
        ),
    ];
    std::fs::write(&gaz, rows.join("\n") + "\n").unwrap();
    let story = dir.path().join("velmorathi.txt");
    std::fs::write(
        &story,
        "Teachers marched through Velmorathi on Monday to demand unpaid wages, organisers said.\n",
    )
    .unwrap();
    let place_names = |args: &[&str]| -> Vec<(String, f64)> {
        let out = kestrel().args(args).assert().success();
        let recs = records(&out.get_output().stdout);
        recs[0]["places"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("").to_string(),
                    p["lat"].as_f64().unwrap_or(0.0),
                )
            })
            .collect()
    };
    let story_s = story.to_str().unwrap();
    let with = place_names(&[
        "extract",
        "-q",
        "--gazetteer",
        gaz.to_str().unwrap(),
        story_s,
    ]);
    assert!(
        with.iter()
            .any(|(n, lat)| n == "Velmorathi" && (*lat + 0.75).abs() < 1e-6),
        "places with the file: {with:?}"
    );
    let without = place_names(&["extract", "-q", story_s]);
    assert!(
        !without.iter().any(|(n, _)| n == "Velmorathi"),
        "the embedded gazetteer has no Velmorathi: {without:?}"
    );
    // A file that is not a GeoNames table is a usage error naming the file.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "not\ta gazetteer\n").unwrap();
    let out = kestrel()
        .args([
            "extract",
            "-q",
            "--gazetteer",
            bad.to_str().unwrap(),
            story_s,
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("bad.txt") && err.contains("19 columns"),
        "{err}"
    );
}
