//! Scorer for the `quotes` gold layer: quotations found (by their first words), their kind, speaker
//! and cue. Indirect quotes count only where the gold lists indirect quotes.

use super::{norm, GoldArticle, Scorer, Scores};
use crate::model::Record;
use serde_json::Value;

pub struct QuoteScorer;

/// Whether two speaker names name the same person: equal, or one is the other's surname.
pub fn same_speaker(gold: &str, pred: &str) -> bool {
    let (g, p) = (norm(gold), norm(pred));
    if g == p {
        return true;
    }
    let last = |s: &str| s.rsplit([' ', '-']).next().unwrap_or("").to_string();
    !g.is_empty() && !p.is_empty() && last(&g) == last(&p) && last(&g).len() >= 3
}

impl Scorer for QuoteScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(list) = gold.list("quotes") else {
            return;
        };
        let id = gold.id.as_str();
        let gold_has_indirect = list
            .iter()
            .any(|q| q.get("kind").and_then(Value::as_str) == Some("indirect"));
        let pred: Vec<_> = rec
            .quotes
            .iter()
            .filter(|q| gold_has_indirect || q.kind != "indirect")
            .collect();
        let mut used = vec![false; pred.len()];
        for g in list {
            let starts = norm(g.get("starts").and_then(Value::as_str).unwrap_or(""));
            let gk = g.get("kind").and_then(Value::as_str).unwrap_or("direct");
            let gspeaker = g.get("speaker").and_then(Value::as_str);
            let found = (0..pred.len()).find(|&i| {
                !used[i] && !starts.is_empty() && norm(&pred[i].text).starts_with(&starts)
            });
            match found {
                Some(i) => {
                    used[i] = true;
                    s.tp("quotes");
                    let p = pred[i];
                    s.accuracy("quote kind (found)", p.kind == gk);
                    if let Some(gs) = gspeaker {
                        let ps = p.speaker.as_ref().map(|x| x.text.as_str()).unwrap_or("");
                        let ok = same_speaker(gs, ps);
                        s.accuracy("quote speaker (found)", ok);
                        if !ok {
                            s.note(
                                "quote speaker errors",
                                format!("{id}: {starts:?} gold {gs} got {ps:?}"),
                            );
                        }
                    }
                    if let Some(gc) = g.get("cue").and_then(Value::as_str) {
                        s.accuracy(
                            "quote cue (found)",
                            p.cue.as_ref().is_some_and(|c| norm(&c.text) == norm(gc)),
                        );
                    }
                    if let Some(gb) = g.get("block").and_then(Value::as_str) {
                        s.accuracy("quote block (found)", p.block.as_str() == gb);
                    }
                }
                None => s.fn_(
                    "quotes",
                    format!("{id}: {starts:?} ({gk}, {})", gspeaker.unwrap_or("-")),
                ),
            }
        }
        for (i, p) in pred.iter().enumerate() {
            if !used[i] {
                s.fp(
                    "quotes",
                    format!(
                        "{id}: {:?} ({})",
                        p.text.chars().take(40).collect::<String>(),
                        p.kind
                    ),
                );
            }
        }
    }
}
