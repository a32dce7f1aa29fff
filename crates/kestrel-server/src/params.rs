//! Query-string parameters: parsed, checked and turned into store filters, with a 400 naming the
//! parameter and the accepted values for anything wrong. Unknown parameters are errors too, so a
//! typo never silently widens a query.
//!
//! Lists may be repeated (`type=PROTEST&type=ASSAULT`) or comma-separated (`type=PROTEST,ASSAULT`).

use crate::error::ApiError;
use kestrel_store::query::{Dimension, EventFilter, Sort, SortKey};
use kestrel_store::{countries, day_number};
use std::collections::BTreeMap;

/// The sixteen PLOVER 2.0 event types.
pub const PLOVER_TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// The statuses an event can have.
pub const STATUSES: &[&str] = &[
    "occurred",
    "ongoing",
    "planned",
    "hypothetical",
    "negated",
    "reported_claim",
];

/// ACLED's event types.
pub const ACLED_TYPES: &[&str] = &[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

/// The filter parameters every event view accepts.
pub const FILTER_KEYS: &[&str] = &[
    "type", "mode", "acled", "actor", "country", "place", "from", "to", "status", "q", "article",
    "cluster", "group",
];

/// Longest accepted value of a free-text parameter.
const MAX_TEXT: usize = 500;
/// Largest page.
pub const MAX_LIMIT: i64 = 500;

/// Parsed query parameters: every value of every key, in order.
pub struct Params {
    values: BTreeMap<String, Vec<String>>,
}

impl Params {
    /// Parse a raw query string, refusing keys outside `allowed`.
    pub fn parse(raw: Option<&str>, allowed: &[&[&str]]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("malformed query string: {e}")))?;
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            if !allowed.iter().any(|set| set.contains(&k.as_str())) {
                let mut known: Vec<&str> = allowed.iter().flat_map(|s| s.iter().copied()).collect();
                known.sort_unstable();
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter {k:?} (known: {})",
                    known.join(", ")
                )));
            }
            values.entry(k).or_default().push(v);
        }
        Ok(Params { values })
    }

    /// Every non-empty comma-separated item of every value of `key`.
    fn list(&self, key: &str) -> Vec<String> {
        self.values
            .get(key)
            .into_iter()
            .flatten()
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The one value of `key` (blank counts as absent); a repeated key is an error.
    pub fn one(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.values.get(key).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([v]) => {
                let v = v.trim();
                if v.len() > MAX_TEXT {
                    return Err(ApiError::bad_request(format!(
                        "{key}: longer than {MAX_TEXT} characters"
                    )));
                }
                Ok((!v.is_empty()).then(|| v.to_string()))
            }
            Some(_) => Err(ApiError::bad_request(format!(
                "{key}: given more than once"
            ))),
        }
    }

    /// An integer parameter within `[lo, hi]`.
    pub fn int(&self, key: &str, lo: i64, hi: i64) -> Result<Option<i64>, ApiError> {
        match self.one(key)? {
            None => Ok(None),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::bad_request(format!(
                    "{key}: expected a whole number from {lo} to {hi}, got {v:?}"
                ))),
            },
        }
    }

    /// A number parameter within `[lo, hi]`.
    pub fn float(&self, key: &str, lo: f64, hi: f64) -> Result<Option<f64>, ApiError> {
        match self.one(key)? {
            None => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(n) if n.is_finite() && (lo..=hi).contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::bad_request(format!(
                    "{key}: expected a number from {lo} to {hi}, got {v:?}"
                ))),
            },
        }
    }

    fn day(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.one(key)? {
            None => Ok(None),
            Some(v) => day_number(&v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!("{key}: expected a date YYYY-MM-DD, got {v:?}"))
            }),
        }
    }

    /// The event filter these parameters describe.
    pub fn filter(&self) -> Result<EventFilter, ApiError> {
        let mut f = EventFilter::default();
        for t in self.list("type") {
            let up = t.to_ascii_uppercase();
            if !PLOVER_TYPES.contains(&up.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "type: unknown event type {t:?} (one of {})",
                    PLOVER_TYPES.join(", ")
                )));
            }
            f.types.push(up);
        }
        for m in self.list("mode") {
            let m = m.to_ascii_lowercase();
            if !m.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(ApiError::bad_request(format!(
                    "mode: {m:?} is not a mode name (letters and _ only, e.g. demo, riot, aerial)"
                )));
            }
            f.modes.push(m);
        }
        for a in self.list("acled") {
            match ACLED_TYPES.iter().find(|t| t.eq_ignore_ascii_case(&a)) {
                Some(t) => f.acled_types.push(t.to_string()),
                None => {
                    return Err(ApiError::bad_request(format!(
                        "acled: unknown ACLED event type {a:?} (one of {})",
                        ACLED_TYPES.join(", ")
                    )))
                }
            }
        }
        for c in self.list("country") {
            match countries::to_iso3(&c) {
                Some(iso3) => f.countries.push(iso3.to_string()),
                None => {
                    return Err(ApiError::bad_request(format!(
                        "country: {c:?} is not an ISO 3166 alpha-2 or alpha-3 country code"
                    )))
                }
            }
        }
        for s in self.list("status") {
            let s = s.to_ascii_lowercase();
            if !STATUSES.contains(&s.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "status: unknown status {s:?} (one of {})",
                    STATUSES.join(", ")
                )));
            }
            f.statuses.push(s);
        }
        f.actor = self.one("actor")?;
        f.place = self.one("place")?;
        f.text = self.one("q")?;
        f.article = self.one("article")?;
        f.cluster = self.int("cluster", 1, i64::MAX)?;
        f.day_from = self.day("from")?;
        f.day_to = self.day("to")?;
        if let (Some(a), Some(b)) = (f.day_from, f.day_to) {
            if a > b {
                return Err(ApiError::bad_request("from: the first day is after `to`"));
            }
        }
        f.clusters_only = match self.one("group")?.as_deref() {
            None | Some("events") => false,
            Some("clusters") => true,
            Some(g) => {
                return Err(ApiError::bad_request(format!(
                    "group: expected events or clusters, got {g:?}"
                )))
            }
        };
        Ok(f)
    }

    /// The order: `sort=KEY` (a leading `-` means descending) and `order=asc|desc`.
    pub fn sort(&self) -> Result<Sort, ApiError> {
        let mut sort = Sort::default();
        if let Some(s) = self.one("sort")? {
            let (name, desc) = match s.strip_prefix('-') {
                Some(n) => (n, Some(true)),
                None => (s.as_str(), None),
            };
            sort.key = SortKey::parse(name).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "sort: unknown key {name:?} (one of {})",
                    SortKey::NAMES.join(", ")
                ))
            })?;
            // Dates and counts read best newest/largest first; names A to Z.
            sort.descending = desc.unwrap_or(matches!(
                sort.key,
                SortKey::Date | SortKey::Confidence | SortKey::Reports | SortKey::Id
            ));
        }
        match self.one("order")?.as_deref() {
            None => {}
            Some("asc") => sort.descending = false,
            Some("desc") => sort.descending = true,
            Some(o) => {
                return Err(ApiError::bad_request(format!(
                    "order: expected asc or desc, got {o:?}"
                )))
            }
        }
        Ok(sort)
    }

    /// The dimensions of `by` (all when absent).
    pub fn dimensions(&self) -> Result<Vec<Dimension>, ApiError> {
        let names = self.list("by");
        if names.is_empty() {
            return Ok(Dimension::NAMES
                .iter()
                .filter_map(|n| Dimension::parse(n))
                .collect());
        }
        names
            .iter()
            .map(|n| {
                Dimension::parse(n).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "by: unknown dimension {n:?} (one of {})",
                        Dimension::NAMES.join(", ")
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Result<Params, ApiError> {
        Params::parse(Some(q), &[FILTER_KEYS, &["sort", "order", "by"]])
    }

    #[test]
    fn filters_parse_with_lists_and_code_forms() {
        let f = p("type=protest,ASSAULT&country=IQ&country=usa&status=planned&from=2020-01-01&to=2020-01-31&group=clusters")
            .unwrap()
            .filter()
            .unwrap();
        assert_eq!(f.types, ["PROTEST", "ASSAULT"]);
        assert_eq!(f.countries, ["IRQ", "USA"]);
        assert_eq!(f.statuses, ["planned"]);
        assert_eq!(f.day_from, Some(18262));
        assert!(f.clusters_only);
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (q, needle) in [
            ("type=RIOT", "type: unknown event type"),
            ("country=ZZZ", "country: \"ZZZ\""),
            ("from=2020-13-01", "from: expected a date"),
            ("from=2020-02-01&to=2020-01-01", "after `to`"),
            ("status=done", "status: unknown status"),
            ("acled=War", "acled: unknown ACLED event type"),
            ("group=x", "group: expected"),
            ("mode=de%27mo", "mode:"),
            ("q=a&q=b", "q: given more than once"),
        ] {
            let e = p(q).unwrap().filter().unwrap_err();
            assert_eq!(e.status, 400);
            assert!(e.message.contains(needle), "{q}: {}", e.message);
        }
        let e = p("colour=red").err().expect("unknown key refused");
        assert!(e.message.contains("unknown query parameter \"colour\""));
        let e = p("sort=height").unwrap().sort().unwrap_err();
        assert!(e.message.starts_with("sort: unknown key"));
        let e = p("by=week").unwrap().dimensions().unwrap_err();
        assert!(e.message.starts_with("by: unknown dimension"));
    }

    #[test]
    fn sort_direction_defaults_by_key() {
        let s = p("sort=type").unwrap().sort().unwrap();
        assert_eq!((s.key, s.descending), (SortKey::Type, false));
        let s = p("sort=-type").unwrap().sort().unwrap();
        assert!(s.descending);
        let s = p("sort=reports&order=asc").unwrap().sort().unwrap();
        assert_eq!((s.key, s.descending), (SortKey::Reports, false));
        assert_eq!(p("").unwrap().sort().unwrap(), Sort::default());
    }
}
