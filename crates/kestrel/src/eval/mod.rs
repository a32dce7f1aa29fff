//! Evaluation: score records against gold annotations, field by field.
//!
//! Gold is `kestrel-gold/1` JSON Lines (see `docs/gold-format.md`): one object per article, by id,
//! each layer optional. Every layer has its own [`Scorer`]; the harness loads gold, pairs it with
//! records by id, runs every scorer and prints precision, recall and F1 per field with the misses.
//! New layers add a scorer here; they never need a new harness.

pub mod entities;
pub mod events;
pub mod external;
pub mod geo;
pub mod html;
pub mod layout;
pub mod places;
pub mod polnear;
pub mod quotes;
pub mod timex;

use crate::model::Record;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// One gold article: the raw JSON object, read by each scorer for its own layer.
#[derive(Clone, Debug)]
pub struct GoldArticle {
    pub id: String,
    pub fields: Map<String, Value>,
}

impl GoldArticle {
    /// A layer: `None` when absent (not scored), `Some(Value::Null)` when annotated as nothing.
    pub fn layer(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// A list layer; `None` when absent.
    pub fn list(&self, name: &str) -> Option<&[Value]> {
        match self.fields.get(name) {
            Some(Value::Array(a)) => Some(a),
            Some(Value::Null) => Some(&[]),
            _ => None,
        }
    }
}

/// Load gold articles from a JSON Lines file.
pub fn load_gold(path: &Path) -> Result<Vec<GoldArticle>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: malformed gold JSON: {e}", path.display(), i + 1))?;
        let Value::Object(fields) = v else {
            return Err(format!("{}:{}: expected an object", path.display(), i + 1));
        };
        let id = match fields.get("id") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(format!(
                    "{}:{}: gold line has no \"id\"",
                    path.display(),
                    i + 1
                ))
            }
        };
        out.push(GoldArticle { id, fields });
    }
    Ok(out)
}

/// True positives, false positives and false negatives of one field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of every field, with examples of what was missed or wrongly found.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    pub fields: BTreeMap<String, FieldScore>,
    /// Accuracy-style figures (correct, total) that are not P/R/F1.
    pub accuracies: BTreeMap<String, (usize, usize)>,
    /// Examples worth reading that are not counts (e.g. wrong codes on found entities).
    pub notes: BTreeMap<String, Vec<String>>,
}

/// One field's counts and its misses (`-` missed gold, `+` spurious output).
#[derive(Clone, Debug, Default)]
pub struct FieldScore {
    pub counts: Counts,
    pub misses: Vec<String>,
}

impl Scores {
    pub fn tp(&mut self, field: &str) {
        self.field(field).counts.tp += 1;
    }
    pub fn fp(&mut self, field: &str, what: String) {
        let f = self.field(field);
        f.counts.fp += 1;
        f.misses.push(format!("+ {what}"));
    }
    pub fn fn_(&mut self, field: &str, what: String) {
        let f = self.field(field);
        f.counts.fn_ += 1;
        f.misses.push(format!("- {what}"));
    }
    pub fn field(&mut self, field: &str) -> &mut FieldScore {
        self.fields.entry(field.to_string()).or_default()
    }
    /// Add another set of scores to these.
    pub fn merge(&mut self, other: Scores) {
        for (k, f) in other.fields {
            let e = self.fields.entry(k).or_default();
            e.counts.add(f.counts);
            e.misses.extend(f.misses);
        }
        for (k, (a, b)) in other.accuracies {
            let e = self.accuracies.entry(k).or_default();
            e.0 += a;
            e.1 += b;
        }
        for (k, v) in other.notes {
            self.notes.entry(k).or_default().extend(v);
        }
    }

    /// Keep an example under a heading.
    pub fn note(&mut self, heading: &str, what: String) {
        self.notes
            .entry(heading.to_string())
            .or_default()
            .push(what);
    }

    /// Count one accuracy trial.
    pub fn accuracy(&mut self, name: &str, correct: bool) {
        let e = self.accuracies.entry(name.to_string()).or_default();
        e.1 += 1;
        if correct {
            e.0 += 1;
        }
    }

