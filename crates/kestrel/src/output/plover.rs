//! PLOVER JSON: one event record per line, with the field names of the PLOVER specification's data
//! interchange format (`id`, `date`, `actor`, `recipient`, `event`, `mode`, `context`,
//! `event_loc`, `event_text`, `size`, `text`, `text_info`, `cite_info`), plus Kestrel's own
//! `cameo`, `acled`, `status` and `confidence` (the specification welcomes named extra fields).

use super::{entity, event_id, place, place_name, sentence_text};
use crate::model::{Actor, Count, Event, EventSide, Record};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// Codes the PLOVER actor table allows in place of a country: international and non-state actors.
const NON_STATE: [&str; 5] = ["IGO", "NGO", "ISM", "IMG", "MNC"];

/// The PLOVER quad category of an event type (1 verbal cooperation, 2 material cooperation, 3
/// verbal conflict, 4 material conflict).
pub fn quad_code(kind: &str) -> Option<u8> {
    Some(match kind {
        "AGREE" | "CONSULT" | "SUPPORT" | "CONCEDE" => 1,
        "COOPERATE" | "AID" | "RETREAT" | "INVESTIGATE" => 2,
        "REQUEST" | "DEMAND" | "ACCUSE" | "REJECT" | "SANCTION" | "THREATEN" => 3,
        "PROTEST" | "MOBILIZE" | "COERCE" | "ASSAULT" => 4,
        _ => return None,
    })
}

/// Split a Kestrel actor code into PLOVER's actor `code` (country alpha-3 or a non-state code;
/// null when unknown) and `sector` (the role codes, joined).
fn code_and_sector(code: &str) -> (Option<String>, Option<String>) {
    let Some(a) = Actor::from_code(code) else {
        return (None, None);
    };
    let mut roles: &[String] = &a.roles;
    let top = if a.country == "IGO" {
        // IGOUNO: the organisation's own letters name it; they are not a sector.
        roles = roles.get(1..).unwrap_or(&[]);
        Some(a.country.clone())
    } else if a.country == "---" {
        match roles.first() {
            Some(r) if NON_STATE.contains(&r.as_str()) => {
                let top = r.clone();
                roles = &roles[1..];
                Some(top)
            }
            _ => None,
        }
    } else {
        Some(a.country.clone())
    };
    let sector = (!roles.is_empty()).then(|| roles.concat());
    (top, sector)
}

fn actor_object(record: &Record, entity_id: Option<&str>, text: &str, code: Option<&str>) -> Value {
    let (top, sector) = code.map_or((None, None), code_and_sector);
    let ent = entity(record, entity_id);
    json!({
        "code": top,
        "sector": sector,
        "actor_code": code,
        "actor_text": text,
        "identifier_id": ent.map(|e| e.key.as_str()),
        "identifier_text": ent.map(|e| e.name.as_str()),
    })
}

/// The actor list of one side: each member of a compound side, else the side itself.
fn actors(record: &Record, side: Option<&EventSide>) -> Value {
    let Some(side) = side else {
        return Value::Array(vec![]);
    };
    if side.members.is_empty() {
        return Value::Array(vec![actor_object(
            record,
            side.entity.as_deref(),
            &side.text,
            side.code.as_deref(),
        )]);
    }
    Value::Array(
        side.members
            .iter()
            .map(|m| actor_object(record, m.entity.as_deref(), &m.text, m.code.as_deref()))
            .collect(),
    )
}

/// A count as PLOVER's number: the lower bound (the upper when only that is known).
fn size_number(c: &Option<Count>) -> Value {
    c.as_ref()
        .and_then(|c| c.min.or(c.max))
        .map_or(Value::Null, Value::from)
}

/// The upper bound of a count that is a range, else None.
fn size_max(c: &Option<Count>) -> Option<u64> {
    let c = c.as_ref()?;
    match (c.min, c.max) {
        (Some(lo), Some(hi)) if hi != lo => Some(hi),
        _ => None,
    }
}

/// Character offset of byte offset `b` in `text` (PLOVER's `text_info` counts characters).
fn char_offset(text: &str, b: usize) -> Option<usize> {
    text.get(..b).map(|s| s.chars().count())
}

