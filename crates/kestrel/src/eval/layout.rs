//! Scorers for the foundation layers: published date, dateline, blocks and repairs.

use super::{norm, GoldArticle, Scorer, Scores};
use crate::model::{BlockKind, Record, RepairKind};
use serde_json::Value;

/// `published`: the record's date against the gold date (exact).
pub struct PublishedScorer;

impl Scorer for PublishedScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(g) = gold.layer("published") else {
            return;
        };
        score_value(
            s,
            "published",
            &gold.id,
            g.as_str(),
            rec.published.as_deref(),
            |a, b| a == b,
        );
    }
}

/// `dateline`: the dateline's place text (case and punctuation folded).
pub struct DatelineScorer;

impl Scorer for DatelineScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(g) = gold.layer("dateline") else {
            return;
        };
        let g = match g {
            Value::String(t) => Some(t.as_str()),
            Value::Object(o) => o.get("text").and_then(Value::as_str),
            _ => None,
        };
        let p = rec.dateline.as_ref().map(|d| d.text.as_str());
        score_value(s, "dateline", &gold.id, g, p, |a, b| norm(a) == norm(b));
    }
}

/// Score a single-valued field: right value is a hit; a wrong value is both a miss and spurious.
fn score_value(
    s: &mut Scores,
    field: &str,
    id: &str,
    gold: Option<&str>,
    pred: Option<&str>,
    same: impl Fn(&str, &str) -> bool,
) {
    match (gold, pred) {
        (Some(g), Some(p)) if same(g, p) => s.tp(field),
        (Some(g), Some(p)) => {
            s.fn_(field, format!("{id}: {g}"));
            s.fp(field, format!("{id}: {p}"));
        }
        (Some(g), None) => s.fn_(field, format!("{id}: {g}")),
        (None, Some(p)) => s.fp(field, format!("{id}: {p}")),
        (None, None) => {}
    }
}

/// `blocks`: every non-body block by kind and first words; also per kind (`blocks.caption`, ...).
pub struct BlockScorer;

impl Scorer for BlockScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(list) = gold.list("blocks") else {
            return;
        };
        let gold_blocks: Vec<(BlockKind, String)> = list
            .iter()
            .filter_map(|b| {
                let kind = BlockKind::parse(b.get("kind")?.as_str()?)?;
                let starts = norm(b.get("starts")?.as_str()?);
                Some((kind, starts))
            })
            .filter(|(k, _)| *k != BlockKind::Body)
            .collect();
        let pred: Vec<(BlockKind, String)> = rec
            .blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Body)
            .map(|b| (b.kind, norm(b.span.slice(&rec.text))))
            .collect();
        let show = |b: &(BlockKind, String)| {
            format!(
                "{} {:?}",
                b.0.as_str(),
                b.1.chars().take(40).collect::<String>()
            )
        };
        s.match_sets(
            "blocks",
            &gold.id,
            &gold_blocks,
            &pred,
            |g, p| g.0 == p.0 && p.1.starts_with(&g.1),
            show,
            show,
        );
        for kind in [
            BlockKind::Heading,
            BlockKind::Caption,
            BlockKind::Byline,
            BlockKind::Boilerplate,
        ] {
            let g: Vec<_> = gold_blocks
                .iter()
                .filter(|b| b.0 == kind)
                .cloned()
                .collect();
            let p: Vec<_> = pred.iter().filter(|b| b.0 == kind).cloned().collect();
            let field = format!("blocks.{}", kind.as_str());
            s.match_sets(
                &field,
                &gold.id,
                &g,
                &p,
                |g, p| p.1.starts_with(&g.1),
                show,
                show,
            );
        }
    }
}

/// `repairs`: distinct (kind, raw) pairs of damage. Layout-only kinds (whitespace, nbsp) count
/// only when the gold lists them.
pub struct RepairScorer;

impl Scorer for RepairScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(list) = gold.list("repairs") else {
            return;
        };
        let mut gold_pairs: Vec<(String, String)> = list
            .iter()
            .filter_map(|r| {
                Some((
                    r.get("kind")?.as_str()?.to_string(),
                    r.get("raw")?.as_str()?.trim().to_string(),
                ))
            })
            .collect();
        gold_pairs.sort();
        gold_pairs.dedup();
        let listed_layout = |k: &str| gold_pairs.iter().any(|(gk, _)| gk == k);
        let mut pred: Vec<(String, String)> = rec
            .repairs
            .iter()
            .filter(|r| {
                !matches!(r.kind, RepairKind::Whitespace | RepairKind::Nbsp)
                    || listed_layout(r.kind.as_str())
            })
            .map(|r| (r.kind.as_str().to_string(), r.raw.trim().to_string()))
            .collect();
        pred.sort();
        pred.dedup();
        let show = |p: &(String, String)| format!("{} {:?}", p.0, p.1);
        s.match_sets(
            "repairs",
            &gold.id,
            &gold_pairs,
            &pred,
            |g, p| g == p,
            show,
            show,
        );
    }
}
