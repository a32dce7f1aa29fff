//! Export formats of a filtered event view: CSV (one flat row per event, in the spirit of ACLED's
//! export) and JSON Lines (one API event object per line).

use kestrel_store::query::{EventRow, Range};

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "key",
    "date",
    "date_precision",
    "date_from",
    "type",
    "mode",
    "cameo",
    "acled_event_type",
    "acled_sub_event_type",
    "source_text",
    "source_code",
    "target_text",
    "target_code",
    "place",
    "country",
    "admin1",
    "lat",
    "lon",
    "participants_min",
    "participants_max",
    "fatalities_min",
    "fatalities_max",
    "injuries_min",
    "injuries_max",
    "arrests_min",
    "arrests_max",
    "status",
    "trigger",
    "confidence",
    "cluster",
    "cluster_reports",
    "cluster_sources",
    "article_id",
    "article_title",
    "article_source",
    "url",
    "published",
    "sentence",
];

/// One CSV field, quoted when it holds a comma, quote or line break. A field that a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` first) gets a leading apostrophe.
fn field(out: &mut String, v: &str) {
    let risky = v.starts_with(['=', '+', '@']) || (v.starts_with('-') && v.parse::<f64>().is_err());
    let v = if risky {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&v);
    }
}

/// The header line.
pub fn csv_header() -> String {
    let mut s = CSV_COLUMNS.join(",");
    s.push_str("\r\n");
    s
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn range(r: &Option<Range>) -> [String; 2] {
    match r {
        Some(r) => [opt(&r.min), opt(&r.max)],
        None => [String::new(), String::new()],
    }
}

/// Append one event as a CSV line.
pub fn csv_row(out: &mut String, e: &EventRow) {
    let [pmin, pmax] = range(&e.participants);
    let [fmin, fmax] = range(&e.fatalities);
    let [imin, imax] = range(&e.injuries);
    let [amin, amax] = range(&e.arrests);
    let cols: [String; 39] = [
        e.id.to_string(),
        e.key.clone(),
        opt(&e.date),
        opt(&e.date_precision),
        opt(&e.date_from),
        e.kind.clone(),
        opt(&e.mode),
        opt(&e.cameo),
        e.acled
            .as_ref()
            .map(|a| a.event_type.clone())
            .unwrap_or_default(),
        e.acled
            .as_ref()
            .and_then(|a| a.sub_event_type.clone())
            .unwrap_or_default(),
        e.source
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default(),
        e.source
            .as_ref()
            .and_then(|s| s.code.clone())
            .unwrap_or_default(),
        e.target
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default(),
        e.target
            .as_ref()
            .and_then(|s| s.code.clone())
            .unwrap_or_default(),
        e.place.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        opt(&e.country),
        e.place
            .as_ref()
            .and_then(|p| p.admin1.clone())
            .unwrap_or_default(),
        e.place
            .as_ref()
            .and_then(|p| p.lat)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        e.place
            .as_ref()
            .and_then(|p| p.lon)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        pmin,
        pmax,
        fmin,
        fmax,
        imin,
        imax,
        amin,
        amax,
        e.status.clone(),
        e.trigger.clone(),
        format!("{:.3}", e.confidence),
        opt(&e.cluster.id),
        e.cluster.reports.to_string(),
        e.cluster.sources.to_string(),
        e.article.id.clone(),
        opt(&e.article.title),
        opt(&e.article.source),
        opt(&e.article.url),
        opt(&e.article.published),
        opt(&e.sentence_text),
    ];
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, c);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        let mut s = String::new();
        field(&mut s, "plain");
        s.push('|');
        field(&mut s, "a, \"b\"\nc");
        s.push('|');
        field(&mut s, "=SUM(A1)");
        s.push('|');
        field(&mut s, "-12.5");
        assert_eq!(s, "plain|\"a, \"\"b\"\"\nc\"|'=SUM(A1)|-12.5");
    }

    #[test]
    fn header_matches_row_width() {
        assert_eq!(CSV_COLUMNS.len(), 39);
        assert!(csv_header().starts_with("id,key,date,"));
    }
}
