//! Scorers for other projects' event gold: PLOVER's gold standard records (sentence-level type
//! and source/target actor codes) and PETRARCH-2's validation records (CAMEO triples, counted as
//! correct / uncoded / extra the way PETRARCH's validators count them).

use super::Scores;
use crate::eval::events::side_codes;
use crate::model::{Article, Record};
use crate::Pipeline;
use regex::Regex;
use serde_json::Value;
use std::path::Path;

fn run(pipeline: &Pipeline, id: &str, text: &str, published: Option<String>) -> Record {
    pipeline.process(Article {
        id: id.to_string(),
        text: text.to_string(),
        hash: crate::ingest::sha256_hex(text.as_bytes()),
        published,
        ..Default::default()
    })
}

/// The main event of a one-sentence record: the first one told (the matrix clause comes first in
/// news sentences), the more confident on a tie.
fn main_event(rec: &Record) -> Option<&crate::model::Event> {
    rec.events.iter().min_by(|a, b| {
        a.trigger.span.0.cmp(&b.trigger.span.0).then(
            b.confidence
                .partial_cmp(&a.confidence)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    })
}

/// A gold actor of a PLOVER record: its words and its full code (code + sector).
fn plover_actors(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| {
                let text = x.get("actorText")?.as_str()?.to_string();
                let code = x
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let sector = x.get("sector").and_then(Value::as_str).unwrap_or("");
                let full = format!("{code}{sector}");
                (!code.is_empty()).then_some((text, full))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Score PLOVER gold standard records (`plover-gsr-dev.json`).
/// The entity that stands for a gold actor's words: one whose mention overlaps them; of
/// several, the one holding the phrase's head, its last word ("Sudan's government" is the
/// government, not Sudan), then the widest overlap.
fn entity_for<'a>(rec: &'a Record, words: &str) -> Option<&'a crate::model::Entity> {
    let a = rec.text.find(words)?;
    let span = crate::model::Span(a, a + words.len());
    rec.entities
        .iter()
        .filter_map(|e| {
            e.mentions
                .iter()
                .filter(|m| m.overlaps(span))
                .map(|m| {
                    let overlap = m.1.min(span.1) - m.0.max(span.0);
                    (m.1 >= span.1 && m.0 < span.1, overlap)
                })
                .max()
                .map(|k| (k, e))
        })
        .max_by_key(|(k, _)| *k)
        .map(|(_, e)| e)
}

pub fn evaluate_plover(pipeline: &Pipeline, path: &Path) -> Result<Scores, String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&data)
        .map_err(|e| format!("{}: malformed JSON: {e}", path.display()))?;
    let list = v.as_array().ok_or(format!(
        "{}: expected a JSON array of records",
        path.display()
    ))?;
    let mut s = Scores::default();
    for r in list {
        let id = r.get("id").and_then(Value::as_str).unwrap_or("?");
        let Some(text) = r.get("text").and_then(Value::as_str) else {
            continue;
        };
        let gold_type = r.get("event").and_then(Value::as_str).unwrap_or("");
        let date = r.get("date").and_then(Value::as_str).map(str::to_string);
        let rec = run(pipeline, id, text, date);
        let main = main_event(&rec);
        let ok = main.is_some_and(|e| e.kind == gold_type);
        s.accuracy("plover: type of main event", ok);
        s.accuracy(
            "plover: type among events",
            rec.events.iter().any(|e| e.kind == gold_type),
        );
        // PLOVER codes a stated intention ("will provide aid", "offered to hand over") as AGREE;
        // so does Kestrel when the actor states it, but an expected or scheduled event keeps its
        // own type with status planned. Mapped for comparison.
        let as_plover = |e: &crate::model::Event| -> String {
            if e.status == "planned"
                && !matches!(
                    e.kind.as_str(),
                    "REQUEST" | "THREATEN" | "PROTEST" | "REJECT"
                )
            {
                "AGREE".to_string()
            } else {
                e.kind.clone()
            }
        };
        s.accuracy(
            "plover: type of main event (intent as AGREE)",
            main.is_some_and(|e| as_plover(e) == gold_type),
        );
        if !ok {
            s.note(
                "plover type errors",
                format!(
                    "{id}: gold {gold_type} got {} in {:?}",
                    main.map(|e| e.kind.as_str()).unwrap_or("-"),
                    text.chars().take(90).collect::<String>()
                ),
            );
        }
        // Actor codes: the entity that stands for the gold actor's words.
        for (role, gold) in [
            ("source", plover_actors(r.get("source"))),
            ("target", plover_actors(r.get("target"))),
        ] {
            for (words, code) in gold {
                let words = words.trim();
                let entity = entity_for(&rec, words);
                let pred = entity
                    .and_then(|e| e.actor.as_ref())
                    .map(|a| a.code.clone());
                s.accuracy(
                    "plover: actor code (all gold actors)",
                    pred.as_deref() == Some(code.as_str()),
                );
                if let Some(p) = &pred {
                    s.accuracy("plover: actor code (coded actors)", *p == code);
                    s.accuracy(
                        "plover: actor country (coded actors)",
                        p.get(..3) == code.get(..3),
                    );
                }
                if pred.as_deref() != Some(code.as_str()) {
                    s.note(
                        "plover actor code errors",
                        format!(
                            "{id}: {role} {words:?} gold {code} got {}",
                            pred.as_deref().unwrap_or("-")
                        ),
                    );
                }
                // The event's own side.
                if let Some(e) = main.filter(|e| e.kind == gold_type) {
                    let side = if role == "source" {
                        side_codes(&e.source)
                    } else {
                        side_codes(&e.target)
                    };
                    s.accuracy(&format!("plover: event {role} code"), side.contains(&code));
                }
            }
        }
    }
    Ok(s)
}