/// The PLOVER record of one event.
pub fn event_object(record: &Record, event: &Event) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), event_id(record, event).into());
    let date = event.date.as_ref();
    o.insert("date".into(), json!(date.map(|d| &d.value)));
    o.insert("date_precision".into(), json!(date.map(|d| &d.precision)));
    if let Some(end) = date.and_then(|d| d.end.as_ref()) {
        o.insert("enddate".into(), end.as_str().into());
    }
    o.insert("actor".into(), actors(record, event.source.as_ref()));
    o.insert("recipient".into(), actors(record, event.target.as_ref()));
    o.insert("event".into(), json!([event.kind]));
    o.insert("mode".into(), json!(event.mode));
    o.insert("context".into(), json!(event.context));
    o.insert("quad_code".into(), json!(quad_code(&event.kind)));
    let loc = match (place(record, event), place_name(record, event)) {
        (Some(p), _) => json!({
            "name": p.name,
            "geonameid": p.geonameid,
            "latitude": p.lat,
            "longitude": p.lon,
            "feature_code": p.feature,
            "country_code": p.country,
            "admin1": p.admin1,
            "precision": p.precision,
        }),
        (None, Some(name)) => json!({ "name": name }),
        (None, None) => Value::Null,
    };
    o.insert("event_loc".into(), loc);
    let mut texts: Vec<&str> = Vec::new();
    let spans = std::iter::once(event.trigger.span).chain(event.evidence.iter().map(|e| e.trigger));
    for sp in spans {
        if let Some(t) = record.text.get(sp.start()..sp.end()) {
            if !t.is_empty() && !texts.contains(&t) {
                texts.push(t);
            }
        }
    }
    o.insert("event_text".into(), json!(texts));
    let mut size = Map::new();
    for (name, c) in [
        ("participants", &event.participants),
        ("dead", &event.fatalities),
        ("injured", &event.injuries),
        ("arrested", &event.arrests),
    ] {
        size.insert(name.into(), size_number(c));
        if let Some(hi) = size_max(c) {
            size.insert(format!("{name}_max"), hi.into());
        }
    }
    o.insert("size".into(), Value::Object(size));
    o.insert("text".into(), json!(sentence_text(record, event.sentence)));
    let span = record.sentences.get(event.sentence).map(|s| s.span);
    o.insert(
        "text_info".into(),
        json!({
            "sequence": event.sentence,
            "start": span.and_then(|s| char_offset(&record.text, s.start())),
            "end": span.and_then(|s| char_offset(&record.text, s.end())),
        }),
    );
    o.insert(
        "cite_info".into(),
        json!({
            "citation": record.id,
            "url": record.url,
            "title": record.title,
            "publication": record.source,
            "published": record.published,
            "coder": format!("kestrel {}", record.provenance.kestrel),
        }),
    );
    o.insert("cameo".into(), event.cameo.as_str().into());
    o.insert("acled".into(), json!(event.acled));
    o.insert("status".into(), event.status.as_str().into());
    o.insert("confidence".into(), json!(event.confidence));
    Value::Object(o)
}

