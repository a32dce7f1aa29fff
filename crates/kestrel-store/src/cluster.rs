//! Deduplication across articles: events that many outlets report become one *event cluster*.
//!
//! # The rule
//! Two events (from different articles) are reports of the same event when all of these hold:
//! 1. **Type**: the same PLOVER type.
//! 2. **Date**: both have a known day and the days are at most [`ClusterConfig::max_days`] apart
//!    (default 1). An event's day is its own date when the record gives a full `YYYY-MM-DD`
//!    (a range uses its start), else the article's publication date when the event has no date at
//!    all. An event with no known day is never merged.
//! 3. **Place**: when both are geocoded, they lie at most [`ClusterConfig::max_km`] apart (default
//!    25 km, great-circle distance); else when both name a place, the names are equal (case and
//!    punctuation aside); else (one or both unplaced) they are compatible only if
//!    [`ClusterConfig::unplaced_match`] (default true). When both have a country (from the place,
//!    else from the actors) the countries must be equal.
//! 4. **Actors**: source with source and target with target are *compatible*: a side with no actor
//!    code is compatible with anything; two coded sides are compatible when some code of one and
//!    some code of the other agree, one being a prefix of the other (`IRQ` with `IRQCVL`, `USAMIL`
//!    with `USAMIL`, not `IRQCVL` with `IRQGOV`). For the reciprocal types in
//!    [`ClusterConfig::reciprocal_types`] (meetings, agreements) the sides may also be swapped.
//! 5. **Something in common**: when [`ClusterConfig::require_anchor`] (default true), the pair must
//!    share a coded actor or a place (rules 3–4 matched on known values, not only on unknowns), so
//!    two actor-less, place-less protests on the same day are not taken for one.
//!
//! Clusters are the connected components of this relation (single linkage): an arriving event joins
//! the cluster of every earlier event it matches, merging clusters when it matches several. The
//! result therefore does not depend on the order articles arrive in, and updating it costs one
//! indexed look-up of the events of the same type within the date window.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use crate::Result;

/// The thresholds of the clustering rule (see the module documentation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// Largest difference in days between two reports of one event.
    pub max_days: u32,
    /// Largest distance in kilometres between two geocoded reports of one event.
    pub max_km: f64,
    /// Whether an event without a place may match one at any place (other rules permitting).
    pub unplaced_match: bool,
    /// Whether a match needs a known actor or place in common.
    pub require_anchor: bool,
    /// Types whose source and target may be swapped between reports.
    pub reciprocal_types: Vec<String>,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            max_days: 1,
            max_km: 25.0,
            unplaced_match: true,
            require_anchor: true,
            reciprocal_types: ["CONSULT", "AGREE", "COOPERATE"].map(String::from).to_vec(),
        }
    }
}

impl ClusterConfig {
    /// Check the thresholds make sense.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if !(self.max_km.is_finite() && self.max_km >= 0.0) {
            return Err(format!(
                "cluster max_km must be a non-negative number, got {}",
                self.max_km
            ));
        }
        if self.max_days > 366 {
            return Err(format!(
                "cluster max_days must be at most 366, got {}",
                self.max_days
            ));
        }
        Ok(())
    }
}

