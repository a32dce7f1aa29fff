//! Calendar words and whole-date parsing shared by the layout stage (date lines, datelines) and the
//! time-expression stage.

use chrono::NaiveDate;

/// Month number (1–12) of an English month name or abbreviation ("Jan", "Jan.", "Sept", "March").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let m = match w.as_str() {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// Weekday number (Monday 0 … Sunday 6) of an English weekday name or abbreviation.
pub fn weekday_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    Some(match w.as_str() {
        "monday" | "mon" => 0,
        "tuesday" | "tue" | "tues" => 1,
        "wednesday" | "wed" => 2,
        "thursday" | "thu" | "thurs" => 3,
        "friday" | "fri" => 4,
        "saturday" | "sat" => 5,
        "sunday" | "sun" => 6,
        _ => return None,
    })
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn parse_day(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Parse a line that holds only a full date: "Friday, January 4, 2019", "January 4, 2019",
/// "Jan. 4, 2019", "4 January 2019", "Friday 4 January 2019", "2019-01-04". Returns `YYYY-MM-DD`.
pub fn parse_full_date(line: &str) -> Option<String> {
    let line = line.trim().trim_end_matches('.');
    if line.len() > 40 {
        return None;
    }
    if line.len() == 10 {
        if let Ok(d) = NaiveDate::parse_from_str(line, "%Y-%m-%d") {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let words: &[&str] = match words.first() {
        Some(w) if weekday_number(w).is_some() => &words[1..],
        _ => &words[..],
    };
    match words {
        [m, d, y] => {
            if let (Some(m), Some(d), Some(y)) = (month_number(m), parse_day(d), parse_year(y)) {
                return ymd(y, m, d);
            }
            let (d, m, y) = (
                parse_day(words[0])?,
                month_number(words[1])?,
                parse_year(words[2])?,
            );
            ymd(y, m, d)
        }
        _ => None,
    }
}

/// Parse "Jan. 24, 2020" or "January 24, 2020" (the year is required) to `YYYY-MM-DD`.
pub fn parse_month_day(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [m, d, y] => ymd(parse_year(y)?, month_number(m)?, parse_day(d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_date_lines() {
        assert_eq!(
            parse_full_date("Friday, January 4, 2019").as_deref(),
            Some("2019-01-04")
        );
        assert_eq!(
            parse_full_date("Thursday, March 28, 2019").as_deref(),
            Some("2019-03-28")
        );
        assert_eq!(
            parse_full_date("4 January 2019").as_deref(),
            Some("2019-01-04")
        );
        assert_eq!(
            parse_full_date("Jan. 4, 2019").as_deref(),
            Some("2019-01-04")
        );
        assert_eq!(parse_full_date("2019-01-04").as_deref(), Some("2019-01-04"));
        assert_eq!(parse_full_date("February 30, 2019"), None);
        assert_eq!(parse_full_date("Range of protest movements"), None);
        assert_eq!(parse_full_date("May 2019 brought rain"), None);
    }
}
