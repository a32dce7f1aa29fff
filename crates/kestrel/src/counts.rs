//! Counts: crowd sizes and casualty figures as ranges, with the words they came from.
//!
//! Numbers in digits and words ("5,200", "twenty", "a million", "1.5 million"), vague quantities
//! ("tens of thousands" 10,000–99,999, "hundreds" 200–999, "dozens" 24–99, "several thousand"
//! 2,000–9,999, as `ANNOTATION.md` fixes them) and qualifiers ("at least", "more than", "nearly",
//! "up to", "about"). Each count is attached to a field by its head noun and verb: killed / dead /
//! died → fatalities, wounded / injured → injuries, arrested / detained → arrests, protesters /
//! demonstrators / marchers / rallied → participants. Troop deployments, ages, years, votes, money
//! and percentages are not crowds or casualties (soldiers and police are casualties when the
//! casualty word stands right by them: "killed at least 40 soldiers"). Where a figure is
//! contrasted with a called-for one ("tens of thousands instead of a million") the observed figure
//! wins. "Sixty-six people or more" has no upper bound; figures that share one casualty verb add up
//! ("90 civilians were wounded, as were seventeen soldiers, and two each from the police and the
//! navy" is 111); "a"/"an" right after a verb of arrest or casualty ("detained a journalist") is
//! one.

use crate::model::{Count, Span};
use crate::tokens::{lowercase, TokKind, Token};

/// Which field a count fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Participants,
    Fatalities,
    Injuries,
    Arrests,
}

/// A count found in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundCount {
    pub field: Field,
    pub count: Count,
}

fn small_number(w: &str) -> Option<u64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "thousand" => 1000,
        "million" => 1_000_000,
        _ => return None,
    })
}

fn multiplier(w: &str) -> Option<u64> {
    match w {
        "hundred" => Some(100),
        "thousand" => Some(1000),
        "million" => Some(1_000_000),
        "billion" => Some(1_000_000_000),
        _ => None,
    }
}

