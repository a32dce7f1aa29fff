//! ACLED-style CSV: a header row naming the columns of [`COLUMNS`], then one row per event of
//! every status. RFC 4180: fields holding a comma, a double quote or a line break are quoted,
//! quotes doubled, lines end in CRLF; UTF-8 without a byte-order mark; an empty field is a value
//! Kestrel does not have.

use super::{event_row, Cell, COLUMNS};
use crate::model::Record;
use std::borrow::Cow;
use std::io::{self, Write};

/// The CSV text of one cell (empty for null).
pub(crate) fn cell_text<'a>(cell: &'a Cell<'a>) -> Cow<'a, str> {
    match cell {
        Cell::Null => Cow::Borrowed(""),
        Cell::Text(s) => Cow::Borrowed(s.as_ref()),
        Cell::Date(d) => Cow::Borrowed(d),
        Cell::Int(i) => Cow::Owned(i.to_string()),
        // Rust's shortest round-trip decimal, never in exponent form.
        Cell::Float(f) => Cow::Owned(f.to_string()),
    }
}

pub(super) struct CsvSink<W: Write> {
    out: ::csv::Writer<W>,
    header_written: bool,
}

impl<W: Write> CsvSink<W> {
    pub(super) fn new(out: W) -> Self {
        let out = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .quote_style(::csv::QuoteStyle::Necessary)
            .from_writer(out);
        CsvSink {
            out,
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(COLUMNS.iter().map(|c| c.name))?;
            self.header_written = true;
        }
        Ok(())
    }

    pub(super) fn write(&mut self, record: &Record) -> io::Result<()> {
        self.header()?;
        for event in &record.events {
            let row = event_row(record, event);
            let fields: Vec<Cow<str>> = row.iter().map(cell_text).collect();
            self.out.write_record(fields.iter().map(|f| f.as_bytes()))?;
        }
        Ok(())
    }

    /// Write the header if no record came, and return the sink.
    pub(super) fn finish(mut self) -> io::Result<W> {
        self.header()?;
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{empty_record, full_record};
    use super::super::{OutputFormat, RecordWriter};
    use super::*;

    fn csv_of(records: &[Record]) -> String {
        let mut w = RecordWriter::new(Vec::new(), OutputFormat::Csv);
        for r in records {
            w.write(r).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn empty_run_still_has_the_header() {
        let out = csv_of(&[]);
        assert_eq!(out.matches("\r\n").count(), 1);
        assert!(out.starts_with("event_id,article_id,url,source,published,event_date,"));
        assert!(out.ends_with("status,confidence,evidence_sentence\r\n"));
        assert_eq!(csv_of(&[empty_record()]), out);
    }

    #[test]
    fn quotes_commas_quotes_and_line_breaks_and_reads_back() {
        let mut r = full_record();
        r.events[1].source = Some(crate::model::EventSide {
            entity: None,
            text: "two\nlines".into(),
            code: None,
            members: vec![],
        });
        let out = csv_of(&[r.clone(), empty_record()]);
        // The url holds a comma, the source a quote: both quoted, the quote doubled.
        assert!(out.contains(",\"https://example.org/a?b=1,2\",\"Example \"\"Wire\"\"\","));
        assert!(out.contains("\"two\nlines\""));
        let mut rd = ::csv::ReaderBuilder::new().from_reader(out.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            COLUMNS
                .iter()
                .map(|c| c.name.to_string())
                .collect::<Vec<_>>()
        );
        let rows: Vec<::csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), r.events.len());
        for (row, e) in rows.iter().zip(&r.events) {
            let cells = event_row(&r, e);
            for (i, cell) in cells.iter().enumerate() {
                assert_eq!(&row[i], cell_text(cell).as_ref(), "{}", COLUMNS[i].name);
            }
        }
        let col = |n: &str| COLUMNS.iter().position(|c| c.name == n).unwrap();
        assert_eq!(&rows[0][col("event_id")], "art-1:v1");
        assert_eq!(&rows[0][col("target_text")], "\"protesters\"");
        assert_eq!(&rows[0][col("confidence")], "0.85");
        assert_eq!(&rows[0][col("lon")], "44.40088");
        assert_eq!(&rows[1][col("source_text")], "two\nlines");
        assert_eq!(&rows[1][col("event_date")], "2020-01");
        assert_eq!(&rows[1][col("lat")], "");
    }
}
