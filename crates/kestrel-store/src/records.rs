//! Reading `kestrel/1` records back from JSON Lines (the output of `kestrel extract`), for
//! `kestrel ingest --records`.
//!
//! Files may be gzipped (`.gz`); `-` is standard input. Each bad line is an error naming the file
//! and line, and reading goes on with the next line.

use flate2::read::MultiGzDecoder;
use kestrel::model::{Record, SCHEMA};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// One line's outcome: a record, or `FILE:LINE: what is wrong`.
pub type RecordItem = std::result::Result<Record, String>;

/// Stream the records of one input (`-` for standard input).
pub fn read_records(input: &str) -> Box<dyn Iterator<Item = RecordItem> + Send> {
    let reader: Box<dyn Read + Send> = if input == "-" {
        Box::new(io::stdin())
    } else {
        match File::open(input) {
            Ok(f) => {
                if Path::new(input)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
                {
                    Box::new(MultiGzDecoder::new(BufReader::new(f)))
                } else {
                    Box::new(f)
                }
            }
            Err(e) => return Box::new(std::iter::once(Err(format!("{input}: {e}")))),
        }
    };
    let name = if input == "-" {
        "<stdin>".to_string()
    } else {
        input.to_string()
    };
    let mut lines = BufReader::with_capacity(1 << 16, reader).lines();
    let mut n = 0usize;
    let mut done = false;
    Box::new(std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        n += 1;
        match lines.next() {
            None => return None,
            Some(Err(e)) => {
                done = true;
                return Some(Err(format!("{name}:{n}: {e}")));
            }
            Some(Ok(line)) if line.trim().is_empty() => continue,
            Some(Ok(line)) => {
                return Some(parse_record(&line).map_err(|e| format!("{name}:{n}: {e}")))
            }
        }
    }))
}

/// Parse one `kestrel/1` record from a JSON line.
pub fn parse_record(line: &str) -> std::result::Result<Record, String> {
    let rec: Record = serde_json::from_str(line).map_err(|e| {
        format!("not a kestrel/1 record ({e}); give articles without --records to extract them")
    })?;
    if rec.schema != SCHEMA {
        return Err(format!("schema {:?} is not {SCHEMA:?}", rec.schema));
    }
    if rec.id.is_empty() {
        return Err("record has an empty id".into());
    }
    if rec.hash.is_empty() {
        return Err("record has an empty hash".into());
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_named_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.jsonl");
        std::fs::write(&p, "{\"schema\": \"kestrel/1\"}\n\n[1]\n").unwrap();
        let items: Vec<_> = read_records(p.to_str().unwrap()).collect();
        assert_eq!(items.len(), 2);
        let e = items[0].as_ref().unwrap_err();
        assert!(e.contains("r.jsonl:1: not a kestrel/1 record"), "{e}");
        assert!(items[1].as_ref().unwrap_err().contains("r.jsonl:3:"));
    }

    #[test]
    fn a_missing_file_is_one_error() {
        let items: Vec<_> = read_records("/nonexistent/x.jsonl").collect();
        assert_eq!(items.len(), 1);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .starts_with("/nonexistent/x.jsonl: "));
    }
}
