//! Writing records: one article row with its layers, events flattened into indexed columns with
//! their actors and evidence, and each new event placed in a cluster.
//!
//! Everything here runs inside the caller's transaction; nothing is committed here.

use crate::cluster::{self, ClusterConfig};
use crate::countries;
use crate::query::{grid, tile_size, Sum, Tile, TILE_LEVELS};
use crate::Result;
use kestrel::model::{Count, Event, EventSide, Quote, Record};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What one batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// Articles stored.
    pub articles: usize,
    /// Articles skipped because their id was already stored.
    pub duplicate_ids: usize,
    /// Articles skipped because another id with the same content hash was already stored.
    pub duplicate_hashes: usize,
    /// Events stored.
    pub events: usize,
    /// Clusters that gained members.
    pub clusters_touched: usize,
    /// The ids of the articles stored, in order.
    pub stored_ids: Vec<String>,
}

impl IngestReport {
    /// Add another batch's report to this one.
    pub fn add(&mut self, o: IngestReport) {
        self.articles += o.articles;
        self.duplicate_ids += o.duplicate_ids;
        self.duplicate_hashes += o.duplicate_hashes;
        self.events += o.events;
        self.clusters_touched += o.clusters_touched;
        self.stored_ids.extend(o.stored_ids);
    }
}

/// Lower case, letters and digits only, single spaces: "Tahrir Square," → "tahrir square".
pub fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out.strip_prefix("the ").map(str::to_string).unwrap_or(out)
}

/// Days since 1970-01-01 for a full `YYYY-MM-DD` date; None for anything else.
pub fn day_number(date: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()?;
    if date.len() != 10 {
        return None;
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((d - epoch).num_days())
}

/// The `YYYY-MM-DD` of a day number.
pub fn day_string(day: i64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    (epoch + chrono::Duration::days(day))
        .format("%Y-%m-%d")
        .to_string()
}

/// The outlet an article counts as: its source, else its URL's host without `www.`.
fn outlet(rec: &Record) -> Option<String> {
    if let Some(s) = rec
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return Some(s.to_string());
    }
    let url = rec.url.as_deref()?;
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

fn side_members(side: &EventSide) -> Vec<(Option<&str>, &str, Option<&str>)> {
    if side.members.is_empty() {
        vec![(
            side.code.as_deref(),
            side.text.as_str(),
            side.entity.as_deref(),
        )]
    } else {
        side.members
            .iter()
            .map(|m| (m.code.as_deref(), m.text.as_str(), m.entity.as_deref()))
            .collect()
    }
}

fn side_codes(side: Option<&EventSide>) -> String {
    let Some(side) = side else {
        return String::new();
    };
    let mut codes: Vec<&str> = side_members(side)
        .into_iter()
        .filter_map(|(c, _, _)| c)
        .filter(|c| c.len() >= 3)
        .collect();
    codes.dedup();
    codes.join(" ")
}

fn count_range(c: &Option<Count>) -> (Option<i64>, Option<i64>) {
    match c {
        Some(c) => (
            c.min.map(|v| v.min(i64::MAX as u64) as i64),
            c.max.map(|v| v.min(i64::MAX as u64) as i64),
        ),
        None => (None, None),
    }
}

/// The country of an actor code when its first three letters are an ISO country.
fn actor_country(code: &str) -> Option<&'static str> {
    countries::to_iso3(code.get(..3)?).filter(|c| c.len() == 3 && code.get(..3) == Some(*c))
}

struct PlaceInfo {
    name: String,
    lat: Option<f64>,
    lon: Option<f64>,
    country: Option<&'static str>,
    admin1: Option<String>,
}

