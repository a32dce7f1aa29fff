//! Sinks: write records in the format `kestrel extract --format` names.
//!
//! `jsonl` writes each `kestrel/1` record whole. The other formats flatten records to one row or
//! one object per event, for users who load event data into a spreadsheet, pandas, R or Spark, or
//! feed it to tools of the PLOVER and GDELT eras:
//! - `csv`: ACLED-style CSV with a header row, one row per event, the columns of [`COLUMNS`];
//! - `plover`: PLOVER JSON, one object per event per line ([`plover`]);
//! - `cameo`: GDELT 1.0 event-table rows, tab-separated, no header ([`cameo`]);
//! - `parquet` (cargo feature `parquet`): the CSV's columns, typed.
//!
//! Every flat format writes every event of every record, whatever its status, so the event count
//! is the same in each. Event ids are made globally unique as `{article_id}:{event_id}`.

pub mod cameo;
mod csv;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod plover;

use crate::model::{Count, Entity, Event, EventSide, Place, Record};
use std::borrow::Cow;
use std::io::{self, Write};

/// Output formats `kestrel extract --format` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Jsonl,
    Csv,
    Plover,
    Cameo,
    /// Only in builds with the `parquet` feature.
    Parquet,
}

impl OutputFormat {
    /// Every format name, whether or not this build can write it.
    pub const NAMES: [&'static str; 5] = ["jsonl", "csv", "plover", "cameo", "parquet"];

    /// The format of this name, or why this build cannot write it.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "jsonl" => Ok(OutputFormat::Jsonl),
            "csv" => Ok(OutputFormat::Csv),
            "plover" => Ok(OutputFormat::Plover),
            "cameo" => Ok(OutputFormat::Cameo),
            "parquet" if cfg!(feature = "parquet") => Ok(OutputFormat::Parquet),
            "parquet" => Err(
                "this kestrel was built without Parquet support; rebuild it with \
                 `cargo build --release --features parquet`"
                    .into(),
            ),
            _ => Err(format!(
                "unknown output format {s:?} (expected one of {})",
                Self::NAMES.join(", ")
            )),
        }
    }
}

