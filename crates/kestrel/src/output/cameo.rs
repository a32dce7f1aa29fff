//! GDELT-style CAMEO rows: one tab-separated line per event in the column order of the GDELT 1.0
//! event table ([`COLUMNS`], 58 columns), for users with GDELT-era tooling. Like GDELT's files
//! there is no header row and no quoting: tabs and line breaks inside a value become spaces.
//!
//! Where GDELT has a field Kestrel lacks, the column is empty (ethnic and religion codes,
//! GoldsteinScale, AvgTone, actor geography, ADM1 codes). Differences a user should know: the
//! event id is Kestrel's `{article_id}:{event_id}` text, not a number; `ActionGeo_CountryCode` is
//! ISO 3166 alpha-2 where GDELT uses FIPS 10-4; `ActionGeo_FeatureID` is a GeoNames id;
//! `DATEADDED` is the article's publication date; NumMentions counts the places in the one article
//! that tell the event, NumSources and NumArticles are 1.

use super::{entity, event_id, place};
use crate::model::{Actor, BlockKind, Event, EventSide, Record};
use chrono::{Datelike, NaiveDate};
use std::io::{self, Write};

/// The GDELT 1.0 event-table columns, in order.
pub const COLUMNS: [&str; 58] = [
    "GlobalEventID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// CAMEO's quad class of an event code, from its two-digit root: 01–05 verbal cooperation (1),
/// 06–08 material cooperation (2), 09–13 verbal conflict (3), 14–20 material conflict (4).
pub fn quad_class(cameo: &str) -> Option<u8> {
    let root: u8 = cameo.get(..2)?.parse().ok()?;
    Some(match root {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

/// The ten actor columns of one side: code, name, country, known group, ethnic, religion 1 and 2,
/// type 1 to 3.
fn actor_columns(record: &Record, side: Option<&EventSide>) -> [String; 10] {
    let mut f: [String; 10] = Default::default();
    let Some(side) = side else {
        return f;
    };
    let ent = entity(record, side.entity.as_deref());
    f[1] = ent.map_or(side.text.clone(), |e| e.name.clone());
    let Some(actor) = side.code.as_deref().and_then(Actor::from_code) else {
        return f;
    };
    f[0] = actor.code.clone();
    let types: Vec<&str> = match actor.country.as_str() {
        "IGO" => {
            // IGOUNO: the organisation is GDELT's known group; IGO is its type.
            f[3] = actor.roles.first().cloned().unwrap_or_default();
            std::iter::once("IGO")
                .chain(actor.roles.iter().skip(1).map(String::as_str))
                .collect()
        }
        "---" => actor.roles.iter().map(String::as_str).collect(),
        country => {
            f[2] = country.to_string();
            actor.roles.iter().map(String::as_str).collect()
        }
    };
    for (slot, t) in f[7..10].iter_mut().zip(types) {
        *slot = t.to_string();
    }
    f
}

/// SQLDATE, MonthYear, Year and FractionDate of a `YYYY-MM-DD`, `YYYY-MM` or `YYYY` date.
fn date_columns(value: Option<&str>) -> [String; 4] {
    let mut f: [String; 4] = Default::default();
    let Some(v) = value else {
        return f;
    };
    let parts: Vec<&str> = v.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            f[0] = format!("{y}{m}{d}");
            f[1] = format!("{y}{m}");
            f[2] = y.to_string();
            if let Ok(date) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                let days = if date.leap_year() { 366.0 } else { 365.0 };
                f[3] = format!("{:.4}", date.year() as f64 + date.ordinal0() as f64 / days);
            }
        }
        [y, m] if digits(y, 4) && digits(m, 2) => {
            f[1] = format!("{y}{m}");
            f[2] = y.to_string();
        }
        [y] if digits(y, 4) => f[2] = y.to_string(),
        _ => {}
    }
    f
}

/// Whether the event is told in the article's first body paragraph (GDELT's IsRootEvent).
fn is_root(record: &Record, event: &Event) -> bool {
    let first_body = record.blocks.iter().position(|b| b.kind == BlockKind::Body);
    let block = record.sentences.get(event.sentence).map(|s| s.block);
    first_body.is_some() && first_body == block
}

/// The seven ActionGeo columns: type, full name, country, ADM1 code, lat, long, feature id.
fn action_geo(record: &Record, event: &Event) -> [String; 7] {
    let mut f: [String; 7] = Default::default();
    let Some(p) = place(record, event) else {
        return f;
    };
    let us = p.country.as_deref() == Some("US");
    let feature = p.feature.as_deref().unwrap_or("");
    f[0] = if feature.starts_with("PCL") {
        "1"
    } else if feature == "ADM1" {
        if us {
            "2"
        } else {
            "5"
        }
    } else if us {
        "3"
    } else {
        "4"
    }
    .to_string();
    f[1] = match p.admin1.as_deref() {
        Some(a) if !a.is_empty() && a != p.name => format!("{}, {a}", p.name),
        _ => p.name.clone(),
    };
    f[2] = p.country.clone().unwrap_or_default();
    f[4] = p.lat.map(|x| x.to_string()).unwrap_or_default();
    f[5] = p.lon.map(|x| x.to_string()).unwrap_or_default();
    f[6] = p.geonameid.map(|x| x.to_string()).unwrap_or_default();
    f
}

/// The 58 fields of one event's row.
pub fn event_fields(record: &Record, event: &Event) -> Vec<String> {
    let mut f = Vec::with_capacity(COLUMNS.len());
    f.push(event_id(record, event));
    f.extend(date_columns(event.date.as_ref().map(|d| d.value.as_str())));
    f.extend(actor_columns(record, event.source.as_ref()));
    f.extend(actor_columns(record, event.target.as_ref()));
    f.push(if is_root(record, event) { "1" } else { "0" }.into());
    let code = event.cameo.as_str();
    f.push(code.to_string());
    f.push(code.get(..3).unwrap_or(code).to_string());
    f.push(code.get(..2).unwrap_or(code).to_string());
    f.push(quad_class(code).map(|q| q.to_string()).unwrap_or_default());
    f.push(String::new()); // GoldsteinScale
    f.push(event.evidence.len().max(1).to_string()); // NumMentions
    f.push("1".into()); // NumSources
    f.push("1".into()); // NumArticles
    f.push(String::new()); // AvgTone
    f.extend(vec![String::new(); 14]); // Actor1Geo_*, Actor2Geo_*
    f.extend(action_geo(record, event));
    f.push(date_columns(record.published.as_deref())[0].clone()); // DATEADDED
    f.push(record.url.clone().unwrap_or_default());
    debug_assert_eq!(f.len(), COLUMNS.len());
    f
}

/// Write one row per event of the record.
pub(super) fn write<W: Write>(out: &mut W, record: &Record) -> io::Result<()> {
    let mut line = String::new();
    for event in &record.events {
        line.clear();
        for (i, field) in event_fields(record, event).iter().enumerate() {
            if i > 0 {
                line.push('\t');
            }
            line.extend(field.chars().map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c => c,
            }));
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{empty_record, full_record};
    use super::super::{OutputFormat, RecordWriter};
    use super::*;

    fn rows(records: &[Record]) -> Vec<Vec<String>> {
        let mut w = RecordWriter::new(Vec::new(), OutputFormat::Cameo);
        for r in records {
            w.write(r).unwrap();
        }
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        out.lines()
            .map(|l| l.split('\t').map(String::from).collect())
            .collect()
    }

    fn get<'a>(row: &'a [String], name: &str) -> &'a str {
        &row[COLUMNS.iter().position(|c| *c == name).unwrap()]
    }

    #[test]
    fn one_row_of_58_fields_per_event() {
        let r = full_record();
        let rows = rows(&[r, empty_record()]);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|x| x.len() == 58));
        let a = &rows[0];
        assert_eq!(get(a, "GlobalEventID"), "art-1:v1");
        assert_eq!(get(a, "SQLDATE"), "20200124");
        assert_eq!(get(a, "MonthYear"), "202001");
        assert_eq!(get(a, "Year"), "2020");
        assert_eq!(get(a, "FractionDate"), "2020.0628");
        assert_eq!(get(a, "Actor1Code"), "IRQCOP");
        assert_eq!(get(a, "Actor1Name"), "Iraqi police");
        assert_eq!(get(a, "Actor1CountryCode"), "IRQ");
        assert_eq!(get(a, "Actor1Type1Code"), "COP");
        assert_eq!(get(a, "Actor2Code"), "IRQCVL");
        assert_eq!(get(a, "IsRootEvent"), "1");
        assert_eq!(get(a, "EventCode"), "173");
        assert_eq!(get(a, "EventBaseCode"), "173");
        assert_eq!(get(a, "EventRootCode"), "17");
        assert_eq!(get(a, "QuadClass"), "4");
        assert_eq!(get(a, "GoldsteinScale"), "");
        assert_eq!(get(a, "NumMentions"), "1");
        assert_eq!(get(a, "ActionGeo_Type"), "4");
        assert_eq!(get(a, "ActionGeo_FullName"), "Baghdad");
        assert_eq!(get(a, "ActionGeo_CountryCode"), "IQ");
        assert_eq!(get(a, "ActionGeo_Lat"), "33.34058");
        assert_eq!(get(a, "ActionGeo_Long"), "44.40088");
        assert_eq!(get(a, "ActionGeo_FeatureID"), "98182");
        assert_eq!(get(a, "DATEADDED"), "20200125");
        assert_eq!(get(a, "SOURCEURL"), "https://example.org/a?b=1,2");
        let b = &rows[1];
        assert_eq!(get(b, "SQLDATE"), "");
        assert_eq!(get(b, "MonthYear"), "202001");
        assert_eq!(get(b, "Actor1Code"), "");
        assert_eq!(get(b, "IsRootEvent"), "0");
        assert_eq!(get(b, "EventCode"), "046");
        assert_eq!(get(b, "EventRootCode"), "04");
        assert_eq!(get(b, "QuadClass"), "1");
        assert_eq!(get(b, "ActionGeo_FullName"), "");
    }

    #[test]
    fn tabs_and_line_breaks_never_split_a_row() {
        let mut r = full_record();
        r.url = Some("https://x.test/a\tb\nc".into());
        r.events[0].source.as_mut().unwrap().entity = None;
        r.events[0].source.as_mut().unwrap().text = "the\tpolice\r\nforce".into();
        let rows = rows(&[r]);
        assert_eq!(rows.len(), 2);
        assert_eq!(get(&rows[0], "Actor1Name"), "the police  force");
        assert_eq!(get(&rows[0], "SOURCEURL"), "https://x.test/a b c");
    }

    #[test]
    fn codes_split_into_gdelt_actor_columns() {
        let mut r = full_record();
        r.events[0].source.as_mut().unwrap().code = Some("IGOUNOGOV".into());
        r.events[0].target.as_mut().unwrap().code = Some("---IMG".into());
        let rows = rows(&[r]);
        let a = &rows[0];
        assert_eq!(get(a, "Actor1CountryCode"), "");
        assert_eq!(get(a, "Actor1KnownGroupCode"), "UNO");
        assert_eq!(get(a, "Actor1Type1Code"), "IGO");
        assert_eq!(get(a, "Actor1Type2Code"), "GOV");
        assert_eq!(get(a, "Actor2CountryCode"), "");
        assert_eq!(get(a, "Actor2Type1Code"), "IMG");
    }

    #[test]
    fn quad_class_from_the_root() {
        for (code, q) in [
            ("010", Some(1)),
            ("057", Some(1)),
            ("0871", Some(2)),
            ("090", Some(3)),
            ("1056", Some(3)),
            ("145", Some(4)),
            ("204", Some(4)),
            ("21", None),
            ("", None),
            ("x1", None),
        ] {
            assert_eq!(quad_class(code), q, "{code}");
        }
        assert_eq!(
            date_columns(Some("2021")),
            ["", "", "2021", ""].map(String::from)
        );
        assert_eq!(date_columns(Some("20-1")), <[String; 4]>::default());
    }
}
