//! Parquet (cargo feature `parquet`): the CSV's columns ([`COLUMNS`]) typed — text as UTF-8
//! strings, dates as `DATE` (days since 1970-01-01; a month or year date is its first day, the
//! `event_date_precision` column says which), counts and `geo_precision` as `INT64`, coordinates
//! and confidence as `DOUBLE` — Snappy-compressed, in row groups of 65,536 events, the size Spark
//! and pandas read well. Rows are buffered one row group at a time, and each finished row group
//! goes straight to the output, so the output needs no seeking (standard output works) and memory
//! does not grow with the run; the footer is written by `RecordWriter::finish`.

use super::{event_row, Cell, ColumnKind, COLUMNS};
use crate::model::Record;
use ::parquet::basic::Compression;
use ::parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::parser::parse_message_type;
use chrono::NaiveDate;
use std::io::{self, Write};
use std::sync::Arc;

/// The `parquet` crate this module writes with, for readers (tests, tools) that want the same one.
pub use ::parquet as parquet_crate;

/// Events per row group.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The Parquet schema of [`COLUMNS`], in the schema text format.
pub fn schema_text() -> String {
    let mut s = String::from("message kestrel_event {\n");
    for c in COLUMNS {
        let rep = if c.required { "required" } else { "optional" };
        let ty = match c.kind {
            ColumnKind::Text => "binary",
            ColumnKind::Date => "int32",
            ColumnKind::Int => "int64",
            ColumnKind::Float => "double",
        };
        let logical = match c.kind {
            ColumnKind::Text => " (STRING)",
            ColumnKind::Date => " (DATE)",
            _ => "",
        };
        s.push_str(&format!("  {rep} {ty} {}{logical};\n", c.name));
    }
    s.push('}');
    s
}