/// The value type of a flat column (CSV and Parquet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// UTF-8 text.
    Text,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` in CSV; a date (the first day of a month or year when
    /// the precision is coarser) in Parquet.
    Date,
    /// A 64-bit integer.
    Int,
    /// A 64-bit float.
    Float,
}

/// One column of the flat event table.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    /// Never empty.
    pub required: bool,
}

const fn col(name: &'static str, kind: ColumnKind, required: bool) -> Column {
    Column {
        name,
        kind,
        required,
    }
}

use ColumnKind::{Date as D, Float as F, Int as I, Text as T};

/// The columns of the CSV and Parquet outputs, in order. Stable: columns may be added at the end,
/// never renamed or reordered without a new schema version.
pub const COLUMNS: &[Column] = &[
    col("event_id", T, true),
    col("article_id", T, true),
    col("url", T, false),
    col("source", T, false),
    col("published", D, false),
    col("event_date", D, false),
    col("event_date_precision", T, false),
    col("plover_type", T, true),
    col("plover_mode", T, false),
    col("plover_context", T, false),
    col("cameo", T, true),
    col("acled_event_type", T, false),
    col("acled_sub_event_type", T, false),
    col("source_text", T, false),
    col("source_code", T, false),
    col("source_key", T, false),
    col("target_text", T, false),
    col("target_code", T, false),
    col("target_key", T, false),
    col("place_name", T, false),
    col("country", T, false),
    col("admin1", T, false),
    col("lat", F, false),
    col("lon", F, false),
    col("geo_precision", I, false),
    col("participants_min", I, false),
    col("participants_max", I, false),
    col("fatalities_min", I, false),
    col("fatalities_max", I, false),
    col("injuries_min", I, false),
    col("injuries_max", I, false),
    col("arrests_min", I, false),
    col("arrests_max", I, false),
    col("status", T, true),
    col("confidence", F, true),
    col("evidence_sentence", T, false),
];

/// One value of a flat row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(Cow<'a, str>),
    /// A date as the record writes it (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    Date(&'a str),
    Int(i64),
    Float(f64),
}

impl Cell<'_> {
    fn text(s: Option<&str>) -> Cell<'_> {
        s.map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s)))
    }
    fn count(c: Option<u64>) -> Cell<'static> {
        c.map_or(Cell::Null, |v| {
            Cell::Int(i64::try_from(v).unwrap_or(i64::MAX))
        })
    }
    fn float(f: Option<f64>) -> Cell<'static> {
        match f {
            Some(v) if v.is_finite() => Cell::Float(v),
            _ => Cell::Null,
        }
    }
}

/// The globally unique id of an event: `{article_id}:{event_id}`.
pub fn event_id(record: &Record, event: &Event) -> String {
    format!("{}:{}", record.id, event.id)
}

/// The entity with this id in the record.
pub(crate) fn entity<'a>(record: &'a Record, id: Option<&str>) -> Option<&'a Entity> {
    let id = id?;
    record.entities.iter().find(|e| e.id == id)
}

/// The resolved place of an event, looked up in the record's places.
pub(crate) fn place<'a>(record: &'a Record, event: &Event) -> Option<&'a Place> {
    let id = event.place.as_ref()?.place.as_deref()?;
    record.places.iter().find(|p| p.id == id)
}

/// The place name of an event: the gazetteer's place when resolved, else the words of the text.
pub(crate) fn place_name<'a>(record: &'a Record, event: &'a Event) -> Option<&'a str> {
    place(record, event)
        .map(|p| p.name.as_str())
        .or_else(|| event.place.as_ref().map(|p| p.text.as_str()))
        .filter(|s| !s.is_empty())
}

/// The text of sentence `i`, when the record has it.
pub(crate) fn sentence_text(record: &Record, i: usize) -> Option<&str> {
    let s = record.sentences.get(i)?;
    record.text.get(s.span.start()..s.span.end())
}

/// The stable key of the entity a side points to.
pub(crate) fn side_key<'a>(record: &'a Record, side: Option<&EventSide>) -> Option<&'a str> {
    entity(record, side?.entity.as_deref()).map(|e| e.key.as_str())
}

fn count_cells(c: Option<&Count>) -> [Cell<'static>; 2] {
    [
        Cell::count(c.and_then(|c| c.min)),
        Cell::count(c.and_then(|c| c.max)),
    ]
}

/// The flat row of one event, one cell per column of [`COLUMNS`].
pub fn event_row<'a>(record: &'a Record, event: &'a Event) -> Vec<Cell<'a>> {
    let src = event.source.as_ref();
    let tgt = event.target.as_ref();
    let pl = place(record, event);
    let mut row = vec![
        Cell::Text(Cow::Owned(event_id(record, event))),
        Cell::Text(Cow::Borrowed(&record.id)),
        Cell::text(record.url.as_deref()),
        Cell::text(record.source.as_deref()),
        record.published.as_deref().map_or(Cell::Null, Cell::Date),
        event
            .date
            .as_ref()
            .map_or(Cell::Null, |d| Cell::Date(d.value.as_str())),
        Cell::text(event.date.as_ref().map(|d| d.precision.as_str())),
        Cell::Text(Cow::Borrowed(&event.kind)),
        Cell::text(event.mode.as_deref()),
        if event.context.is_empty() {
            Cell::Null
        } else {
            Cell::Text(Cow::Owned(event.context.join(";")))
        },
        Cell::Text(Cow::Borrowed(&event.cameo)),
        Cell::text(event.acled.as_ref().map(|a| a.event_type.as_str())),
        Cell::text(event.acled.as_ref().map(|a| a.sub_event_type.as_str())),
        Cell::text(src.map(|s| s.text.as_str())),
        Cell::text(src.and_then(|s| s.code.as_deref())),
        Cell::text(side_key(record, src)),
        Cell::text(tgt.map(|s| s.text.as_str())),
        Cell::text(tgt.and_then(|s| s.code.as_deref())),
        Cell::text(side_key(record, tgt)),
        Cell::text(place_name(record, event)),
        Cell::text(pl.and_then(|p| p.country.as_deref())),
        Cell::text(pl.and_then(|p| p.admin1.as_deref())),
        Cell::float(pl.and_then(|p| p.lat)),
        Cell::float(pl.and_then(|p| p.lon)),
        pl.map_or(Cell::Null, |p| Cell::Int(i64::from(p.precision))),
    ];
    for c in [
        &event.participants,
        &event.fatalities,
        &event.injuries,
        &event.arrests,
    ] {
        row.extend(count_cells(c.as_ref()));
    }
    row.push(Cell::Text(Cow::Borrowed(&event.status)));
    row.push(Cell::Float(event.confidence));
    row.push(Cell::text(sentence_text(record, event.sentence)));
    debug_assert_eq!(row.len(), COLUMNS.len());
    row
}

enum Sink<W: Write> {
    Jsonl(W),
    Csv(Box<csv::CsvSink<W>>),
    Plover(W),
    Cameo(W),
    #[cfg(feature = "parquet")]
    Parquet(Box<parquet::ParquetSink<W>>),
}

/// Writes records one after another to a byte sink in one format. Call [`RecordWriter::finish`]
/// at the end: the CSV header of an empty run and the Parquet footer are written there.
pub struct RecordWriter<W: Write> {
    sink: Sink<W>,
}

impl<W: Write> RecordWriter<W> {
    /// A writer of `format` to `out`. In a build without the `parquet` feature
    /// `OutputFormat::Parquet` cannot be had from [`OutputFormat::parse`]; given here anyway, it
    /// writes JSON Lines.
    pub fn new(out: W, format: OutputFormat) -> Self {
        let sink = match format {
            OutputFormat::Jsonl => Sink::Jsonl(out),
            OutputFormat::Csv => Sink::Csv(Box::new(csv::CsvSink::new(out))),
            OutputFormat::Plover => Sink::Plover(out),
            OutputFormat::Cameo => Sink::Cameo(out),
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => Sink::Parquet(Box::new(parquet::ParquetSink::new(out))),
            #[cfg(not(feature = "parquet"))]
            OutputFormat::Parquet => Sink::Jsonl(out),
        };
        RecordWriter { sink }
    }

    /// Write one record (in the flat formats, one row or object per event).
    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        match &mut self.sink {
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, record)?;
                out.write_all(b"\n")
            }
            Sink::Csv(s) => s.write(record),
            Sink::Plover(out) => plover::write(out, record),
            Sink::Cameo(out) => cameo::write(out, record),
            #[cfg(feature = "parquet")]
            Sink::Parquet(s) => s.write(record),
        }
    }

    /// Write what is pending (CSV header, Parquet row group and footer), flush, and return the
    /// sink.
    pub fn finish(self) -> io::Result<W> {
        let mut out = match self.sink {
            Sink::Jsonl(out) | Sink::Plover(out) | Sink::Cameo(out) => out,
            Sink::Csv(s) => (*s).finish()?,
            #[cfg(feature = "parquet")]
            Sink::Parquet(s) => (*s).finish()?,
        };
        out.flush()?;
        Ok(out)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::*;

    /// A record whose first event fills every column, and whose second fills almost none.
    pub(crate) fn full_record() -> Record {
        let text = "BAGHDAD, Iraq \u{2014} Police arrested 12 \"protesters\", killing 3.\n\nTalks, with \u{e9}lan, went on.".to_string();
        let s0_end = text.find('\n').unwrap();
        let s1_start = text.rfind("Talks").unwrap();
        let arrested = text.find("arrested").unwrap();
        let arrested = Span(arrested, arrested + "arrested".len());
        let side = |entity: &str, t: &str, code: &str| EventSide {
            entity: Some(entity.into()),
            text: t.into(),
            code: Some(code.into()),
            members: vec![],
        };
        let count = |min: u64, max: Option<u64>, t: &str| Count {
            min: Some(min),
            max,
            text: t.into(),
            span: None,
        };
        let ent = |id: &str, key: &str, name: &str, code: &str, kind: EntityKind| Entity {
            id: id.into(),
            key: key.into(),
            name: name.into(),
            kind,
            actor: Actor::from_code(code),
            descriptions: vec![],
            mentions: vec![],
        };
        Record {
            schema: SCHEMA.into(),
            id: "art-1".into(),
            hash: "00".into(),
            provenance: Provenance {
                kestrel: "0.1.0".into(),
                lexicon: "x".into(),
            },
            url: Some("https://example.org/a?b=1,2".into()),
            source: Some("Example \"Wire\"".into()),
            title: Some("Arrests in Baghdad".into()),
            published: Some("2020-01-25".into()),
            published_from: Some("input".into()),
            dateline: None,
            sentences: vec![
                Sentence {
                    span: Span(0, s0_end),
                    block: 0,
                },
                Sentence {
                    span: Span(s1_start, text.len()),
                    block: 1,
                },
            ],
            blocks: vec![
                Block {
                    span: Span(0, s0_end),
                    kind: BlockKind::Body,
                },
                Block {
                    span: Span(s1_start, text.len()),
                    kind: BlockKind::Body,
                },
            ],
            repairs: vec![],
            entities: vec![
                ent(
                    "e1",
                    "iraq-police",
                    "Iraqi police",
                    "IRQCOP",
                    EntityKind::Organization,
                ),
                ent(
                    "e2",
                    "protesters|IRQ",
                    "protesters",
                    "IRQCVL",
                    EntityKind::Group,
                ),
            ],
            places: vec![Place {
                id: "p1".into(),
                name: "Baghdad".into(),
                geonameid: Some(98182),
                country: Some("IQ".into()),
                admin1: Some("Baghdad".into()),
                lat: Some(33.34058),
                lon: Some(44.40088),
                feature: Some("PPLC".into()),
                mentions: vec![Span(0, 7)],
                precision: 1,
            }],
            events: vec![
                Event {
                    id: "v1".into(),
                    kind: "COERCE".into(),
                    mode: Some("arrest".into()),
                    context: vec!["political".into(), "rights".into()],
                    cameo: "173".into(),
                    acled: Some(Acled {
                        event_type: "Strategic developments".into(),
                        sub_event_type: "Arrests".into(),
                    }),
                    source: Some(side("e1", "Police", "IRQCOP")),
                    target: Some(side("e2", "\"protesters\"", "IRQCVL")),
                    date: Some(EventDate {
                        value: "2020-01-24".into(),
                        precision: "day".into(),
                        end: None,
                        text: Some("Friday".into()),
                        span: None,
                    }),
                    place: Some(EventPlace {
                        place: Some("p1".into()),
                        text: "BAGHDAD".into(),
                    }),
                    participants: Some(count(200, Some(300), "hundreds")),
                    fatalities: Some(count(3, Some(3), "3")),
                    injuries: Some(count(10, Some(15), "10 to 15")),
                    arrests: Some(count(12, Some(12), "12")),
                    status: "occurred".into(),
                    trigger: Trigger {
                        text: "arrested".into(),
                        span: arrested,
                    },
                    sentence: 0,
                    evidence: vec![Evidence {
                        sentence: 0,
                        trigger: arrested,
                    }],
                    confidence: 0.85,
                },
                Event {
                    id: "v2".into(),
                    kind: "CONSULT".into(),
                    mode: None,
                    context: vec![],
                    cameo: "046".into(),
                    acled: None,
                    source: None,
                    target: None,
                    date: Some(EventDate {
                        value: "2020-01".into(),
                        precision: "month".into(),
                        end: None,
                        text: None,
                        span: None,
                    }),
                    place: Some(EventPlace {
                        place: None,
                        text: "the capital".into(),
                    }),
                    participants: Some(count(50, None, "more than 50")),
                    fatalities: None,
                    injuries: None,
                    arrests: None,
                    status: "ongoing".into(),
                    trigger: Trigger {
                        text: "Talks".into(),
                        span: Span(s1_start, s1_start + 5),
                    },
                    sentence: 1,
                    evidence: vec![],
                    confidence: 0.5,
                },
            ],
            text,
            quotes: vec![],
            meta: None,
        }
    }

    /// A record with no metadata and no events.
    pub(crate) fn empty_record() -> Record {
        let mut r = full_record();
        r.id = "empty".into();
        r.events.clear();
        r.url = None;
        r.source = None;
        r.published = None;
        r
    }

    fn column(name: &str) -> usize {
        COLUMNS.iter().position(|c| c.name == name).unwrap()
    }

    #[test]
    fn row_has_one_cell_per_column_of_the_right_kind() {
        let r = full_record();
        for e in &r.events {
            let row = event_row(&r, e);
            assert_eq!(row.len(), COLUMNS.len());
            for (cell, c) in row.iter().zip(COLUMNS) {
                let ok = match cell {
                    Cell::Null => !c.required,
                    Cell::Text(_) => c.kind == ColumnKind::Text,
                    Cell::Date(_) => c.kind == ColumnKind::Date,
                    Cell::Int(_) => c.kind == ColumnKind::Int,
                    Cell::Float(_) => c.kind == ColumnKind::Float,
                };
                assert!(ok, "column {} got {cell:?}", c.name);
            }
        }
    }

    #[test]
    fn full_event_fills_every_column() {
        let r = full_record();
        let row = event_row(&r, &r.events[0]);
        for (cell, c) in row.iter().zip(COLUMNS) {
            assert_ne!(cell, &Cell::Null, "column {} is empty", c.name);
        }
        let get = |n: &str| row[column(n)].clone();
        assert_eq!(get("event_id"), Cell::Text("art-1:v1".into()));
        assert_eq!(get("source_key"), Cell::Text("iraq-police".into()));
        assert_eq!(get("target_key"), Cell::Text("protesters|IRQ".into()));
        assert_eq!(get("place_name"), Cell::Text("Baghdad".into()));
        assert_eq!(get("lat"), Cell::Float(33.34058));
        assert_eq!(get("plover_context"), Cell::Text("political;rights".into()));
        assert_eq!(get("participants_max"), Cell::Int(300));
        assert_eq!(get("injuries_max"), Cell::Int(15));
        assert_eq!(
            get("evidence_sentence"),
            Cell::Text(r.text[..r.text.find('\n').unwrap()].into())
        );
    }

    #[test]
    fn sparse_event_leaves_unknowns_empty() {
        let r = full_record();
        let row = event_row(&r, &r.events[1]);
        let get = |n: &str| row[column(n)].clone();
        assert_eq!(get("place_name"), Cell::Text("the capital".into()));
        for n in [
            "lat",
            "lon",
            "country",
            "geo_precision",
            "source_key",
            "acled_event_type",
            "plover_mode",
            "plover_context",
            "fatalities_min",
        ] {
            assert_eq!(get(n), Cell::Null, "{n}");
        }
        assert_eq!(get("event_date"), Cell::Date("2020-01"));
        assert_eq!(get("participants_min"), Cell::Int(50));
        assert_eq!(get("participants_max"), Cell::Null);
    }

    #[test]
    fn parse_names_every_format() {
        for n in ["jsonl", "csv", "plover", "cameo"] {
            assert!(OutputFormat::parse(n).is_ok(), "{n}");
        }
        assert_eq!(
            OutputFormat::parse("parquet").is_ok(),
            cfg!(feature = "parquet")
        );
        let err = OutputFormat::parse("xml").unwrap_err();
        assert!(err.contains("xml") && err.contains("plover"), "{err}");
    }
}
