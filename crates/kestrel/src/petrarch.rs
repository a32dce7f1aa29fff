//! Import of PETRARCH/Phoenix-format dictionaries, so users can bring the actor and agent
//! dictionaries they already maintain (`--lexicon DIR` with `*.actors.txt` and `agents.txt`).
//!
//! Actor files: a name line (`BARHAM_SALIH_` — words joined by `_`, optional trailing `_`), then
//! optional synonym lines (`+BARHAM_SALEH`), and codes in brackets on the name line or on lines of
//! their own: `[IRQGOV]`, with date restrictions `[IRQGOV 181002-221013]`, `[USAGOV >170120]`,
//! `[USABUS <170120]` (dates `YYMMDD`). Agent files: `PROTESTER_ [~CVL]`, with plural forms in
//! braces (`PROTESTER_ {PROTESTERS_} [~CVL]`). Comments start with `#`; anything after `#` on a line
//! is ignored. Lines that fit none of these shapes are reported with their line numbers.

use crate::lexicon::{Agent, Country, Person};

fn words(name: &str) -> String {
    name.trim()
        .trim_start_matches('+')
        .trim_end_matches('_')
        .split('_')
        .filter(|w| !w.is_empty())
        .map(title_case)
        .collect::<Vec<_>>()
        .join(" ")
}

/// PETRARCH dictionaries are upper case; names are matched as written, so turn "AL-SADR" into
/// "Al-Sadr" and keep short all-letter acronyms ("UN", "PMF") as they are.
fn title_case(w: &str) -> String {
    if w.len() <= 3 && w.chars().all(|c| c.is_ascii_uppercase()) {
        return w.to_string();
    }
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == '-' || c == '\'';
    }
    out
}

fn yymmdd(s: &str) -> Option<String> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: u32 = s[..2].parse().ok()?;
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    Some(format!("{year}-{}-{}", &s[2..4], &s[4..6]))
}

/// Parse `[CODE]`, `[CODE 181002-221013]`, `[CODE >170120]`, `[CODE <170120]`.
fn parse_code(inner: &str) -> Option<(String, String, String)> {
    let mut parts = inner.split_whitespace();
    let code = parts.next()?.trim_start_matches('~').to_string();
    let (mut from, mut to) = (String::new(), String::new());
    if let Some(r) = parts.next() {
        if let Some(d) = r.strip_prefix('>') {
            from = yymmdd(d)?;
        } else if let Some(d) = r.strip_prefix('<') {
            to = yymmdd(d)?;
        } else if let Some((a, b)) = r.split_once('-') {
            from = yymmdd(a)?;
            to = yymmdd(b)?;
        } else {
            return None;
        }
    }
    Some((code, from, to))
}

fn brackets(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find('[') {
        match rest[i..].find(']') {
            Some(j) => {
                out.push(&rest[i + 1..i + j]);
                rest = &rest[i + j + 1..];
            }
            None => break,
        }
    }
    out
}

fn key_of(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Import an actors dictionary. Entries whose code is a bare country code become country names.
pub fn import_actors(
    text: &str,
    people: &mut Vec<Person>,
    countries: &mut [Country],
) -> Result<(), String> {
    let mut current: Option<Person> = None;
    let flush = |p: Option<Person>, people: &mut Vec<Person>, countries: &mut [Country]| {
        let Some(p) = p else { return };
        if p.periods.is_empty() {
            return;
        }
        if p.periods.len() == 1 && p.periods[0].0.len() == 3 {
            if let Some(c) = countries.iter_mut().find(|c| c.iso3 == p.periods[0].0) {
                for n in p.names {
                    if !c.names.contains(&n) {
                        c.names.push(n);
                    }
                }
                return;
            }
        }
        people.push(p);
    };
    for (ln, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let codes = brackets(line);
        let head = line.split('[').next().unwrap_or("").trim();
        if head.starts_with('+') {
            let name = words(head);
            match current.as_mut() {
                Some(p) if !name.is_empty() => p.names.push(name),
                _ => return Err(format!("line {}: synonym with no actor before it", ln + 1)),
            }
        } else if !head.is_empty() {
            flush(current.take(), people, countries);
            let name = words(head);
            current = Some(Person {
                key: key_of(&name),
                names: vec![name],
                periods: Vec::new(),
                description: String::new(),
            });
        }
        for c in codes {
            let period =
                parse_code(c).ok_or_else(|| format!("line {}: cannot read code [{c}]", ln + 1))?;
            match current.as_mut() {
                Some(p) => p.periods.push(period),
                None => return Err(format!("line {}: code with no actor before it", ln + 1)),
            }
        }
    }
    flush(current.take(), people, countries);
    Ok(())
}

/// Import an agents dictionary (`PROTESTER_ {PROTESTERS_} [~CVL]`).
pub fn import_agents(text: &str, agents: &mut Vec<Agent>) -> Result<(), String> {
    for (ln, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let codes = brackets(line);
        let Some(code) = codes.first() else {
            return Err(format!("line {}: agent with no [~ROLE] code", ln + 1));
        };
        let roles = code.trim().trim_start_matches('~').to_string();
        let head = line.split('[').next().unwrap_or("");
        let (singular, plurals) = match head.split_once('{') {
            Some((s, rest)) => (s, rest.split('}').next().unwrap_or("")),
            None => (head, ""),
        };
        for (term, kind) in std::iter::once((singular, "person"))
            .chain(plurals.split_whitespace().map(|p| (p, "group")))
        {
            let t = words(term).to_lowercase();
            if !t.is_empty() {
                agents.push(Agent {
                    term: t,
                    roles: roles.clone(),
                    kind: kind.to_string(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_with_synonyms_and_dated_codes() {
        let text = "# comment\nBARHAM_SALIH_ [IRQGOV 181002-221013]\n+BARHAM_SALEH\n[IRQELI >221013]\nDONALD_TRUMP_\n[USABUS <170120]\n[USAGOV 170120-210120]\n";
        let mut people = Vec::new();
        import_actors(text, &mut people, &mut []).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].names, vec!["Barham Salih", "Barham Saleh"]);
        assert_eq!(people[0].code_on(Some("2020-01-24")), Some("IRQGOV"));
        assert_eq!(people[0].code_on(Some("2023-01-01")), Some("IRQELI"));
        assert_eq!(people[1].code_on(Some("2016-05-01")), Some("USABUS"));
    }

    #[test]
    fn agents_with_plurals() {
        let mut agents = Vec::new();
        import_agents(
            "PROTESTER_ {PROTESTERS_ DEMONSTRATORS_} [~CVL]\n",
            &mut agents,
        )
        .unwrap();
        let terms: Vec<_> = agents
            .iter()
            .map(|a| (a.term.as_str(), a.kind.as_str()))
            .collect();
        assert_eq!(
            terms,
            vec![
                ("protester", "person"),
                ("protesters", "group"),
                ("demonstrators", "group")
            ]
        );
        assert!(agents.iter().all(|a| a.roles == "CVL"));
    }

    #[test]
    fn bad_codes_are_reported_with_line_numbers() {
        let e = import_actors("X_ [IRQGOV 1810-22]\n", &mut Vec::new(), &mut []).unwrap_err();
        assert!(e.starts_with("line 1"), "{e}");
    }
}