/// Store a batch (inside the caller's transaction).
pub(crate) fn ingest_batch(
    conn: &Connection,
    records: &[Record],
    cfg: &ClusterConfig,
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    let mut touched: BTreeSet<i64> = BTreeSet::new();
    // Events are only ever added, each with a row number past every stored one.
    let last_row: i64 = conn
        .prepare_cached("SELECT ifnull(max(row), 0) FROM events")?
        .query_row([], |r| r.get(0))?;
    for rec in records {
        let existing: Option<(String, bool)> = conn
            .prepare_cached(
                "SELECT id, id = ?1 FROM articles WHERE id = ?1 OR hash = ?2 ORDER BY id = ?1 DESC LIMIT 1",
            )?
            .query_row(params![rec.id, rec.hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match existing {
            Some((_, true)) => {
                report.duplicate_ids += 1;
                continue;
            }
            Some((_, false)) => {
                report.duplicate_hashes += 1;
                continue;
            }
            None => {}
        }
        let article_row = insert_article(conn, rec)?;
        report.articles += 1;
        report.stored_ids.push(rec.id.clone());
        let new_events = insert_layers(conn, article_row, rec)?;
        report.events += new_events.len();
        for row in new_events {
            touched.extend(cluster::assign(conn, row, cfg)?);
        }
    }
    // Clusters deleted by a later merge in this batch no longer exist; refresh the rest.
    let mut live = 0;
    for id in touched {
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM clusters WHERE id = ?1)")?
            .query_row([id], |r| r.get(0))?;
        if exists {
            cluster::refresh(conn, id)?;
            live += 1;
        }
    }
    report.clusters_touched = live;
    if report.events > 0 {
        tally(conn, last_row)?;
        add_to_tiles(conn, last_row)?;
    }
    Ok(report)
}

/// Add the geocoded events stored after row `after` to `map_tiles` (the schema's migration to
/// version 2 sums the events stored before).
fn add_to_tiles(conn: &Connection, after: i64) -> Result<()> {
    let mut tiles: BTreeMap<(i64, i64, i64), Tile> = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT lat, lon FROM events
             WHERE row > ?1 AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY row",
        )?;
        let mut rows = stmt.query([after])?;
        while let Some(r) = rows.next()? {
            let (lat, lon): (f64, f64) = (r.get(0)?, r.get(1)?);
            for level in TILE_LEVELS {
                let size = tile_size(level);
                tiles
                    .entry((level, grid(lat, size), grid(lon, size)))
                    .or_insert_with(|| Tile::new(lat, lon))
                    .add(lat, lon);
            }
        }
    }
    for ((level, ty, tx), new) in tiles {
        let old = conn
            .prepare_cached(
                "SELECT n, lat_sum, lat_err, lon_sum, lon_err, lat_min, lat_max, lon_min, lon_max
                 FROM map_tiles WHERE level = ?1 AND ty = ?2 AND tx = ?3",
            )?
            .query_row([level, ty, tx], |r| {
                Ok(Tile {
                    n: r.get(0)?,
                    lat: Sum::from_parts(r.get(1)?, r.get(2)?),
                    lon: Sum::from_parts(r.get(3)?, r.get(4)?),
                    lat_range: (r.get(5)?, r.get(6)?),
                    lon_range: (r.get(7)?, r.get(8)?),
                })
            })
            .optional()?;
        let t = match old {
            Some(mut old) => {
                old.merge(&new);
                old
            }
            None => new,
        };
        conn.prepare_cached(
            "INSERT OR REPLACE INTO map_tiles (level, ty, tx, n, lat_sum, lat_err, lon_sum,
                                               lon_err, lat_min, lat_max, lon_min, lon_max)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            level,
            ty,
            tx,
            t.n,
            t.lat.parts().0,
            t.lat.parts().1,
            t.lon.parts().0,
            t.lon.parts().1,
            t.lat_range.0,
            t.lat_range.1,
            t.lon_range.0,
            t.lon_range.1,
        ])?;
    }
    Ok(())
}

