//! Scorer for the time-expression gold (`gold/time-expressions.jsonl`): span P/R/F1 (the exact
//! text, and overlapping text) and value accuracy on found expressions, and overall value F1.

use super::Scores;
use crate::timex::find_times;
use chrono::NaiveDate;
use serde_json::Value;
use std::path::Path;

/// Score the tagger on a time-expression gold file.
pub fn evaluate_file(path: &Path) -> Result<Scores, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = Scores::default();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let sentence = v.get("sentence").and_then(Value::as_str).ok_or(format!(
            "{}:{}: no sentence",
            path.display(),
            i + 1
        ))?;
        let published = v
            .get("published")
            .and_then(Value::as_str)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
            .ok_or(format!("{}:{}: no published date", path.display(), i + 1))?;
        let gold: Vec<(String, String, Option<String>)> = v
            .get("expressions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        Some((
                            e.get("text")?.as_str()?.to_string(),
                            e.get("value")?.as_str()?.to_string(),
                            e.get("end").and_then(Value::as_str).map(str::to_string),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let pred = find_times(sentence, 0, published);
        let mut used = vec![false; pred.len()];
        for (gt, gv, ge) in &gold {
            let gs = sentence.find(gt.as_str()).unwrap_or(0);
            let gspan = (gs, gs + gt.len());
            let exact = (0..pred.len()).find(|&k| !used[k] && pred[k].span.slice(sentence) == gt);
            let overlap = exact.or_else(|| {
                (0..pred.len())
                    .find(|&k| !used[k] && pred[k].span.0 < gspan.1 && gspan.0 < pred[k].span.1)
            });
            match overlap {
                Some(k) => {
                    used[k] = true;
                    s.tp("timex.span (overlap)");
                    if exact.is_some() {
                        s.tp("timex.span (exact)");
                    } else {
                        s.fn_(
                            "timex.span (exact)",
                            format!("{id}: {gt:?} got {:?}", pred[k].span.slice(sentence)),
                        );
                    }
                    let p = &pred[k];
                    let ok = p.value == *gv && (ge.is_none() || p.end == *ge);
                    s.accuracy("timex value (found)", ok);
                    if ok {
                        s.tp("timex.value");
                    } else {
                        s.fn_(
                            "timex.value",
                            format!(
                                "{id}: {gt:?} gold {gv}{} got {}{} [{}]",
                                ge.as_deref().map(|e| format!("..{e}")).unwrap_or_default(),
                                p.value,
                                p.end
                                    .as_deref()
                                    .map(|e| format!("..{e}"))
                                    .unwrap_or_default(),
                                published
                            ),
                        );
                        s.fp("timex.value", format!("{id}: {:?}", p.span.slice(sentence)));
                    }
                }
                None => {
                    s.fn_("timex.span (overlap)", format!("{id}: {gt:?}"));
                    s.fn_("timex.span (exact)", format!("{id}: {gt:?}"));
                    s.fn_("timex.value", format!("{id}: {gt:?} gold {gv}"));
                }
            }
        }
        for (k, p) in pred.iter().enumerate() {
            if !used[k] {
                let what = format!("{id}: {:?} in {:?}", p.span.slice(sentence), sentence);
                s.fp("timex.span (overlap)", what.clone());
                s.fp("timex.span (exact)", what.clone());
                s.fp("timex.value", what);
            }
        }
    }
    Ok(s)
}