/// What clustering needs to know about one event.
#[derive(Clone, Debug, Default)]
pub struct Signature {
    pub row: i64,
    pub article_row: i64,
    pub kind: String,
    pub day: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub place_norm: Option<String>,
    pub country: Option<String>,
    pub source_codes: Vec<String>,
    pub target_codes: Vec<String>,
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// Whether two actor codes can name the same actor: one is a prefix of the other.
pub fn codes_compatible(a: &str, b: &str) -> bool {
    a.len() >= 3 && b.len() >= 3 && (a.starts_with(b) || b.starts_with(a))
}

/// Side compatibility: `None` when incompatible, `Some(true)` when a known code matched,
/// `Some(false)` when one side is unknown.
fn side_match(a: &[String], b: &[String]) -> Option<bool> {
    if a.is_empty() || b.is_empty() {
        return Some(false);
    }
    a.iter()
        .any(|x| b.iter().any(|y| codes_compatible(x, y)))
        .then_some(true)
}

fn sides_match(
    a_src: &[String],
    a_tgt: &[String],
    b_src: &[String],
    b_tgt: &[String],
) -> Option<bool> {
    let s = side_match(a_src, b_src)?;
    let t = side_match(a_tgt, b_tgt)?;
    Some(s || t)
}

/// Whether `a` and `b` are reports of one event under `cfg`.
pub fn same_event(a: &Signature, b: &Signature, cfg: &ClusterConfig) -> bool {
    if a.kind != b.kind || a.article_row == b.article_row {
        return false;
    }
    let (Some(da), Some(db)) = (a.day, b.day) else {
        return false;
    };
    if (da - db).unsigned_abs() > cfg.max_days as u64 {
        return false;
    }
    if let (Some(ca), Some(cb)) = (&a.country, &b.country) {
        if ca != cb {
            return false;
        }
    }
    let place_known = match (a.lat.zip(a.lon), b.lat.zip(b.lon)) {
        (Some((la, oa)), Some((lb, ob))) => {
            if haversine_km(la, oa, lb, ob) > cfg.max_km {
                return false;
            }
            true
        }
        _ => match (&a.place_norm, &b.place_norm) {
            (Some(pa), Some(pb)) => {
                if pa != pb {
                    return false;
                }
                true
            }
            _ => {
                if !cfg.unplaced_match {
                    return false;
                }
                false
            }
        },
    };
    let direct = sides_match(
        &a.source_codes,
        &a.target_codes,
        &b.source_codes,
        &b.target_codes,
    );
    let actor_known = if cfg.reciprocal_types.contains(&a.kind) {
        let swapped = sides_match(
            &a.source_codes,
            &a.target_codes,
            &b.target_codes,
            &b.source_codes,
        );
        match (direct, swapped) {
            (None, None) => return false,
            (x, y) => x.unwrap_or(false) || y.unwrap_or(false),
        }
    } else {
        match direct {
            None => return false,
            Some(k) => k,
        }
    };
    !cfg.require_anchor || place_known || actor_known
}

fn split_codes(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

const SIGNATURE_COLUMNS: &str =
    "row, article_row, type, day, lat, lon, place_norm, country, source_codes, target_codes, cluster";

fn signature_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Signature, Option<i64>)> {
    Ok((
        Signature {
            row: r.get(0)?,
            article_row: r.get(1)?,
            kind: r.get(2)?,
            day: r.get(3)?,
            lat: r.get(4)?,
            lon: r.get(5)?,
            place_norm: r.get(6)?,
            country: r.get(7)?,
            source_codes: split_codes(&r.get::<_, String>(8)?),
            target_codes: split_codes(&r.get::<_, String>(9)?),
        },
        r.get(10)?,
    ))
}

/// Put the stored event `row` into a cluster: the one of every earlier event it matches (merging
/// them when there are several), else a new one. Returns the ids of the clusters whose members
/// changed (the merged-away ones are deleted and not returned).
pub fn assign(conn: &Connection, row: i64, cfg: &ClusterConfig) -> Result<Vec<i64>> {
    let (sig, _) = conn
        .prepare_cached(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM events WHERE row = ?1"
        ))?
        .query_row([row], signature_of)?;
    let mut matched: BTreeSet<i64> = BTreeSet::new();
    if let Some(day) = sig.day {
        let lo = day - cfg.max_days as i64;
        let hi = day + cfg.max_days as i64;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM events \
             WHERE type = ?1 AND day BETWEEN ?2 AND ?3 AND row != ?4 AND cluster IS NOT NULL"
        ))?;
        let rows = stmt.query_map(params![sig.kind, lo, hi, row], signature_of)?;
        for r in rows {
            let (other, cluster) = r?;
            if let Some(c) = cluster {
                if !matched.contains(&c) && same_event(&sig, &other, cfg) {
                    matched.insert(c);
                }
            }
        }
    }
    let target = match matched.first() {
        Some(&c) => c,
        None => {
            conn.prepare_cached("INSERT INTO clusters (type) VALUES (?1)")?
                .execute([&sig.kind])?;
            conn.last_insert_rowid()
        }
    };
    conn.prepare_cached("UPDATE events SET cluster = ?1 WHERE row = ?2")?
        .execute(params![target, row])?;
    for &other in matched.iter().skip(1) {
        conn.prepare_cached("UPDATE events SET cluster = ?1 WHERE cluster = ?2")?
            .execute(params![target, other])?;
        conn.prepare_cached("DELETE FROM clusters WHERE id = ?1")?
            .execute([other])?;
    }
    Ok(vec![target])
}