/// Add the events stored after row `after` to `event_tally` (the counts the unfiltered stats
/// read; the schema's migration to version 2 counts the events stored before).
fn tally(conn: &Connection, after: i64) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT 'type', type, count(*) FROM events WHERE row > ?1 GROUP BY type
         UNION ALL SELECT 'country', country, count(*) FROM events WHERE row > ?1 GROUP BY country
         UNION ALL SELECT 'day', day, count(*) FROM events WHERE row > ?1 GROUP BY day
         UNION ALL SELECT 'status', status, count(*) FROM events WHERE row > ?1 GROUP BY status
         UNION ALL SELECT 'acled', acled_type, count(*) FROM events WHERE row > ?1
                   GROUP BY acled_type
         UNION ALL SELECT 'mode', mode, count(*) FROM events WHERE row > ?1 GROUP BY mode
         UNION ALL SELECT 'unlocated', country, count(*) FROM events
                   WHERE row > ?1 AND (lat IS NULL OR lon IS NULL) GROUP BY country
         UNION ALL SELECT 'articles', NULL, count(DISTINCT article_row) FROM events
                   WHERE row > ?1",
    )?;
    let counts = stmt
        .query_map([after], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, rusqlite::types::Value>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (dim, key, n) in counts {
        // `IS`, not `=`: NULL is a key like any other here.
        let changed = conn
            .prepare_cached("UPDATE event_tally SET n = n + ?3 WHERE dim = ?1 AND key IS ?2")?
            .execute(params![dim, key, n])?;
        if changed == 0 {
            conn.prepare_cached("INSERT INTO event_tally (dim, key, n) VALUES (?1, ?2, ?3)")?
                .execute(params![dim, key, n])?;
        }
    }
    Ok(())
}

fn insert_article(conn: &Connection, rec: &Record) -> Result<i64> {
    let mut layers = serde_json::to_value(rec)?;
    if let Some(o) = layers.as_object_mut() {
        o.remove("text");
    }
    conn.prepare_cached(
        "INSERT INTO articles (id, hash, url, source, outlet, title, published, text, layers,
                               n_events, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    )?
    .execute(params![
        rec.id,
        rec.hash,
        rec.url,
        rec.source,
        outlet(rec),
        rec.title,
        rec.published,
        rec.text,
        serde_json::to_string(&layers)?,
        rec.events.len() as i64,
    ])?;
    let row = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO article_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![row, rec.title.as_deref().unwrap_or(""), rec.text])?;
    Ok(row)
}

/// Insert entities, places, quotes and events; returns the rows of the events stored.
fn insert_layers(conn: &Connection, article_row: i64, rec: &Record) -> Result<Vec<i64>> {
    let mut entity_keys: HashMap<&str, (&str, &str)> = HashMap::new();
    for e in &rec.entities {
        entity_keys.insert(e.id.as_str(), (e.key.as_str(), e.name.as_str()));
        let (code, country) = match &e.actor {
            Some(a) => (Some(a.code.as_str()), Some(a.country.as_str())),
            None => (None, None),
        };
        conn.prepare_cached(
            "INSERT OR IGNORE INTO entities (article_row, eid, key, name, kind, code, country, mentions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            article_row,
            e.id,
            e.key,
            e.name,
            e.kind.as_str(),
            code,
            country,
            serde_json::to_string(&e.mentions)?,
        ])?;
    }
    let mut places: HashMap<&str, PlaceInfo> = HashMap::new();
    for p in &rec.places {
        let country = p.country.as_deref().and_then(countries::to_iso3);
        conn.prepare_cached(
            "INSERT OR IGNORE INTO places (article_row, pid, name, name_norm, geonameid, country,
                                           admin1, lat, lon, feature, precision, mentions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            article_row,
            p.id,
            p.name,
            normalise_name(&p.name),
            p.geonameid.map(|g| g as i64),
            country,
            p.admin1,
            p.lat.filter(|v| v.is_finite()),
            p.lon.filter(|v| v.is_finite()),
            p.feature,
            p.precision as i64,
            serde_json::to_string(&p.mentions)?,
        ])?;
        let valid = |lat: Option<f64>, lon: Option<f64>| match (lat, lon) {
            (Some(a), Some(o))
                if a.is_finite() && o.is_finite() && a.abs() <= 90.0 && o.abs() <= 180.0 =>
            {
                (Some(a), Some(o))
            }
            _ => (None, None),
        };
        let (lat, lon) = valid(p.lat, p.lon);
        places.insert(
            p.id.as_str(),
            PlaceInfo {
                name: p.name.clone(),
                lat,
                lon,
                country,
                admin1: p.admin1.clone(),
            },
        );
    }
    for q in &rec.quotes {
        insert_quote(conn, article_row, q)?;
    }
    let mut rows = Vec::with_capacity(rec.events.len());
    for ev in &rec.events {
        if let Some(row) = insert_event(conn, article_row, rec, ev, &places, &entity_keys)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

fn insert_quote(conn: &Connection, article_row: i64, q: &Quote) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO quotes (article_row, qid, kind, text, span_start, span_end, speaker,
                                       speaker_entity, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        article_row,
        q.id,
        q.kind,
        q.text,
        q.span.0 as i64,
        q.span.1 as i64,
        q.speaker.as_ref().map(|s| s.text.as_str()),
        q.speaker.as_ref().and_then(|s| s.entity.as_deref()),
        serde_json::to_string(q)?,
    ])?;
    Ok(())
}