/// Days since 1970-01-01 of a `YYYY-MM-DD`, `YYYY-MM` or `YYYY` date (the first day of a month or
/// year); None when it is none of these.
pub fn date_days(value: &str) -> Option<i32> {
    let full = match value.len() {
        10 => value.to_string(),
        7 => format!("{value}-01"),
        4 => format!("{value}-01-01"),
        _ => return None,
    };
    let d = NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

enum Values {
    Text(Vec<ByteArray>),
    Date(Vec<i32>),
    Int(Vec<i64>),
    Float(Vec<f64>),
}

/// The buffered values of one column for the current row group, with definition levels (1: a
/// value, 0: null) for optional columns.
struct ColumnBuf {
    values: Values,
    defs: Vec<i16>,
    required: bool,
}

impl ColumnBuf {
    fn clear(&mut self) {
        self.defs.clear();
        match &mut self.values {
            Values::Text(v) => v.clear(),
            Values::Date(v) => v.clear(),
            Values::Int(v) => v.clear(),
            Values::Float(v) => v.clear(),
        }
    }
}

fn to_io(e: ParquetError) -> io::Error {
    io::Error::other(format!("writing Parquet: {e}"))
}

pub(super) struct ParquetSink<W: Write> {
    out: W,
    /// Made on the first row group or at finish; writes into a buffer that is emptied into `out`
    /// after every row group (the writer counts offsets itself, so this is safe).
    writer: Option<SerializedFileWriter<Vec<u8>>>,
    columns: Vec<ColumnBuf>,
    rows: usize,
    group_rows: usize,
}

impl<W: Write> ParquetSink<W> {
    pub(super) fn new(out: W) -> Self {
        Self::with_row_group(out, ROW_GROUP_ROWS)
    }

    fn with_row_group(out: W, group_rows: usize) -> Self {
        let columns = COLUMNS
            .iter()
            .map(|c| ColumnBuf {
                values: match c.kind {
                    ColumnKind::Text => Values::Text(Vec::new()),
                    ColumnKind::Date => Values::Date(Vec::new()),
                    ColumnKind::Int => Values::Int(Vec::new()),
                    ColumnKind::Float => Values::Float(Vec::new()),
                },
                defs: Vec::new(),
                required: c.required,
            })
            .collect();
        ParquetSink {
            out,
            writer: None,
            columns,
            rows: 0,
            group_rows: group_rows.max(1),
        }
    }

    fn push_row(&mut self, row: &[Cell]) -> io::Result<()> {
        for ((cell, buf), col) in row.iter().zip(&mut self.columns).zip(COLUMNS) {
            let present = match (cell, &mut buf.values) {
                (Cell::Null, _) => false,
                (Cell::Text(s), Values::Text(v)) => {
                    v.push(ByteArray::from(s.as_bytes().to_vec()));
                    true
                }
                (Cell::Date(d), Values::Date(v)) => match date_days(d) {
                    Some(days) => {
                        v.push(days);
                        true
                    }
                    None => false,
                },
                (Cell::Int(i), Values::Int(v)) => {
                    v.push(*i);
                    true
                }
                (Cell::Float(f), Values::Float(v)) => {
                    v.push(*f);
                    true
                }
                (cell, _) => {
                    return Err(io::Error::other(format!(
                        "writing Parquet: column {} cannot hold {cell:?}",
                        col.name
                    )))
                }
            };
            if buf.required && !present {
                return Err(io::Error::other(format!(
                    "writing Parquet: required column {} has no value",
                    col.name
                )));
            }
            buf.defs.push(i16::from(present));
        }
        self.rows += 1;
        Ok(())
    }

    fn writer(&mut self) -> io::Result<&mut SerializedFileWriter<Vec<u8>>> {
        if self.writer.is_none() {
            let schema = Arc::new(parse_message_type(&schema_text()).map_err(to_io)?);
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(self.group_rows))
                .set_created_by(format!("kestrel {}", crate::VERSION))
                .build();
            let w =
                SerializedFileWriter::new(Vec::new(), schema, Arc::new(props)).map_err(to_io)?;
            self.writer = Some(w);
        }
        Ok(self.writer.as_mut().expect("writer was just made"))
    }

    /// Write the buffered rows as one row group and pass its bytes on to the output.
    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        self.writer()?;
        let writer = self.writer.as_mut().expect("writer exists");
        let mut rg = writer.next_row_group().map_err(to_io)?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column().map_err(to_io)? {
            let buf = &self.columns[i];
            let defs = (!buf.required).then_some(buf.defs.as_slice());
            match &buf.values {
                Values::Text(v) => col.typed::<ByteArrayType>().write_batch(v, defs, None),
                Values::Date(v) => col.typed::<Int32Type>().write_batch(v, defs, None),
                Values::Int(v) => col.typed::<Int64Type>().write_batch(v, defs, None),
                Values::Float(v) => col.typed::<DoubleType>().write_batch(v, defs, None),
            }
            .map_err(to_io)?;
            col.close().map_err(to_io)?;
            i += 1;
        }
        rg.close().map_err(to_io)?;
        writer.flush()?;
        let bytes = std::mem::take(writer.inner_mut());
        self.out.write_all(&bytes)?;
        for c in &mut self.columns {
            c.clear();
        }
        self.rows = 0;
        Ok(())
    }

    pub(super) fn write(&mut self, record: &Record) -> io::Result<()> {
        for event in &record.events {
            self.push_row(&event_row(record, event))?;
            if self.rows >= self.group_rows {
                self.flush_group()?;
            }
        }
        Ok(())
    }

    /// Write the last row group and the footer, and return the output.
    pub(super) fn finish(mut self) -> io::Result<W> {
        self.flush_group()?;
        self.writer()?;
        let writer = self.writer.take().expect("writer exists");
        let rest = writer.into_inner().map_err(to_io)?;
        self.out.write_all(&rest)?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{empty_record, full_record};
    use super::super::{OutputFormat, RecordWriter};
    use super::*;
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::{Field, Row};
    use std::fs::File;

    fn read(bytes: &[u8], name: &str) -> (usize, Vec<Row>) {
        let path = std::env::temp_dir().join(format!(
            "kestrel-parquet-test-{}-{name}.parquet",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let groups = reader.metadata().num_row_groups();
        let rows = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        std::fs::remove_file(&path).unwrap();
        (groups, rows)
    }

    fn field<'a>(row: &'a Row, name: &str) -> &'a Field {
        row.get_column_iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn typed_columns_read_back_equal_to_the_rows() {
        let r = full_record();
        let mut w = RecordWriter::new(Vec::new(), OutputFormat::Parquet);
        w.write(&r).unwrap();
        w.write(&empty_record()).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        let (groups, rows) = read(&bytes, "typed");
        assert_eq!(groups, 1);
        assert_eq!(rows.len(), 2);
        for (row, e) in rows.iter().zip(&r.events) {
            let cells = event_row(&r, e);
            assert_eq!(row.len(), COLUMNS.len());
            for ((name, f), (cell, col)) in row.get_column_iter().zip(cells.iter().zip(COLUMNS)) {
                assert_eq!(name, col.name);
                let same = match (cell, f) {
                    (Cell::Null, Field::Null) => true,
                    (Cell::Text(s), Field::Str(t)) => s == t,
                    (Cell::Date(d), Field::Date(days)) => date_days(d) == Some(*days),
                    (Cell::Int(i), Field::Long(j)) => i == j,
                    (Cell::Float(x), Field::Double(y)) => x == y,
                    _ => false,
                };
                assert!(same, "{name}: wrote {cell:?}, read {f:?}");
            }
        }
        let days_2020_01_24 = 18285;
        assert_eq!(field(&rows[0], "event_date"), &Field::Date(days_2020_01_24));
        assert_eq!(
            field(&rows[1], "event_date"),
            &Field::Date(days_2020_01_24 - 23)
        );
        assert_eq!(field(&rows[0], "fatalities_min"), &Field::Long(3));
        assert_eq!(field(&rows[0], "lat"), &Field::Double(33.34058));
        assert_eq!(field(&rows[1], "lat"), &Field::Null);
    }

    #[test]
    fn row_groups_are_cut_at_the_size_and_an_empty_run_is_a_valid_file() {
        let r = full_record();
        let mut s = ParquetSink::with_row_group(Vec::new(), 3);
        for _ in 0..4 {
            s.write(&r).unwrap();
        }
        let (groups, rows) = read(&s.finish().unwrap(), "groups");
        assert_eq!((groups, rows.len()), (3, 8));
        let ids: Vec<&Field> = rows.iter().map(|x| field(x, "event_id")).collect();
        assert_eq!(ids[0], &Field::Str("art-1:v1".into()));
        assert_eq!(ids[7], &Field::Str("art-1:v2".into()));

        let w = RecordWriter::new(Vec::new(), OutputFormat::Parquet);
        let (groups, rows) = read(&w.finish().unwrap(), "empty");
        assert_eq!((groups, rows.len()), (0, 0));
    }

    #[test]
    fn dates_of_every_precision() {
        assert_eq!(date_days("1970-01-01"), Some(0));
        assert_eq!(date_days("1970-02"), Some(31));
        assert_eq!(date_days("1971"), Some(365));
        assert_eq!(date_days("2020-13-01"), None);
        assert_eq!(date_days("soon"), None);
    }
}