/// Recompute a cluster's counts, extent and representative from its members (and copy the
/// representative mark and the number of reports onto them, for indexed filters and sorting).
pub fn refresh(conn: &Connection, cluster: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE clusters SET
            n_events   = (SELECT count(*) FROM events WHERE cluster = ?1),
            n_articles = (SELECT count(DISTINCT article_row) FROM events WHERE cluster = ?1),
            n_sources  = (SELECT count(DISTINCT coalesce(a.outlet, 'article:' || a.id))
                          FROM events e JOIN articles a ON a.row = e.article_row
                          WHERE e.cluster = ?1),
            day_min    = (SELECT min(day) FROM events WHERE cluster = ?1),
            day_max    = (SELECT max(day) FROM events WHERE cluster = ?1),
            lat        = (SELECT avg(lat) FROM events WHERE cluster = ?1 AND lat IS NOT NULL),
            lon        = (SELECT avg(lon) FROM events WHERE cluster = ?1 AND lon IS NOT NULL),
            country    = (SELECT country FROM events WHERE cluster = ?1 AND country IS NOT NULL
                          GROUP BY country ORDER BY count(*) DESC, country LIMIT 1),
            place_name = (SELECT place_name FROM events WHERE cluster = ?1 AND place_name IS NOT NULL
                          GROUP BY place_name ORDER BY count(*) DESC, place_name LIMIT 1),
            rep_event  = (SELECT row FROM events WHERE cluster = ?1
                          ORDER BY confidence DESC, row ASC LIMIT 1)
         WHERE id = ?1",
    )?
    .execute([cluster])?;
    // Only the members whose values change are written: every covering index holds `rep` and
    // `reports`, and most clusters keep their single report (stored with `rep` = 1).
    conn.prepare_cached(
        "UPDATE events SET rep = (row = (SELECT rep_event FROM clusters WHERE id = ?1)),
                           reports = (SELECT n_events FROM clusters WHERE id = ?1)
         WHERE cluster = ?1
           AND (rep IS NOT (row = (SELECT rep_event FROM clusters WHERE id = ?1))
                OR reports IS NOT (SELECT n_events FROM clusters WHERE id = ?1))",
    )?
    .execute([cluster])?;
    Ok(())
}