/// Score PETRARCH-2 validation records: each gold coding is correct when an event has its CAMEO
/// code and the source and target countries, uncoded otherwise; events matching no coding are extra.
pub fn evaluate_petr2(pipeline: &Pipeline, path: &Path) -> Result<Scores, String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sent_re = Regex::new(r#"<Sentence\b[^>]*\bdate="(\d{8})"[^>]*\bid="([^"]+)"[^>]*/?>"#)
        .expect("regex");
    let coding_re = Regex::new(
        r#"<EventCoding\s+eventcode="(\d+)"\s+sourcecode="([^"]*)"\s+targetcode="([^"]*)"\s*/>"#,
    )
    .expect("regex");
    let text_re = Regex::new(r"(?s)<Text>(.*?)</Text>").expect("regex");
    let starts: Vec<_> = sent_re
        .captures_iter(&data)
        .map(|c| {
            (
                c.get(0).map_or(0, |m| m.start()),
                c[1].to_string(),
                c[2].to_string(),
            )
        })
        .collect();
    let mut s = Scores::default();
    let (mut correct, mut correct_root, mut uncoded, mut extra, mut total) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    for (k, (start, date, id)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(data.len(), |x| x.0);
        let chunk = &data[*start..end];
        let Some(t) = text_re.captures(chunk) else {
            continue;
        };
        let text = t[1].split_whitespace().collect::<Vec<_>>().join(" ");
        let published = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..8]);
        let rec = run(pipeline, id, &text, Some(published));
        let codings: Vec<(String, String, String)> = coding_re
            .captures_iter(chunk)
            .map(|c| (c[1].to_string(), c[2].to_string(), c[3].to_string()))
            .collect();
        let mut used = vec![false; rec.events.len()];
        for (code, src, tgt) in &codings {
            total += 1;
            let agrees = |e: &crate::model::Event, root_only: bool| {
                let code_ok = if root_only {
                    e.cameo.get(..2) == code.get(..2)
                } else {
                    e.cameo == *code
                };
                let sc = side_codes(&e.source);
                let tc = side_codes(&e.target);
                let country = |codes: &[String], gold: &str| {
                    gold.is_empty() || codes.iter().any(|c| c.get(..3) == gold.get(..3))
                };
                code_ok && country(&sc, src) && country(&tc, tgt)
            };
            match (0..rec.events.len()).find(|&i| !used[i] && agrees(&rec.events[i], false)) {
                Some(i) => {
                    used[i] = true;
                    correct += 1;
                    correct_root += 1;
                }
                None => match (0..rec.events.len())
                    .find(|&i| !used[i] && agrees(&rec.events[i], true))
                {
                    Some(i) => {
                        used[i] = true;
                        correct_root += 1;
                        uncoded += 1;
                    }
                    None => {
                        uncoded += 1;
                        s.note(
                            "petr2 uncoded",
                            format!(
                                "{id}: {code} {src} -> {tgt} in {:?}",
                                text.chars().take(80).collect::<String>()
                            ),
                        );
                    }
                },
            }
        }
        extra += used.iter().filter(|u| !**u).count();
    }
    let pct = |n: usize| {
        if total == 0 {
            0.0
        } else {
            100.0 * n as f64 / total as f64
        }
    };
    s.note(
        "petr2 summary",
        format!(
            "{total} codings: {correct} correct ({:.1} %), {correct_root} with the right CAMEO root ({:.1} %), {uncoded} uncoded ({:.1} %), {extra} extra events ({:.1} % of the codings)",
            pct(correct),
            pct(correct_root),
            pct(uncoded),
            pct(extra)
        ),
    );
    for _ in 0..correct {
        s.tp("petr2: codings");
    }
    for _ in 0..uncoded {
        s.field("petr2: codings").counts.fn_ += 1;
    }
    for _ in 0..extra {
        s.field("petr2: codings").counts.fp += 1;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gold_actor_is_the_entity_of_its_head_word() {
        let rec = run(
            &Pipeline::new(),
            "t",
            "Chad's government rejected the plan on Monday.",
            Some("2024-03-04".into()),
        );
        let e = entity_for(&rec, "Chad's government").expect("an entity");
        assert_eq!(e.actor.as_ref().map(|a| a.code.as_str()), Some("TCDGOV"));
        assert!(entity_for(&rec, "Niger's army").is_none());
    }
}