fn insert_event(
    conn: &Connection,
    article_row: i64,
    rec: &Record,
    ev: &Event,
    places: &HashMap<&str, PlaceInfo>,
    entity_keys: &HashMap<&str, (&str, &str)>,
) -> Result<Option<i64>> {
    // The day the event is placed on: its own full date, else the publication date when the
    // event carries no date at all.
    let (date, date_from) = match &ev.date {
        Some(d) => match day_number(&d.value) {
            Some(_) => (Some(d.value.clone()), Some("event")),
            None => (None, None),
        },
        None => match rec.published.as_deref().filter(|p| day_number(p).is_some()) {
            Some(p) => (Some(p.to_string()), Some("published")),
            None => (None, None),
        },
    };
    let day = date.as_deref().and_then(day_number);
    let place = ev.place.as_ref();
    let info = place
        .and_then(|p| p.place.as_deref())
        .and_then(|id| places.get(id));
    let place_name = match (info, place) {
        (Some(i), _) => Some(i.name.clone()),
        (None, Some(p)) if !p.text.trim().is_empty() => Some(p.text.clone()),
        _ => None,
    };
    let place_norm = place_name
        .as_deref()
        .map(normalise_name)
        .filter(|n| !n.is_empty());
    let (country, country_from) = match info.and_then(|i| i.country) {
        Some(c) => (Some(c), Some("place")),
        None => {
            let from_actor = [ev.source.as_ref(), ev.target.as_ref()]
                .into_iter()
                .flatten()
                .flat_map(side_members)
                .filter_map(|(c, _, _)| c)
                .find_map(actor_country);
            (from_actor, from_actor.map(|_| "actor"))
        }
    };
    let sentence = rec.sentences.get(ev.sentence).map(|s| s.span);
    let (p_min, p_max) = count_range(&ev.participants);
    let (f_min, f_max) = count_range(&ev.fatalities);
    let (i_min, i_max) = count_range(&ev.injuries);
    let (a_min, a_max) = count_range(&ev.arrests);
    let changed = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO events (
                article_row, eid, type, mode, cameo, acled_type, acled_sub,
                source_text, source_code, source_codes, target_text, target_code, target_codes,
                date, day, date_value, date_precision, date_from,
                place_id, place_name, place_norm, lat, lon, country, country_from, admin1,
                participants_min, participants_max, fatalities_min, fatalities_max,
                injuries_min, injuries_max, arrests_min, arrests_max,
                status, trigger_text, trigger_start, trigger_end, sentence, sent_start, sent_end,
                confidence, article_id, rep)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,
                     ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, 1)",
        )?
        .execute(params![
            article_row,
            ev.id,
            ev.kind,
            ev.mode,
            ev.cameo,
            ev.acled.as_ref().map(|a| a.event_type.as_str()),
            ev.acled.as_ref().map(|a| a.sub_event_type.as_str()),
            ev.source.as_ref().map(|s| s.text.as_str()),
            ev.source.as_ref().and_then(|s| s.code.as_deref()),
            side_codes(ev.source.as_ref()),
            ev.target.as_ref().map(|s| s.text.as_str()),
            ev.target.as_ref().and_then(|s| s.code.as_deref()),
            side_codes(ev.target.as_ref()),
            date,
            day,
            ev.date.as_ref().map(|d| d.value.as_str()),
            ev.date.as_ref().map(|d| d.precision.as_str()),
            date_from,
            place.and_then(|p| p.place.as_deref()),
            place_name,
            place_norm,
            info.and_then(|i| i.lat),
            info.and_then(|i| i.lon),
            country,
            country_from,
            info.and_then(|i| i.admin1.as_deref()),
            p_min,
            p_max,
            f_min,
            f_max,
            i_min,
            i_max,
            a_min,
            a_max,
            ev.status,
            ev.trigger.text,
            ev.trigger.span.0 as i64,
            ev.trigger.span.1 as i64,
            ev.sentence as i64,
            sentence.map(|s| s.0 as i64),
            sentence.map(|s| s.1 as i64),
            if ev.confidence.is_finite() {
                ev.confidence
            } else {
                0.0
            },
            rec.id,
        ])?;
    if changed == 0 {
        // A second event with the same id in one record: the first one stands.
        return Ok(None);
    }
    let row = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO event_records (event_row, json) VALUES (?1, ?2)")?
        .execute(params![row, serde_json::to_string(ev)?])?;
    for (side_name, side) in [("source", &ev.source), ("target", &ev.target)] {
        let Some(side) = side else { continue };
        for (code, name, entity) in side_members(side) {
            let known = entity.and_then(|e| entity_keys.get(e).copied());
            // The words as written and the entity's full name both find the actor.
            let mut norm = normalise_name(name);
            if let Some((_, full)) = known {
                let full = normalise_name(full);
                if full != norm {
                    norm = format!("{norm} {full}");
                }
            }
            conn.prepare_cached(
                "INSERT INTO event_actors (event_row, side, code, name, name_norm, entity_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                row,
                side_name,
                code,
                name,
                norm,
                known.map(|(key, _)| key),
            ])?;
            // The words of the name, for name searches (see `query`): the same split as the
            // schema's migration makes of names stored before there was this table.
            for word in norm.split(' ').filter(|w| !w.is_empty()) {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO event_actor_words (word, event_row) VALUES (?1, ?2)",
                )?
                .execute(params![word, row])?;
            }
        }
    }
    let mut evidence = ev.evidence.clone();
    if evidence.is_empty() {
        evidence.push(kestrel::model::Evidence {
            sentence: ev.sentence,
            trigger: ev.trigger.span,
        });
    }
    for (ord, e) in evidence.iter().enumerate() {
        let span = rec.sentences.get(e.sentence).map(|s| s.span);
        conn.prepare_cached(
            "INSERT INTO event_evidence (event_row, ord, sentence, sent_start, sent_end,
                                         trigger_start, trigger_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            row,
            ord as i64,
            e.sentence as i64,
            span.map(|s| s.0 as i64),
            span.map(|s| s.1 as i64),
            e.trigger.0 as i64,
            e.trigger.1 as i64,
        ])?;
    }
    Ok(Some(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_for_comparison() {
        assert_eq!(normalise_name("Tahrir Square,"), "tahrir square");
        assert_eq!(normalise_name("The  Green Zone"), "green zone");
        assert_eq!(normalise_name("São Paulo"), "são paulo");
        assert_eq!(normalise_name("--"), "");
    }

    #[test]
    fn day_numbers_need_a_full_date() {
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2020-01-24"), Some(18285));
        assert_eq!(day_number("2020-01"), None);
        assert_eq!(day_number("2020-02-30"), None);
        assert_eq!(day_number("2020-01-24T10:00"), None);
        assert_eq!(day_string(18285), "2020-01-24");
    }

    #[test]
    fn actor_countries_need_a_real_country() {
        assert_eq!(actor_country("IRQCVL"), Some("IRQ"));
        assert_eq!(actor_country("IGOUNO"), None);
        assert_eq!(actor_country("---GOV"), None);
        assert_eq!(actor_country("US"), None);
    }
}
