//! The progress line on standard error: articles, megabytes, rates and errors so far, redrawn
//! at most four times a second, and only when standard error is a terminal (never in pipes,
//! logs or tests). Error messages clear it first so that they stand on lines of their own.

use kestrel::driver::Summary;
use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    start: Instant,
    last: Option<Instant>,
    shown: bool,
}

impl Progress {
    /// A display that draws when `quiet` is off and standard error is a terminal.
    pub fn new(quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && io::stderr().is_terminal(),
            start: Instant::now(),
            last: None,
            shown: false,
        }
    }

    /// Redraw with the running totals (throttled).
    pub fn update(&mut self, s: &Summary) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|t| now.duration_since(t) < Duration::from_millis(250))
        {
            return;
        }
        self.last = Some(now);
        let text = line(s, now.duration_since(self.start).as_secs_f64());
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
        self.shown = true;
    }

    /// Erase the line (before an error message or the closing summary).
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

/// The progress text for totals after `secs` seconds.
pub fn line(s: &Summary, secs: f64) -> String {
    let mb = s.bytes_in as f64 / 1e6;
    let rate = |x: f64| if secs > 0.0 { x / secs } else { 0.0 };
    format!(
        "kestrel: {} articles, {:.1} MB, {:.0} articles/s, {:.2} MB/s, {} errors",
        s.articles_in,
        mb,
        rate(s.articles_in as f64),
        rate(mb),
        s.failed()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_gives_totals_rates_and_errors() {
        let mut s = Summary {
            articles_in: 1200,
            records_out: 1199,
            bytes_in: 6_000_000,
            ..Summary::default()
        };
        s.failures.insert(kestrel::ingest::ErrorKind::Json, 1);
        assert_eq!(
            line(&s, 2.0),
            "kestrel: 1200 articles, 6.0 MB, 600 articles/s, 3.00 MB/s, 1 errors"
        );
        assert_eq!(
            line(&Summary::default(), 0.0),
            "kestrel: 0 articles, 0.0 MB, 0 articles/s, 0.00 MB/s, 0 errors"
        );
    }

    #[test]
    fn nothing_is_drawn_when_quiet() {
        let mut p = Progress::new(true);
        p.update(&Summary::default());
        assert!(!p.shown);
    }
}