/// Forget every cluster and build them again from all stored events, oldest first (after a
/// change of thresholds). Returns the number of clusters.
pub fn rebuild(conn: &Connection, cfg: &ClusterConfig) -> Result<usize> {
    conn.execute_batch("UPDATE events SET cluster = NULL, rep = 0; DELETE FROM clusters;")?;
    let rows: Vec<i64> = conn
        .prepare("SELECT row FROM events ORDER BY row")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for row in rows {
        assign(conn, row, cfg)?;
    }
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM clusters")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &id in &ids {
        refresh(conn, id)?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(article: i64, kind: &str, day: i64) -> Signature {
        Signature {
            article_row: article,
            kind: kind.into(),
            day: Some(day),
            ..Default::default()
        }
    }

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn distance_is_great_circle_kilometres() {
        // Baghdad to Basra is about 450 km.
        let d = haversine_km(33.34, 44.40, 30.51, 47.78);
        assert!((440.0..460.0).contains(&d), "{d}");
        assert!(haversine_km(10.0, 10.0, 10.0, 10.0) < 1e-9);
    }

    #[test]
    fn codes_agree_by_prefix() {
        assert!(codes_compatible("IRQ", "IRQCVL"));
        assert!(codes_compatible("USAMIL", "USAMIL"));
        assert!(!codes_compatible("IRQCVL", "IRQGOV"));
        assert!(!codes_compatible("IR", "IRQ"));
    }

    #[test]
    fn same_actor_same_day_nearby_is_one_event() {
        let cfg = ClusterConfig::default();
        let mut a = sig(1, "PROTEST", 100);
        a.source_codes = codes(&["IRQCVL"]);
        a.lat = Some(33.30);
        a.lon = Some(44.40);
        let mut b = a.clone();
        b.article_row = 2;
        b.day = Some(101);
        b.lat = Some(33.40); // about 11 km north
        assert!(same_event(&a, &b, &cfg));
        // Two days apart: not the same.
        b.day = Some(102);
        assert!(!same_event(&a, &b, &cfg));
        b.day = Some(100);
        // Basra is too far.
        b.lat = Some(30.51);
        b.lon = Some(47.78);
        assert!(!same_event(&a, &b, &cfg));
        // A wider radius takes it in.
        let wide = ClusterConfig {
            max_km: 500.0,
            ..ClusterConfig::default()
        };
        assert!(same_event(&a, &b, &wide));
    }

    #[test]
    fn events_of_one_article_or_other_types_never_merge() {
        let cfg = ClusterConfig::default();
        let mut a = sig(1, "PROTEST", 100);
        a.source_codes = codes(&["IRQCVL"]);
        let mut b = a.clone();
        assert!(!same_event(&a, &b, &cfg), "same article");
        b.article_row = 2;
        assert!(same_event(&a, &b, &cfg));
        b.kind = "ASSAULT".into();
        assert!(!same_event(&a, &b, &cfg), "other type");
    }

    #[test]
    fn place_names_decide_when_not_geocoded() {
        let cfg = ClusterConfig::default();
        let mut a = sig(1, "PROTEST", 100);
        a.place_norm = Some("tahrir square".into());
        let mut b = sig(2, "PROTEST", 100);
        b.place_norm = Some("tahrir square".into());
        assert!(same_event(&a, &b, &cfg), "same name is an anchor");
        b.place_norm = Some("jadriya".into());
        assert!(!same_event(&a, &b, &cfg));
    }

    #[test]
    fn incompatible_actors_or_countries_keep_events_apart() {
        let cfg = ClusterConfig::default();
        let mut a = sig(1, "PROTEST", 100);
        a.source_codes = codes(&["IRQCVL"]);
        let mut b = sig(2, "PROTEST", 100);
        b.source_codes = codes(&["IRQGOV"]);
        assert!(!same_event(&a, &b, &cfg));
        b.source_codes = codes(&["IRQ"]);
        assert!(same_event(&a, &b, &cfg));
        a.country = Some("IRQ".into());
        b.country = Some("LBN".into());
        assert!(!same_event(&a, &b, &cfg));
    }

    #[test]
    fn nothing_in_common_is_no_match_unless_configured() {
        let a = sig(1, "PROTEST", 100);
        let b = sig(2, "PROTEST", 100);
        assert!(!same_event(&a, &b, &ClusterConfig::default()));
        let loose = ClusterConfig {
            require_anchor: false,
            ..ClusterConfig::default()
        };
        assert!(same_event(&a, &b, &loose));
        let strict = ClusterConfig {
            unplaced_match: false,
            require_anchor: false,
            ..ClusterConfig::default()
        };
        assert!(!same_event(&a, &b, &strict));
    }

    #[test]
    fn reciprocal_events_may_swap_sides() {
        let cfg = ClusterConfig::default();
        let mut a = sig(1, "CONSULT", 100);
        a.source_codes = codes(&["IRQGOV"]);
        a.target_codes = codes(&["USAGOV"]);
        let mut b = sig(2, "CONSULT", 100);
        b.source_codes = codes(&["USAGOV"]);
        b.target_codes = codes(&["IRQGOV"]);
        assert!(same_event(&a, &b, &cfg));
        a.kind = "ACCUSE".into();
        b.kind = "ACCUSE".into();
        assert!(!same_event(&a, &b, &cfg), "accusations have a direction");
    }

    #[test]
    fn unknown_days_never_merge() {
        let cfg = ClusterConfig::default();
        let mut a = sig(1, "PROTEST", 100);
        a.source_codes = codes(&["IRQCVL"]);
        let mut b = a.clone();
        b.article_row = 2;
        b.day = None;
        assert!(!same_event(&a, &b, &cfg));
    }

    #[test]
    fn bad_thresholds_are_refused() {
        let bad = ClusterConfig {
            max_km: f64::NAN,
            ..ClusterConfig::default()
        };
        assert!(bad.validate().is_err());
        assert!(ClusterConfig::default().validate().is_ok());
    }
}