/// A number phrase at token `i`: (min, max, tokens consumed).
fn number_at(
    words: &[Lower<'_>],
    toks: &[Token],
    i: usize,
) -> Option<(Option<u64>, Option<u64>, usize)> {
    let w = words[i].as_ref();
    let next = words.get(i + 1).map(AsRef::as_ref).unwrap_or("");
    let next2 = words.get(i + 2).map(AsRef::as_ref).unwrap_or("");
    let next3 = words.get(i + 3).map(AsRef::as_ref).unwrap_or("");
    // Vague quantities.
    match (w, next, next2) {
        ("tens", "of", "thousands") => return Some((Some(10_000), Some(99_999), 3)),
        ("hundreds", "of", "thousands") => return Some((Some(100_000), Some(999_999), 3)),
        ("tens", "of", "millions") => return Some((Some(10_000_000), Some(99_999_999), 3)),
        ("several", "thousand", _) => return Some((Some(2_000), Some(9_999), 2)),
        ("several", "hundred", _) => return Some((Some(200), Some(999), 2)),
        ("several", "dozen", _) => return Some((Some(24), Some(99), 2)),
        ("a", "few", "hundred") => return Some((Some(200), Some(999), 3)),
        ("a", "few", "thousand") => return Some((Some(2_000), Some(9_999), 3)),
        ("a", "dozen", _) => return Some((Some(12), Some(12), 2)),
        _ => {}
    }
    match w {
        "thousands" => return Some((Some(2_000), Some(9_999), 1)),
        "hundreds" => return Some((Some(200), Some(999), 1)),
        "dozens" => return Some((Some(24), Some(99), 1)),
        "millions" => return Some((Some(2_000_000), Some(9_999_999), 1)),
        "scores" if next == "of" => return Some((Some(40), Some(99), 1)),
        _ => {}
    }
    // Digits, with a following multiplier ("1.5 million", "5,200").
    if toks[i].kind == TokKind::Number {
        let clean: String = w.chars().filter(|c| *c != ',').collect();
        let v: f64 = clean.parse().ok()?;
        if let Some(m) = multiplier(next) {
            let n = (v * m as f64).round() as u64;
            return Some((Some(n), Some(n), 2));
        }
        if w.contains('.') {
            return None;
        }
        let n = v as u64;
        return Some((Some(n), Some(n), 1));
    }
    // Number words: "twenty", "a million", "two hundred", "twenty-five".
    let base = match w.split_once('-') {
        Some((a, b)) if !b.contains('-') => Some(small_number(a)? + small_number(b)?),
        _ => small_number(w),
    }?;
    if matches!(w, "a" | "an") && multiplier(next).is_none() {
        return None;
    }
    if matches!(w, "hundred" | "thousand" | "million") {
        return None;
    }
    let mut n = base;
    let mut used = 1;
    if let Some(m) = multiplier(next) {
        n = base * m;
        used = 2;
        if let (Some(m2), true) = (multiplier(next2), m < 1000) {
            n *= m2;
            used = 3;
        }
    }
    let _ = next3;
    Some((Some(n), Some(n), used))
}

const PARTICIPANT_NOUNS: &[&str] = &[
    "protesters",
    "protestors",
    "demonstrators",
    "marchers",
    "people",
    "supporters",
    "students",
    "workers",
    "teachers",
    "farmers",
    "activists",
    "residents",
    "women",
    "men",
    "youths",
    "participants",
    "strikers",
    "mourners",
    "rallygoers",
    "citizens",
    "demonstrator",
    "protester",
    "nurses",
    "doctors",
    "miners",
    "employees",
    "drivers",
    "fans",
    "opponents",
];
const PARTICIPANT_VERBS: &[&str] = &[
    "rallied",
    "marched",
    "gathered",
    "protested",
    "demonstrated",
    "attended",
    "joined",
    "participated",
    "took",
    "turned",
    "thronged",
    "filled",
    "massed",
    "converged",
    "flooded",
    "walked",
    "struck",
    "striking",
    "staged",
    "chanted",
];
const NOT_CROWD: &[&str] = &[
    "troops",
    "soldiers",
    "police",
    "officers",
    "personnel",
    "votes",
    "voters",
    "seats",
    "dollars",
    "euros",
    "pounds",
    "percent",
    "per",
    "years",
    "year-old",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "rockets",
    "missiles",
    "days",
    "weeks",
    "months",
    "hours",
    "minutes",
    "tonnes",
    "tons",
    "members",
    "cases",
    "copies",
    "signatures",
    "times",
    "meters",
    "metres",
];

type Lower<'a> = std::borrow::Cow<'a, str>;

/// The counts of one sentence.
pub fn find_counts(text: &str, toks: &[Token]) -> Vec<FoundCount> {
    let words: Vec<Lower<'_>> = toks.iter().map(|t| lowercase(t.text(text))).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // Skip "instead of X", "a march of a million men": called-for figures.
        let prev = if i > 0 { words[i - 1].as_ref() } else { "" };
        let prev2 = if i > 1 { words[i - 2].as_ref() } else { "" };
        // "detained a radio journalist", "killed an aid worker": one person right after the verb.
        if let Some(field) = one_after_verb(&words, i) {
            out.push(FoundCount {
                field,
                count: Count {
                    min: Some(1),
                    max: Some(1),
                    text: toks[i].text(text).to_string(),
                    span: Some(toks[i].span),
                },
            });
            i += 1;
            continue;
        }
        let Some((mut min, mut max, used)) = number_at(&words, toks, i) else {
            i += 1;
            continue;
        };
        let start = i;
        let end = i + used;
        if (prev == "of" && matches!(prev2, "instead" | "march" | "rally"))
            || words
                .get(end)
                .is_some_and(|w| w == "-year-old" || w.ends_with("year-old"))
        {
            i = end;
            continue;
        }
        // Ages ("al-Kinani, 55,"), years, money, percentages, ordinal positions.
        let n = min.unwrap_or(0);
        let money = prev.starts_with(['$', '€', '£'])
            || words.get(end).is_some_and(|w| {
                matches!(w.as_ref(), "dollars" | "euros" | "pounds" | "%" | "percent")
            });
        let year_like = (1900..=2100).contains(&n)
            && toks[start].kind == TokKind::Number
            && !text[toks[start].span.0..toks[start].span.1].contains(',');
        let age = prev == "," && words.get(end).is_some_and(|w| w == ",") && n < 120;
        let date_part = crate::time::month_number(prev).is_some()
            || words
                .get(end)
                .is_some_and(|w| crate::time::month_number(w).is_some() && w.len() > 2);
        if money || year_like || age || date_part || prev.starts_with('$') {
            i = end;
            continue;
        }
        // Qualifiers before.
        let mut qstart = start;
        let q = prev;
        match (prev2, prev) {
            ("at", "least") | ("more", "than") | ("no", "fewer") | ("over", _)
                if prev2 == "at" || prev2 == "more" || prev2 == "no" =>
            {
                max = None;
                qstart = start - 2;
            }
            _ => match q {
                "over" | "some" | "about" | "around" | "approximately" | "roughly" | "nearly"
                | "almost" | "up" => {
                    if matches!(q, "over") {
                        max = None;
                    }
                    if matches!(q, "nearly" | "almost") {
                        min = min.map(|m| m * 9 / 10);
                    }
                    qstart = start - 1;
                }
                "to" if prev2 == "up" => {
                    min = Some(1);
                    qstart = start - 2;
                }
                _ => {}
            },
        }
        // What is counted: the noun after (skipping adjectives) and the verb around.
        let head: &str = words[end..]
            .iter()
            .take(3)
            .find(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'))
            .map_or("", AsRef::as_ref);
        // "around twenty more, including a cameraman, were injured": an aside between commas
        // after the figure does not part it from its verb.
        let aside = (end..words.len().min(end + 3))
            .find(|&k| words[k].as_ref() == ",")
            .filter(|&c| {
                words.get(c + 1).is_some_and(|w| {
                    matches!(
                        w.as_ref(),
                        "including" | "among" | "mostly" | "most" | "many"
                    )
                })
            })
            .and_then(|c| {
                (c + 2..words.len().min(c + 14))
                    .find(|&k| words[k].as_ref() == ",")
                    .map(|c2| (c, c2 + 1))
            });
        let after: Vec<&str> = match aside {
            Some((c, resume)) => words[end..c]
                .iter()
                .chain(&words[resume..words.len().min(resume + 6)])
                .map(AsRef::as_ref)
                .collect(),
            None => words[end..words.len().min(end + 6)]
                .iter()
                .map(AsRef::as_ref)
                .collect(),
        };
        let before: Vec<&str> = words[start.saturating_sub(4)..start]
            .iter()
            .map(AsRef::as_ref)
            .collect();
        let has = |list: &[&str], w: &str| list.contains(&w);
        // "thousands of Hong Kong protesters": the counted noun stands after "of".
        let of_crowd = head == "of"
            && words[end..]
                .iter()
                .skip(1)
                .take(4)
                .any(|w| has(PARTICIPANT_NOUNS, w));
        // "attended by thousands", "joined by hundreds": a crowd verb in the passive before.
        let by_crowd = before.len() >= 2
            && before[before.len() - 1] == "by"
            && has(PARTICIPANT_VERBS, before[before.len() - 2]);
        // "1.7 million Hongkongers, about a quarter of the population, marched": a people's
        // name as the counted noun, with a crowd verb later in the clause.
        let people_crowd = toks.get(end).map(|t| t.text(text)).is_some_and(|w| {
            w.len() > 4 && w.ends_with('s') && w.starts_with(|c: char| c.is_uppercase())
        }) && words[end..words.len().min(end + 14)]
            .iter()
            .take_while(|w| !matches!(w.as_ref(), ";" | "." | "but"))
            .any(|w| has(PARTICIPANT_VERBS, w));
        // The nearest casualty or arrest word on either side decides the field.
        let cue = |w: &str| -> Option<Field> {
            match w {
                "killed" | "dead" | "died" | "deaths" | "fatalities" | "lives" | "slain"
                | "massacred" | "killing" | "toll" => Some(Field::Fatalities),
                "wounded" | "injured" | "hurt" | "injuries" | "hospitalised" | "hospitalized"
                | "injuring" | "wounding" => Some(Field::Injuries),
                "arrested" | "detained" | "arrests" | "detentions" | "arresting" | "detaining"
                | "jailed" | "imprisoned" => Some(Field::Arrests),
                _ => None,
            }
        };
        let mut best: Option<(usize, Field)> = None;
        for (k, w) in after.iter().enumerate() {
            if let Some(f) = cue(w) {
                best = Some((k + 1, f));
                break;
            }
        }
        for (k, w) in before.iter().enumerate().rev() {
            if let Some(f) = cue(w) {
                let d = before.len() - k;
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, f));
                }
                break;
            }
        }
        // Soldiers and police are casualties when the casualty word stands right by them ("killed
        // five soldiers", "two officers were hurt"), not a deployment further off.
        let people = matches!(
            head,
            "troops" | "soldiers" | "police" | "officers" | "personnel" | "members"
        );
        let field = if let Some((_, f)) = best
            .filter(|(d, _)| !NOT_CROWD.contains(&head) || head == "police" || (people && *d <= 3))
        {
            Some(f)
        } else if NOT_CROWD.contains(&head) {
            None
        } else if has(PARTICIPANT_NOUNS, head)
            || of_crowd
            || by_crowd
            || people_crowd
            || after.iter().any(|w| PARTICIPANT_VERBS.contains(w))
            || (words[..start].iter().any(|w| {
                w.starts_with("demonstrator") || w.starts_with("protester") || w == "crowd"
            }) && matches!(
                head,
                "" | "instead"
                    | "of"
                    | "and"
                    | "or"
                    | "but"
                    | "were"
                    | "was"
                    | "had"
                    | "have"
                    | "who"
                    | "that"
                    | "in"
                    | "on"
                    | "at"
                    | "gathered"
                    | "came"
            ))
            || before.iter().any(|w| matches!(*w, "crowd" | "crowds"))
        {
            Some(Field::Participants)
        } else {
            None
        };
        // "66 people or more": an open upper bound after the number or its noun.
        let or_more = |k: usize| {
            words.get(k).is_some_and(|w| w == "or") && words.get(k + 1).is_some_and(|w| w == "more")
        };
        if or_more(end) || (or_more(end + 1) && head == words[end].as_ref()) {
            max = None;
        }
        // "90 civilians were wounded, as were seventeen soldiers, and two each from the police
        // and the navy": the figures that share the casualty verb add up.
        let mut last = end;
        if let (Some(f), Some(cue_at)) = (
            field,
            (end..words.len().min(end + 6)).find(|&k| cue(words[k].as_ref()).is_some()),
        ) {
            if f != Field::Participants {
                if let Some((extra, upto)) = shared_verb_counts(&words, toks, cue_at + 1) {
                    min = min.map(|m| m + extra);
                    max = max.map(|m| m + extra);
                    last = upto;
                }
            }
        }
        if let Some(field) = field {
            let tspan = Span(toks[qstart].span.0, toks[last - 1].span.1);
            out.push(FoundCount {
                field,
                count: Count {
                    min,
                    max,
                    text: tspan.slice(text).to_string(),
                    span: Some(tspan),
                },
            });
        }
        i = last;
    }
    out
}