    /// Score one set of predicted items against gold items by a match predicate, greedily one to
    /// one, counting unmatched gold as misses and unmatched predictions as spurious.
    #[allow(clippy::too_many_arguments)] // two item types, each with its own display
    pub fn match_sets<G, P>(
        &mut self,
        field: &str,
        article: &str,
        gold: &[G],
        pred: &[P],
        matches: impl Fn(&G, &P) -> bool,
        show_g: impl Fn(&G) -> String,
        show_p: impl Fn(&P) -> String,
    ) {
        let mut used = vec![false; pred.len()];
        for g in gold {
            match (0..pred.len()).find(|&i| !used[i] && matches(g, &pred[i])) {
                Some(i) => {
                    used[i] = true;
                    self.tp(field);
                }
                None => self.fn_(field, format!("{article}: {}", show_g(g))),
            }
        }
        for (i, p) in pred.iter().enumerate() {
            if !used[i] {
                self.fp(field, format!("{article}: {}", show_p(p)));
            }
        }
    }

    /// Render the table and up to `max_misses` misses per field.
    pub fn render(&self, max_misses: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<28} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "field", "tp", "fp", "fn", "P", "R", "F1"
        );
        for (name, f) in &self.fields {
            let c = f.counts;
            let _ = writeln!(
                s,
                "{:<28} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
                name,
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        if !self.accuracies.is_empty() {
            let _ = writeln!(
                s,
                "\n{:<28} {:>8} {:>8} {:>9}",
                "accuracy", "correct", "total", "acc"
            );
            for (name, (ok, n)) in &self.accuracies {
                let _ = writeln!(s, "{:<28} {:>8} {:>8} {:>9.3}", name, ok, n, ratio(*ok, *n));
            }
        }
        if max_misses > 0 {
            for (name, list) in &self.notes {
                let _ = writeln!(s, "\n{name}");
                for m in list.iter().take(max_misses) {
                    let _ = writeln!(s, "  {m}");
                }
                if list.len() > max_misses {
                    let _ = writeln!(s, "  ... {} more", list.len() - max_misses);
                }
            }
            for (name, f) in &self.fields {
                if f.misses.is_empty() {
                    continue;
                }
                let _ = writeln!(s, "\nmisses: {name}");
                for m in f.misses.iter().take(max_misses) {
                    let _ = writeln!(s, "  {m}");
                }
                if f.misses.len() > max_misses {
                    let _ = writeln!(s, "  ... {} more", f.misses.len() - max_misses);
                }
            }
        }
        s
    }

    /// The scores as JSON (for scripts and CI summaries).
    pub fn to_json(&self) -> Value {
        let mut fields = Map::new();
        for (name, f) in &self.fields {
            let c = f.counts;
            fields.insert(
                name.clone(),
                serde_json::json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_,
                    "precision": c.precision(), "recall": c.recall(), "f1": c.f1()}),
            );
        }
        let mut acc = Map::new();
        for (name, (ok, n)) in &self.accuracies {
            acc.insert(
                name.clone(),
                serde_json::json!({"correct": ok, "total": n, "accuracy": ratio(*ok, *n)}),
            );
        }
        serde_json::json!({"fields": fields, "accuracies": acc})
    }
}

/// Scores one gold layer against a record.
pub trait Scorer {
    fn score(&self, gold: &GoldArticle, record: &Record, scores: &mut Scores);
}

/// Every scorer for `kestrel-gold/1` layers.
pub fn scorers() -> Vec<Box<dyn Scorer>> {
    vec![
        Box::new(layout::PublishedScorer),
        Box::new(layout::DatelineScorer),
        Box::new(layout::BlockScorer),
        Box::new(layout::RepairScorer),
        Box::new(entities::EntityScorer),
        Box::new(events::EventScorer),
        Box::new(quotes::QuoteScorer),
    ]
}

/// Score records against gold. Gold articles with no record are reported as missing records.
pub fn evaluate(gold: &[GoldArticle], records: &BTreeMap<String, Record>) -> Scores {
    let mut scores = Scores::default();
    let scorers = scorers();
    for g in gold {
        match records.get(&g.id) {
            Some(r) => {
                scores.accuracy("articles found", true);
                for s in &scorers {
                    s.score(g, r, &mut scores);
                }
            }
            None => {
                scores.accuracy("articles found", false);
                scores
                    .field("records")
                    .misses
                    .push(format!("- {}: no record for this gold article", g.id));
            }
        }
    }
    scores
}

/// Normalise text for lenient comparison: fold quotation marks and dashes, collapse whitespace,
/// lowercase.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{AB}' | '\u{BB}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}
