//! Sinks: write records in the chosen output format.

use crate::model::Record;
use std::io::{self, Write};

/// Output formats `kestrel extract --format` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Jsonl,
}

impl OutputFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jsonl" => Some(OutputFormat::Jsonl),
            _ => None,
        }
    }
}

/// Writes records one after another to a byte sink.
pub struct RecordWriter<W: Write> {
    out: W,
    format: OutputFormat,
}

impl<W: Write> RecordWriter<W> {
    pub fn new(out: W, format: OutputFormat) -> Self {
        RecordWriter { out, format }
    }

    /// Write one record.
    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.out, record)?;
                self.out.write_all(b"\n")
            }
        }
    }

    /// Flush and return the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
