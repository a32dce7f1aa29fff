//! Scorer for the `entities` gold layer: entity recognition (P/R/F1, overall and per kind) and
//! actor-code accuracy on the entities found.

use super::{norm, GoldArticle, Scorer, Scores};
use crate::model::{Entity, Record};
use serde_json::Value;

/// Entities by name (lenient: equal names, a mention equal to the gold name, or one name ending
/// the other at a word boundary), then their codes.
pub struct EntityScorer;

struct GoldEntity {
    name: String,
    kind: String,
    code: Option<String>,
}

fn gold_entities(list: &[Value]) -> Vec<GoldEntity> {
    list.iter()
        .filter_map(|e| {
            Some(GoldEntity {
                name: e.get("name")?.as_str()?.to_string(),
                kind: e
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                code: e.get("code").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect()
}

/// Whether `a` ends with `b` (or equals it) at a word boundary.
fn ends_with_word(a: &str, b: &str) -> bool {
    a == b || (a.ends_with(b) && a[..a.len() - b.len()].ends_with(' '))
}

/// Whether a predicted entity names the gold entity.
pub fn names_match(gold: &str, e: &Entity, text: &str) -> bool {
    let g = norm(gold);
    let p = norm(&e.name);
    if g == p || ends_with_word(&g, &p) || ends_with_word(&p, &g) {
        return true;
    }
    e.mentions.iter().any(|m| norm(m.slice(text)) == g)
}

impl Scorer for EntityScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(list) = gold.list("entities") else {
            return;
        };
        let gold = (gold.id.as_str(), gold_entities(list));
        let (id, gold) = gold;
        let pred = &rec.entities;
        // Match the most specific pairs first: exact names before lenient ones.
        let mut used = vec![false; pred.len()];
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut unmatched: Vec<usize> = Vec::new();
        for pass in 0..2 {
            for (gi, g) in gold.iter().enumerate() {
                if pairs.iter().any(|p| p.0 == gi) {
                    continue;
                }
                let found = (0..pred.len()).find(|&pi| {
                    !used[pi]
                        && if pass == 0 {
                            norm(&pred[pi].name) == norm(&g.name)
                        } else {
                            names_match(&g.name, &pred[pi], &rec.text)
                        }
                });
                if let Some(pi) = found {
                    used[pi] = true;
                    pairs.push((gi, pi));
                } else if pass == 1 {
                    unmatched.push(gi);
                }
            }
        }
        for &gi in &unmatched {
            let g = &gold[gi];
            s.fn_(
                "entities",
                format!(
                    "{id}: {} ({}, {})",
                    g.name,
                    g.kind,
                    g.code.as_deref().unwrap_or("-")
                ),
            );
            s.fn_(&format!("entities.{}", g.kind), format!("{id}: {}", g.name));
        }
        for (pi, p) in pred.iter().enumerate() {
            if !used[pi] {
                let code = p.actor.as_ref().map(|a| a.code.as_str()).unwrap_or("-");
                s.fp(
                    "entities",
                    format!("{id}: {} ({}, {code})", p.name, p.kind.as_str()),
                );
                s.fp(
                    &format!("entities.{}", p.kind.as_str()),
                    format!("{id}: {}", p.name),
                );
            }
        }
        for &(gi, pi) in &pairs {
            let g = &gold[gi];
            let p = &pred[pi];
            s.tp("entities");
            s.tp(&format!("entities.{}", g.kind));
            s.accuracy("entity kind", p.kind.as_str() == g.kind);
            if let Some(gc) = &g.code {
                let pc = p.actor.as_ref().map(|a| a.code.as_str());
                let ok = pc == Some(gc.as_str());
                s.accuracy("actor code (found entities)", ok);
                s.accuracy(
                    "actor country (found entities)",
                    pc.is_some_and(|c| c.get(..3) == gc.get(..3)),
                );
                if !ok {
                    s.note(
                        "actor code errors",
                        format!("{id}: {} gold {gc} got {}", g.name, pc.unwrap_or("-")),
                    );
                }
            }
        }
    }
}