/// Write one line per event of the record.
pub(super) fn write<W: Write>(out: &mut W, record: &Record) -> io::Result<()> {
    for event in &record.events {
        serde_json::to_writer(&mut *out, &event_object(record, event))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{empty_record, full_record};
    use super::super::{OutputFormat, RecordWriter};
    use super::*;
    use crate::model::SideMember;

    fn lines(records: &[Record]) -> Vec<Value> {
        let mut w = RecordWriter::new(Vec::new(), OutputFormat::Plover);
        for r in records {
            w.write(r).unwrap();
        }
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn one_object_per_event_with_every_field() {
        let r = full_record();
        let v = lines(&[r.clone(), empty_record()]);
        assert_eq!(v.len(), 2);
        let e = &v[0];
        assert_eq!(e["id"], "art-1:v1");
        assert_eq!(e["date"], "2020-01-24");
        assert_eq!(e["event"], json!(["COERCE"]));
        assert_eq!(e["mode"], "arrest");
        assert_eq!(e["context"], json!(["political", "rights"]));
        assert_eq!(e["quad_code"], 4);
        assert_eq!(
            e["actor"],
            json!([{"code": "IRQ", "sector": "COP", "actor_code": "IRQCOP", "actor_text": "Police",
                    "identifier_id": "iraq-police", "identifier_text": "Iraqi police"}])
        );
        assert_eq!(e["recipient"][0]["code"], "IRQ");
        assert_eq!(e["recipient"][0]["sector"], "CVL");
        assert_eq!(e["event_loc"]["name"], "Baghdad");
        assert_eq!(e["event_loc"]["geonameid"], 98182);
        assert_eq!(e["event_loc"]["latitude"], 33.34058);
        assert_eq!(e["event_loc"]["country_code"], "IQ");
        assert_eq!(e["event_text"], json!(["arrested"]));
        assert_eq!(
            e["size"],
            json!({"participants": 200, "participants_max": 300, "dead": 3, "injured": 10,
                   "injured_max": 15, "arrested": 12})
        );
        assert_eq!(e["text"], r.text[..r.text.find('\n').unwrap()]);
        assert_eq!(e["text_info"]["sequence"], 0);
        assert_eq!(e["cite_info"]["url"], "https://example.org/a?b=1,2");
        assert_eq!(e["cite_info"]["publication"], "Example \"Wire\"");
        assert_eq!(e["cite_info"]["citation"], "art-1");
        assert_eq!(e["cameo"], "173");
        assert_eq!(e["acled"]["sub_event_type"], "Arrests");
        assert_eq!(e["status"], "occurred");
        let s = &v[1];
        assert_eq!(s["actor"], json!([]));
        assert_eq!(s["recipient"], json!([]));
        assert_eq!(s["mode"], Value::Null);
        assert_eq!(s["event_loc"], json!({"name": "the capital"}));
        assert_eq!(s["size"]["participants"], 50);
        assert!(s["size"].get("participants_max").is_none());
        assert_eq!(s["size"]["dead"], Value::Null);
        assert_eq!(s["date_precision"], "month");
        assert_eq!(s["status"], "ongoing");
    }

    #[test]
    fn text_info_counts_characters_not_bytes() {
        let r = full_record();
        let v = lines(std::slice::from_ref(&r));
        let start = v[1]["text_info"]["start"].as_u64().unwrap() as usize;
        let s1 = r.sentences[1].span;
        assert!(s1.start() > start, "the em dash and é are multi-byte");
        assert_eq!(
            r.text.chars().skip(start).take(5).collect::<String>(),
            "Talks"
        );
    }

    #[test]
    fn compound_sides_list_each_member() {
        let mut r = full_record();
        r.events[0].source.as_mut().unwrap().members = vec![
            SideMember {
                entity: Some("e1".into()),
                text: "Police".into(),
                code: Some("IRQCOP".into()),
            },
            SideMember {
                entity: None,
                text: "UN envoys".into(),
                code: Some("IGOUNOGOV".into()),
            },
            SideMember {
                entity: None,
                text: "jihadists".into(),
                code: Some("---IMG".into()),
            },
            SideMember {
                entity: None,
                text: "someone".into(),
                code: None,
            },
        ];
        let v = lines(&[r]);
        let a = v[0]["actor"].as_array().unwrap();
        assert_eq!(a.len(), 4);
        assert_eq!(a[0]["identifier_id"], "iraq-police");
        assert_eq!(
            (&a[1]["code"], &a[1]["sector"]),
            (&json!("IGO"), &json!("GOV"))
        );
        assert_eq!(
            (&a[2]["code"], &a[2]["sector"]),
            (&json!("IMG"), &Value::Null)
        );
        assert_eq!(
            (&a[3]["code"], &a[3]["actor_text"]),
            (&Value::Null, &json!("someone"))
        );
    }

    #[test]
    fn quad_codes_follow_the_plover_table() {
        assert_eq!(quad_code("CONSULT"), Some(1));
        assert_eq!(quad_code("AID"), Some(2));
        assert_eq!(quad_code("REQUEST"), Some(3));
        assert_eq!(quad_code("PROTEST"), Some(4));
        assert_eq!(quad_code("UNKNOWN"), None);
        assert_eq!(code_and_sector("---CVL"), (None, Some("CVL".into())));
        assert_eq!(
            code_and_sector("USAGOVMIL"),
            (Some("USA".into()), Some("GOVMIL".into()))
        );
        assert_eq!(code_and_sector("X"), (None, None));
    }
}