/// Whether "a"/"an" at `i` is one person right after a verb of arrest or casualty ("police
/// detained a journalist", "the blast killed an aid worker"), and for which field. Not "a number
/// of", "a group of", "a total of" and other words for many, nor "a" before a figure.
fn one_after_verb(words: &[Lower<'_>], i: usize) -> Option<Field> {
    if !matches!(words[i].as_ref(), "a" | "an") || i == 0 {
        return None;
    }
    let field = match words[i - 1].as_ref() {
        "killed" | "murdered" | "assassinated" => Field::Fatalities,
        "wounded" | "injured" => Field::Injuries,
        "arrested" | "detained" => Field::Arrests,
        _ => return None,
    };
    let next = words.get(i + 1).map(AsRef::as_ref).unwrap_or("");
    let many = [
        "number", "group", "total", "further", "few", "dozen", "handful", "series", "host", "lot",
        "couple", "crowd", "score", "hundred", "thousand", "million", "record", "wave", "string",
    ];
    let word = next.chars().all(|c| c.is_alphabetic() || c == '-') && !next.is_empty();
    (word && !many.contains(&next)).then_some(field)
}

/// The figures after a casualty verb that share it ("…were wounded, as were seventeen soldiers,
/// and two each from the police and the navy"): their sum and the token after the last one.
/// "N each from A and B" counts N for each of the groups named.
fn shared_verb_counts(words: &[Lower<'_>], toks: &[Token], at: usize) -> Option<(u64, usize)> {
    let w = |k: usize| words.get(k).map(AsRef::as_ref).unwrap_or("");
    let mut k = at + usize::from(w(at) == ",");
    if !(w(k) == "as" && matches!(w(k + 1), "were" | "was")) {
        return None;
    }
    k += 2;
    let mut sum = 0;
    let mut upto = None;
    while k < words.len() && !matches!(w(k), "." | ";" | "but") {
        let Some((Some(n), _, used)) = number_at(words, toks, k) else {
            k += 1;
            continue;
        };
        let mut groups = 1;
        k += used;
        if w(k) == "each" {
            let mut j = k + 1;
            while j < words.len() && !matches!(w(j), "." | ";" | ",") {
                groups += u64::from(w(j) == "and");
                j += 1;
            }
        }
        sum += n * groups;
        upto = Some(k);
    }
    upto.map(|u| (sum, u))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<(Field, Option<u64>, Option<u64>, String)> {
        find_counts(s, &crate::tokens::tokenize(s, Span(0, s.len())))
            .into_iter()
            .map(|f| (f.field, f.count.min, f.count.max, f.count.text))
            .collect()
    }

    #[test]
    fn vague_and_qualified_counts() {
        assert_eq!(
            c("The number of demonstrators suggested tens of thousands instead of a million."),
            vec![(
                Field::Participants,
                Some(10_000),
                Some(99_999),
                "tens of thousands".into()
            )]
        );
        assert_eq!(
            c("At least 500 protesters have been killed."),
            vec![(Field::Fatalities, Some(500), None, "At least 500".into())]
        );
        assert_eq!(
            c("Police arrested 15 people and 9 were injured."),
            vec![
                (Field::Arrests, Some(15), Some(15), "15".into()),
                (Field::Injuries, Some(9), Some(9), "9".into())
            ]
        );
        assert_eq!(
            c("Some 2.5 million people marched."),
            vec![(
                Field::Participants,
                Some(2_500_000),
                Some(2_500_000),
                "Some 2.5 million".into()
            )]
        );
    }

    #[test]
    fn troops_ages_years_and_money_are_not_counts() {
        assert!(c("all foreign troops, including 5,200 US troops, to leave").is_empty());
        assert!(c("Mohammed Jasim al-Kinani, 55, one of the leaders").is_empty());
        assert!(
            c("In 2019 the government spent $300 million on 40 percent of schools.").is_empty()
        );
        assert!(c("Sadr called for a march of a million men.").is_empty());
    }

    #[test]
    fn crowds_named_after_of_by_a_passive_or_by_a_people() {
        let p = |s: &str| {
            c(s).into_iter()
                .map(|(f, a, b, _)| (f, a, b))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            p("On Sunday, thousands of Kenyan protesters blocked the main road."),
            vec![(Field::Participants, Some(2_000), Some(9_999))]
        );
        assert_eq!(
            p("Candlelit vigils across the country were attended by hundreds."),
            vec![(Field::Participants, Some(200), Some(999))]
        );
        assert_eq!(
            p("About 40,000 Chileans, many of them students, marched through the capital."),
            vec![(Field::Participants, Some(40_000), Some(40_000))]
        );
        assert!(p("Some 300 Canadians were flown home on Tuesday.").is_empty());
    }

    #[test]
    fn an_aside_between_commas_does_not_part_a_figure_from_its_verb() {
        assert_eq!(
            c("Around thirty more, including a local cameraman, were injured."),
            vec![(Field::Injuries, Some(30), Some(30), "Around thirty".into())]
        );
    }

    #[test]
    fn one_person_right_after_the_verb() {
        assert_eq!(
            c("Police detained a radio presenter on Monday."),
            vec![(Field::Arrests, Some(1), Some(1), "a".into())]
        );
        assert!(c("Police detained a number of students.").is_empty());
        assert!(c("The strike killed a total of 30 civilians.")
            .iter()
            .all(|f| f.1 != Some(1)));
    }

    #[test]
    fn an_open_bound_after_the_noun() {
        assert_eq!(
            c("Sixty-six people or more were injured on Sunday, doctors said."),
            vec![(Field::Injuries, Some(66), None, "Sixty-six".into())]
        );
    }

    #[test]
    fn figures_sharing_a_casualty_verb_add_up() {
        let got = c(
            "Officials said 40 civilians were wounded, as were nine soldiers, and three \
                     each from the navy and the coast guard.",
        );
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].0, got[0].1, got[0].2),
            (Field::Injuries, Some(55), Some(55))
        );
        assert_eq!(
            c("Gunmen killed five soldiers near the border."),
            vec![(Field::Fatalities, Some(5), Some(5), "five".into())]
        );
        assert!(
            c("The army deployed 3,000 troops after the riots in which 12 died.")
                .iter()
                .all(|f| f.1 != Some(3_000))
        );
        let got = c("Four people were killed, as were two police officers.");
        assert_eq!(
            (got[0].0, got[0].1, got[0].2),
            (Field::Fatalities, Some(6), Some(6))
        );
    }
}
