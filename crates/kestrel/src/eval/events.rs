//! Scorer for the `events` gold layer.
//!
//! Only events that happened (status occurred or ongoing) count as events, as ANNOTATION.md says;
//! the others are scored for their status apart. A predicted event matches a gold one when the
//! type agrees and at least one actor code agrees (or the gold names no actor at all), and, where
//! both carry a date, the dates agree. Matched pairs are then scored field by field.

use super::{GoldArticle, Scorer, Scores};
use crate::model::{Event, EventSide, Record};
use serde_json::Value;

pub struct EventScorer;

/// A gold event, read leniently.
#[derive(Debug)]
pub struct GoldEvent {
    pub kind: String,
    pub mode: Option<String>,
    pub status: String,
    pub source: Vec<String>,
    pub target: Vec<String>,
    pub trigger: String,
    pub date: Option<(String, String, Option<String>)>,
    pub place: Option<Value>,
    pub counts: Vec<(&'static str, Option<u64>, Option<u64>)>,
}

fn codes(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Read the gold events of one article.
pub fn gold_events(list: &[Value]) -> Vec<GoldEvent> {
    list.iter()
        .filter_map(|e| {
            let date = e.get("date").and_then(|d| {
                Some((
                    d.get("value")?.as_str()?.to_string(),
                    d.get("precision")
                        .and_then(Value::as_str)
                        .unwrap_or("day")
                        .to_string(),
                    d.get("end").and_then(Value::as_str).map(str::to_string),
                ))
            });
            let count = |k: &'static str| {
                let c = e.get(k)?;
                if c.is_null() {
                    return None;
                }
                Some((
                    k,
                    c.get("min").and_then(Value::as_u64),
                    c.get("max").and_then(Value::as_u64),
                ))
            };
            Some(GoldEvent {
                kind: e.get("type")?.as_str()?.to_string(),
                mode: e.get("mode").and_then(Value::as_str).map(str::to_string),
                status: e
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("occurred")
                    .to_string(),
                source: codes(e.get("source")),
                target: codes(e.get("target")),
                trigger: e
                    .get("trigger")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                date,
                place: e.get("place").filter(|p| !p.is_null()).cloned(),
                counts: ["participants", "fatalities", "injuries", "arrests"]
                    .into_iter()
                    .filter_map(count)
                    .collect(),
            })
        })
        .collect()
}

/// Every actor code of an event side (its members, or its single code).
pub fn side_codes(s: &Option<EventSide>) -> Vec<String> {
    match s {
        None => Vec::new(),
        Some(s) if !s.members.is_empty() => {
            s.members.iter().filter_map(|m| m.code.clone()).collect()
        }
        Some(s) => s.code.iter().cloned().collect(),
    }
}

fn happened(status: &str) -> bool {
    matches!(status, "occurred" | "ongoing")
}

fn actors_agree(g: &GoldEvent, p: &Event) -> bool {
    if g.source.is_empty() && g.target.is_empty() {
        return true;
    }
    let pc: Vec<String> = side_codes(&p.source)
        .into_iter()
        .chain(side_codes(&p.target))
        .collect();
    g.source
        .iter()
        .chain(g.target.iter())
        .any(|c| pc.contains(c))
}

/// Whether the gold and the extracted trigger share their words (one holds the other).
fn triggers_agree(g: &GoldEvent, p: &Event) -> bool {
    let (a, b) = (p.trigger.text.to_lowercase(), g.trigger.to_lowercase());
    a.contains(&b) || b.contains(&a)
}

/// Whether a predicted date agrees with the gold date: the same day, or inside the gold range.
pub fn dates_agree(g: &(String, String, Option<String>), p: &crate::model::EventDate) -> bool {
    if p.precision == "inferred" {
        return false;
    }
    let (gv, gp, ge) = g;
    if gp == "range" {
        let end = ge.clone().unwrap_or_else(|| gv.clone());
        return p.value.as_str() >= gv.as_str() && p.value.as_str() <= end.as_str()
            || p.value.starts_with(&gv[..7.min(gv.len())]);
    }
    p.value == *gv
        || (p.value.len() < gv.len() && gv.starts_with(&p.value))
        || (gv.len() < p.value.len() && p.value.starts_with(gv.as_str()))
}

/// A matched pair named for a miss: the type with the gold and the extracted trigger, so a miss
/// caused by matching the wrong extracted event can be told from a wrong field.
pub fn pair_name(g: &GoldEvent, p: &Event) -> String {
    format!("{} {:?}~{:?}", g.kind, g.trigger, p.trigger.text)
}

fn show_gold(g: &GoldEvent) -> String {
    format!(
        "{} {} [{} -> {}] {:?} ({})",
        g.kind,
        g.mode.as_deref().unwrap_or("-"),
        g.source.join("+"),
        g.target.join("+"),
        g.trigger,
        g.status
    )
}

fn show_pred(p: &Event, text: &str) -> String {
    let _ = text;
    format!(
        "{} {} [{} -> {}] {:?} ({})",
        p.kind,
        p.mode.as_deref().unwrap_or("-"),
        side_codes(&p.source).join("+"),
        side_codes(&p.target).join("+"),
        p.trigger.text,
        p.status
    )
}

/// Score a set of side codes against gold codes.
fn score_codes(s: &mut Scores, field: &str, id: &str, gold: &[String], pred: &[String]) {
    for g in gold {
        if pred.contains(g) {
            s.tp(field);
        } else {
            s.fn_(field, format!("{id}: {g}"));
        }
    }
    for p in pred {
        if !gold.contains(p) {
            s.fp(field, format!("{id}: {p}"));
        }
    }
}

impl Scorer for EventScorer {
    fn score(&self, gold: &GoldArticle, rec: &Record, s: &mut Scores) {
        let Some(list) = gold.list("events") else {
            return;
        };
        let id = gold.id.as_str();
        let all_gold = gold_events(list);
        let gold_h: Vec<&GoldEvent> = all_gold.iter().filter(|g| happened(&g.status)).collect();
        let pred_h: Vec<&Event> = rec.events.iter().filter(|p| happened(&p.status)).collect();
        // Type-only matching (how many events of the right kind were found).
        s.match_sets(
            "events (type only)",
            id,
            &gold_h,
            &pred_h,
            |g, p| g.kind == p.kind,
            |g| show_gold(g),
            |p| show_pred(p, &rec.text),
        );
        // The event measure: type and at least one actor (and the date, where both have one).
        let strict = |g: &GoldEvent, p: &Event| {
            g.kind == p.kind
                && actors_agree(g, p)
                && match (&g.date, &p.date) {
                    (Some(gd), Some(pd)) if pd.precision != "inferred" => dates_agree(gd, pd),
                    _ => true,
                }
        };
        // Pairs are taken best first over the whole article, so a gold event does not take the
        // extracted event that fits a later gold event better: a source that agrees too, then the
        // same trigger words, then the same day (over a date only inside a range, over none).
        let mut cands: Vec<((usize, bool, u8), usize, usize)> = Vec::new();
        for (gi, g) in gold_h.iter().enumerate() {
            for (pi, p) in pred_h.iter().enumerate() {
                if !strict(g, p) {
                    continue;
                }
                let src = side_codes(&p.source);
                let date = match (&g.date, &p.date) {
                    (Some(gd), Some(pd)) if pd.value == gd.0 => 2,
                    (Some(gd), Some(pd)) => u8::from(dates_agree(gd, pd)),
                    _ => 0,
                };
                let key = (
                    g.source.iter().filter(|c| src.contains(c)).count(),
                    triggers_agree(g, p),
                    date,
                );
                cands.push((key, gi, pi));
            }
        }
        cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut used = vec![false; pred_h.len()];
        let mut matched: Vec<Option<usize>> = vec![None; gold_h.len()];
        for (_, gi, pi) in cands {
            if !used[pi] && matched[gi].is_none() {
                used[pi] = true;
                matched[gi] = Some(pi);
            }
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for (gi, g) in gold_h.iter().enumerate() {
            match matched[gi] {
                Some(pi) => {
                    pairs.push((gi, pi));
                    s.tp("events");
                }
                None => s.fn_("events", format!("{id}: {}", show_gold(g))),
            }
        }
        for (i, p) in pred_h.iter().enumerate() {
            if !used[i] {
                s.fp("events", format!("{id}: {}", show_pred(p, &rec.text)));
            }
        }
        for (gi, pi) in pairs {
            let g = gold_h[gi];
            let p = pred_h[pi];
            score_codes(s, "events.source", id, &g.source, &side_codes(&p.source));
            score_codes(s, "events.target", id, &g.target, &side_codes(&p.target));
            if g.mode.is_some() || p.mode.is_some() {
                s.accuracy("event mode (matched)", g.mode == p.mode);
            }
            s.accuracy("event status (matched)", g.status == p.status);
            // Dates, places and counts: scored where the gold has them.
            if let Some(gd) = &g.date {
                match &p.date {
                    Some(pd) if pd.precision != "inferred" && dates_agree(gd, pd) => {
                        s.tp("events.date")
                    }
                    Some(pd) => {
                        s.fn_(
                            "events.date",
                            format!(
                                "{id}: {} gold {} got {} ({})",
                                pair_name(g, p),
                                gd.0,
                                pd.value,
                                pd.precision
                            ),
                        );
                        if pd.precision != "inferred" {
                            s.fp("events.date", format!("{id}: {} {}", g.kind, pd.value));
                        }
                    }
                    None => s.fn_(
                        "events.date",
                        format!("{id}: {} gold {}", pair_name(g, p), gd.0),
                    ),
                }
            }
            super::places::score_event_place(s, id, g, p, rec);
            for (field, gmin, gmax) in &g.counts {
                let pc = match *field {
                    "participants" => &p.participants,
                    "fatalities" => &p.fatalities,
                    "injuries" => &p.injuries,
                    _ => &p.arrests,
                };
                let name = format!("events.{field}");
                match pc {
                    Some(c) if count_agrees((*gmin, *gmax), (c.min, c.max)) => s.tp(&name),
                    Some(c) => {
                        s.fn_(
                            &name,
                            format!(
                                "{id}: {} gold {gmin:?}-{gmax:?} got {:?}-{:?} {:?}",
                                pair_name(g, p),
                                c.min,
                                c.max,
                                c.text
                            ),
                        );
                        s.fp(&name, format!("{id}: {:?}", c.text));
                    }
                    None => s.fn_(
                        &name,
                        format!("{id}: {} gold {gmin:?}-{gmax:?}", pair_name(g, p)),
                    ),
                }
            }
        }
        // Status over every event of the article, found by type and actor regardless of status.
        for g in &all_gold {
            if let Some(p) = rec
                .events
                .iter()
                .find(|p| p.kind == g.kind && actors_agree(g, p) && triggers_agree(g, p))
            {
                s.accuracy(
                    "event status (all statuses, by trigger)",
                    p.status == g.status,
                );
            }
        }
    }
}

/// A count agrees when the gold range lies inside the extracted range ("tens of thousands"
/// 10,000–99,999 holds a gold 10,000–99,999; "at least 500" holds 500 with no maximum), and the
/// extracted minimum is not an order of magnitude below the gold one.
pub fn count_agrees(g: (Option<u64>, Option<u64>), p: (Option<u64>, Option<u64>)) -> bool {
    let (Some(gmin), Some(pmin)) = (g.0, p.0) else {
        return false;
    };
    let hi_ok = match p.1 {
        None => true,
        Some(pmax) => pmax >= g.1.unwrap_or(gmin),
    };
    pmin <= gmin && hi_ok && pmin.saturating_mul(10) >= gmin
}
