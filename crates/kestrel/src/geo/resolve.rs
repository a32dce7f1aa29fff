//! Resolution: choose one gazetteer place for every group of place mentions, using population and
//! feature class, the article's countries and dateline, admin1 divisions named elsewhere, a
//! qualifier written beside the name ("Alexandria, La."), and distance to places already chosen.
//! Places below the gazetteer's grain take the coordinates of the town that contains them.

use super::gazetteer::{name_key, Gazetteer, Level, NAME_LEXICON, NAME_PRIMARY};
use crate::model::Span;
/// Maps keyed by the article's words and places: a fast hasher seeded per process (foldhash).
type HashMap<K, V, S = foldhash::fast::RandomState> = std::collections::HashMap<K, V, S>;

/// One candidate of a mention: a gazetteer entry and how its name matched.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    pub entry: u32,
    pub flags: u8,
}

/// A place mention ready for resolution.
#[derive(Clone, Debug)]
pub(crate) struct Mention {
    pub span: Span,
    /// The name as written (for a district, without the word "district").
    pub name: String,
    pub cands: Vec<Cand>,
    /// Candidates came from the transliteration variant index.
    pub variant: bool,
    /// A place below the gazetteer's grain, with its GeoNames feature code (PPLX, SQR, BDG).
    pub below: Option<&'static str>,
    /// The mention that qualifies this one (", Louisiana"; "district of Baghdad").
    pub qualifier: Option<usize>,
    /// The mention stands in the dateline.
    pub dateline: bool,
    /// Restrict candidates to admin levels ("Diyala province").
    pub admin_only: bool,
    /// Restrict candidates to towns ("the city of Basra").
    pub town_only: bool,
    /// The candidates are of a place inside the name ("Dubai" of "Dubai World Cup"): precision 2.
    pub inner: bool,
    /// Nothing in the gazetteer fits a given span: take the article's main place, precision 3.
    pub guess: bool,
}

impl Mention {
    pub fn new(span: Span, name: String) -> Mention {
        Mention {
            span,
            name,
            cands: Vec::new(),
            variant: false,
            below: None,
            qualifier: None,
            dateline: false,
            admin_only: false,
            town_only: false,
            inner: false,
            guess: false,
        }
    }
}

/// What the article says about where it is, beyond its place mentions.
#[derive(Clone, Debug, Default)]
pub struct GeoContext {
    /// Countries the article is about (ISO alpha-2), with how often each is mentioned.
    pub countries: Vec<(String, usize)>,
}

/// A resolved mention.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    pub geonameid: Option<u64>,
    /// The gazetteer's name of the place (for a place below the grain, its own name).
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub feature: Option<String>,
    /// 1 the place itself, 2 a part of a town (coordinates of the town), 3 a region.
    pub precision: u8,
}

/// A place with no gazetteer entry of its own (below the grain, or outside the gazetteer), under
/// its own name at the point of the entry that holds it.
fn placed_at(
    name: &str,
    ent: &super::gazetteer::GeoEntry,
    admin1: Option<String>,
    feature: Option<&str>,
    precision: u8,
) -> Resolution {
    Resolution {
        geonameid: None,
        name: name.to_string(),
        lat: ent.lat,
        lon: ent.lon,
        country: ent.country().map(str::to_string),
        admin1,
        feature: feature.map(str::to_string),
        precision,
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// The weights of the resolution score, in units of log10 population. The defaults were fitted
/// by coordinate search on the resolution accuracy of LGL, GeoWebNews and GeoVirus together.
#[derive(Clone, Debug)]
pub(crate) struct Weights {
    pub continent: f64,
    pub country: f64,
    pub admin1: f64,
    pub admin2: f64,
    pub capital: f64,
    pub area: f64,
    pub spot: f64,
    pub primary: f64,
    pub variant: f64,
    pub country_ctx: f64,
    pub country_ctx_max: f64,
    pub dateline_country: f64,
    pub admin1_ev: f64,
    pub admin2_ev: f64,
    pub qualifier_in: f64,
    pub qualifier_out: f64,
    pub holds: f64,
    pub near30: f64,
    pub near100: f64,
    pub near250: f64,
    pub support: f64,
    pub support_max: f64,
    /// Against a division whose largest town bears its name ("New York", "Basra").
    pub dominant: f64,
    /// Against a town named like its own country.
    pub country_town: f64,
    /// Against a small town named like a division or country a hundred times its size.
    pub small_town: f64,
    /// A national capital, named mostly for its government ("Washington said"), counts as a
    /// neighbour only of places within this many kilometres.
    pub capital_anchor_km: f64,
    /// For a division named like a country ("Georgia"), per other division of its own country
    /// chosen elsewhere in the article (up to three, from two on).
    pub sibling_division: f64,
    /// A transliteration variant counts only within this many kilometres of another place
    /// chosen, or inside a division the article names.
    pub variant_km: f64,
    /// For a division that another mention names with nothing else to mean ("Wash.", "N.Y."
    /// beside "Washington", "New York").
    pub named_division: f64,
    /// For a place in the country where most other places chosen lie, when the article names
    /// no country of its own for it: as much as a country named (`country_ctx` and its most).
    pub pick_country: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            continent: 6.0,
            country: 6.0,
            admin1: 4.5,
            admin2: 0.5,
            capital: 6.0,
            area: 0.5,
            spot: -1.0,
            primary: 2.0,
            variant: -2.0,
            country_ctx: 3.0,
            country_ctx_max: 1.5,
            dateline_country: 2.0,
            admin1_ev: 1.5,
            admin2_ev: 3.0,
            qualifier_in: 12.0,
            qualifier_out: -6.0,
            holds: 2.0,
            near30: 4.5,
            near100: 2.0,
            near250: 1.0,
            support: 3.0,
            support_max: 3.0,
            dominant: 7.0,
            country_town: 8.0,
            small_town: 4.0,
            capital_anchor_km: 30.0,
            sibling_division: 2.0,
            variant_km: 250.0,
            named_division: 4.0,
            pick_country: 4.5,
        }
    }
}

/// The population from which a town's name is known well enough to outweigh a state named
/// elsewhere in the article for a village [`FAMOUS_RATIO`] times smaller.
const FAMOUS_TOWN: u64 = 100_000;
/// How many times larger than a namesake of its country a famous town is: thirty ("Portland",
/// Oregon, beside a Portland of 16,000 in a story that names Texas).
const FAMOUS_RATIO: u64 = 30;

fn weights() -> Weights {
    Weights::default()
}

fn prior(w: &Weights, level: Level, feature: &str) -> f64 {
    match level {
        Level::Continent => w.continent,
        Level::Country => w.country,
        Level::Admin1 => w.admin1,
        Level::Admin2 => w.admin2,
        Level::City if feature == "PPLC" => w.capital,
        Level::City if feature == "PPLA" => w.capital * 0.6,
        Level::City => 0.0,
        Level::Area => w.area,
        Level::Spot => w.spot,
    }
}

/// The evidence gathered from every group's candidates, with the group each piece came from (a
/// group is never its own evidence: "Basra" the governorate does not vote for "Basra" the city).
/// Keys borrow from the gazetteer and the context: scoring looks them up for every candidate.
struct Evidence<'a> {
    /// Country → (group, weight); the article's context has group `usize::MAX`.
    countries: HashMap<&'a str, Pieces>,
    /// Admin1 entries that some mention may name, by (country, admin1 code).
    admin1: HashMap<(&'a str, &'a str), Pieces>,
    /// Admin2 entries that some mention may name.
    admin2: HashMap<(&'a str, &'a str, &'a str), Pieces>,
}

/// Pieces of evidence: (group, weight).
type Pieces = Vec<(usize, f64)>;

/// The weight of the evidence under `key` from groups other than `g` (None when there is none).
fn other<K: std::hash::Hash + Eq>(
    map: &HashMap<K, Vec<(usize, f64)>>,
    key: &K,
    g: usize,
) -> Option<f64> {
    let v = map.get(key)?;
    let sum: f64 = v.iter().filter(|x| x.0 != g).map(|x| x.1).sum();
    (sum > 0.0).then_some(sum)
}

/// Resolve the mentions: one [`Resolution`] per mention (None where nothing fits).
pub(crate) fn resolve(
    gaz: &Gazetteer,
    mentions: &[Mention],
    ctx: &GeoContext,
) -> Vec<Option<Resolution>> {
    let owned;
    let mentions: &[Mention] = match initials(gaz, mentions, ctx) {
        Some(m) => {
            owned = m;
            &owned
        }
        None => mentions,
    };
    // Group mentions by name key (one decision per name per article).
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::default();
    for (i, m) in mentions.iter().enumerate() {
        let k = name_key(&m.name);
        let g = *by_key.entry(k).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let group_of: Vec<usize> = {
        let mut v = vec![0; mentions.len()];
        for (g, ms) in groups.iter().enumerate() {
            for &m in ms {
                v[m] = g;
            }
        }
        v
    };
    let cands_of = |g: usize| -> Vec<Cand> {
        let mut seen: HashMap<_, _> = HashMap::default();
        let mut out: Vec<Cand> = Vec::new();
        for &m in &groups[g] {
            let (admin_only, town_only) = (mentions[m].admin_only, mentions[m].town_only);
            for c in &mentions[m].cands {
                let l = gaz.level(&gaz.entries[c.entry as usize]);
                if admin_only && !matches!(l, Level::Admin1 | Level::Admin2 | Level::Area) {
                    continue;
                }
                if town_only && l != Level::City {
                    continue;
                }
                match seen.get(&c.entry) {
                    Some(&i) => {
                        let o: &mut Cand = &mut out[i];
                        o.flags |= c.flags;
                    }
                    None => {
                        seen.insert(c.entry, out.len());
                        out.push(*c);
                    }
                }
            }
        }
        if out.is_empty() {
            // The restriction left nothing: fall back to every candidate.
            for &m in &groups[g] {
                for c in &mentions[m].cands {
                    if let std::collections::hash_map::Entry::Vacant(v) = seen.entry(c.entry) {
                        v.insert(out.len());
                        out.push(*c);
                    }
                }
            }
        }
        out
    };
    let group_cands: Vec<Vec<Cand>> = (0..groups.len()).map(cands_of).collect();

    // Evidence: countries from the context and from unambiguous country names; admin divisions
    // any group might name.
    let mut ev = Evidence {
        countries: HashMap::default(),
        admin1: HashMap::default(),
        admin2: HashMap::default(),
    };
    for (c, n) in &ctx.countries {
        ev.countries
            .entry(c.as_str())
            .or_default()
            .push((usize::MAX, 1.0 + (*n as f64).ln_1p()));
    }
    for (g, cands) in group_cands.iter().enumerate() {
        let n = groups[g].len() as f64;
        let levels: Vec<Level> = cands
            .iter()
            .map(|c| gaz.level(&gaz.entries[c.entry as usize]))
            .collect();
        for (c, l) in cands.iter().zip(&levels) {
            let e = &gaz.entries[c.entry as usize];
            let Some(cc) = e.country() else { continue };
            match l {
                Level::Country => {
                    ev.countries.entry(cc).or_default().push((g, 1.0 + n.ln()));
                }
                Level::Admin1 => {
                    ev.admin1
                        .entry((cc, &*e.admin1))
                        .or_default()
                        .push((g, 1.0));
                }
                // A county is named by its own name ("Madison County"); a bare town name that
                // a county also bears ("Washington") does not name it.
                Level::Admin2 if c.flags & NAME_PRIMARY != 0 => {
                    ev.admin2
                        .entry((cc, &*e.admin1, &*e.admin2))
                        .or_default()
                        .push((g, 1.0));
                }
                _ => {}
            }
        }
    }
    let dateline_groups: Vec<usize> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.dateline)
        .map(|(i, _)| group_of[i])
        .collect();

    let w = weights();
    let support = Support::new(gaz, &group_cands);
    let sole: Vec<(usize, u32)> = group_cands
        .iter()
        .enumerate()
        .filter_map(|(g, cs)| {
            let first = cs.first()?.entry;
            cs.iter().all(|c| c.entry == first).then_some((g, first))
        })
        .collect();
    // Pass 1 without distances, pass 2 with the places chosen in pass 1 as anchors.
    let mut picks: Vec<Option<(u32, f64)>> = vec![None; groups.len()];
    for pass in 0..2 {
        let anchors: Vec<(usize, f64, f64, bool)> = picks
            .iter()
            .enumerate()
            .filter_map(|(g, p)| {
                let (e, margin) = (*p)?;
                let e = &gaz.entries[e as usize];
                let l = gaz.level(e);
                (margin > 1.0 && matches!(l, Level::City | Level::Admin2 | Level::Spot))
                    .then_some((g, e.lat, e.lon, gaz.feature(e) == "PPLC"))
            })
            .collect();
        let dateline_country: Option<String> = dateline_groups.iter().find_map(|&g| {
            picks[g].and_then(|(e, _)| gaz.entries[e as usize].country().map(str::to_string))
        });
        // The countries of the places chosen with a clear margin: (group, country).
        let picked_countries: Vec<(usize, [u8; 2])> = picks
            .iter()
            .enumerate()
            .filter_map(|(g, p)| {
                let (e, margin) = (*p)?;
                let e = &gaz.entries[e as usize];
                (margin > 1.0
                    && e.country != [0, 0]
                    && matches!(
                        gaz.level(e),
                        Level::City | Level::Admin1 | Level::Admin2 | Level::Spot
                    ))
                .then_some((g, e.country))
            })
            .collect();
        let sc = Scoring {
            gaz,
            w: &w,
            ev: &ev,
            group_cands: &group_cands,
            picks: &picks,
            anchors: &anchors,
            dateline_country: dateline_country.as_deref(),
            support: &support,
            pass,
            picked_countries: &picked_countries,
            sole: &sole,
        };
        let mut new_picks = picks.clone();
        for (g, cands) in group_cands.iter().enumerate() {
            if cands.is_empty() {
                continue;
            }
            // A qualifier beside any mention of the group.
            let qualifiers: Vec<usize> = groups[g]
                .iter()
                .filter_map(|&m| mentions[m].qualifier)
                .map(|q| group_of[q])
                .filter(|&q| q != g)
                .collect();
            let variant = mentions[groups[g][0]].variant;
            let mut scored: Vec<(f64, u32)> = cands
                .iter()
                .map(|c| (sc.score(c, g, variant, &qualifiers), c.entry))
                .collect();
            scored.sort_by(|a, b| {
                b.0.partial_cmp(&a.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(
                        gaz.entries[b.1 as usize]
                            .population
                            .cmp(&gaz.entries[a.1 as usize].population),
                    )
                    .then(
                        gaz.entries[a.1 as usize]
                            .id
                            .cmp(&gaz.entries[b.1 as usize].id),
                    )
            });
            let margin = if scored.len() > 1 {
                scored[0].0 - scored[1].0
            } else {
                10.0
            };
            let top = county_town(gaz, &scored).unwrap_or(scored[0].1);
            new_picks[g] = Some((top, margin));
        }
        picks = new_picks;
    }

    // Containing town for places below the grain.
    let main_city: Option<u32> = {
        let from_dateline = dateline_groups.iter().find_map(|&g| {
            picks[g].and_then(|(e, _)| {
                (gaz.level(&gaz.entries[e as usize]) == Level::City).then_some(e)
            })
        });
        from_dateline.or_else(|| main_town(gaz, &groups, &picks))
    };
    let main_country: Option<String> = ev
        .countries
        .iter()
        .map(|(c, v)| (c, v.iter().map(|x| x.1).sum::<f64>()))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string());

    // Without a town: the county or state named most often ("Cuyahoga County" for a hospital
    // there), the finer on a tie; and without a country named, the country of the places chosen.
    let main_division: Option<u32> = picks
        .iter()
        .enumerate()
        .filter_map(|(g, p)| {
            let e = (*p)?.0;
            let ent = &gaz.entries[e as usize];
            let fine = match gaz.level(ent) {
                Level::Admin2 => 1,
                Level::Admin1 => 0,
                _ => return None,
            };
            (ent.id != 0).then_some((groups[g].len(), fine, std::cmp::Reverse(g), e))
        })
        .max()
        .map(|b| b.3);
    let pick_country: Option<String> = {
        let mut n: HashMap<&str, usize> = HashMap::default();
        for (g, p) in picks.iter().enumerate() {
            if let Some(c) = p.and_then(|p| gaz.entries[p.0 as usize].country()) {
                *n.entry(c).or_default() += groups[g].len();
            }
        }
        n.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(c, _)| c.to_string())
    };

    let mut out = Vec::with_capacity(mentions.len());
    for (i, m) in mentions.iter().enumerate() {
        let g = group_of[i];
        // A transliteration variant is trusted only inside a country the article names, and
        // only near another place chosen or inside a division the article names: a skeleton of
        // consonants matches unrelated names too ("Helmet" and "Helmetta", "Latin" and "Luton").
        let stray_variant = m.variant
            && picks[g].is_some_and(|(e, _)| {
                let ent = &gaz.entries[e as usize];
                let cc = ent.country().unwrap_or("");
                let foreign = !ev.countries.is_empty() && other(&ev.countries, &cc, g).is_none();
                let near = picks.iter().enumerate().any(|(h, p)| {
                    h != g
                        && p.is_some_and(|(pe, _)| {
                            let pe = &gaz.entries[pe as usize];
                            pe.id != 0
                                && matches!(
                                    gaz.level(pe),
                                    Level::City | Level::Admin2 | Level::Spot
                                )
                                && distance_km(pe.lat, pe.lon, ent.lat, ent.lon) < w.variant_km
                        })
                });
                let named_division = other(&ev.admin1, &(cc, &*ent.admin1), g).is_some();
                foreign || (!near && !named_division)
            });
        if m.below.is_some() || m.guess || stray_variant {
            let feature = m.below;
            let precision = if m.below.is_some() { 2 } else { 3 };
            // The qualifier's town, else the article's main town, else the nearest town before.
            let container = m
                .qualifier
                .and_then(|q| picks[group_of[q]])
                .map(|p| p.0)
                .filter(|&e| {
                    matches!(
                        gaz.level(&gaz.entries[e as usize]),
                        Level::City | Level::Admin2
                    )
                })
                .or(main_city)
                .or_else(|| {
                    mentions[..i].iter().enumerate().rev().find_map(|(j, _)| {
                        picks[group_of[j]]
                            .map(|p| p.0)
                            .filter(|&e| gaz.level(&gaz.entries[e as usize]) == Level::City)
                    })
                })
                .or(main_division);
            match container {
                Some(e) => {
                    let ent = &gaz.entries[e as usize];
                    // Inside a division, not a town: the division's point, as a region.
                    let precision = if gaz.level(ent) == Level::City {
                        precision
                    } else {
                        3
                    };
                    out.push(Some(placed_at(
                        &m.name,
                        ent,
                        gaz.admin1_of(ent).map(|a| a.name.clone()),
                        feature,
                        precision,
                    )));
                }
                None => {
                    let c = main_country
                        .as_deref()
                        .or(pick_country.as_deref())
                        .and_then(|c| gaz.country(c));
                    out.push(c.map(|ent| placed_at(&m.name, ent, None, feature, 3)));
                }
            }
            continue;
        }
        // A qualifier that none of the name's places lies in ("Rockingham, Northamptonshire"
        // when the gazetteer knows only the Rockinghams elsewhere; "the University of St.
        // Thomas in Houston"): the place is somewhere in the qualifier, not a namesake far away.
        let outside = m.qualifier.and_then(|q| {
            let (qe, _) = picks[group_of[q]]?;
            let qent = &gaz.entries[qe as usize];
            let (e, _) = picks[g]?;
            let ent = &gaz.entries[e as usize];
            let qlevel = gaz.level(qent);
            // Only a town or spot is placed so; a division or country beside another is a list.
            let town = matches!(gaz.level(ent), Level::City | Level::Spot);
            if !town || ent.id == 0 {
                return None;
            }
            let inside = match qlevel {
                Level::Country => qent.country == ent.country,
                Level::Admin1 => qent.country == ent.country && qent.admin1 == ent.admin1,
                // A hand-written county has no code of its own: near its point.
                Level::Admin2 if qent.id == 0 => {
                    qent.country == ent.country
                        && distance_km(qent.lat, qent.lon, ent.lat, ent.lon) < 100.0
                }
                Level::Admin2 => {
                    qent.country == ent.country
                        && qent.admin1 == ent.admin1
                        && qent.admin2 == ent.admin2
                }
                Level::City if m.inner => distance_km(qent.lat, qent.lon, ent.lat, ent.lon) < 50.0,
                _ => true,
            };
            (!inside && !groups[group_of[q]].contains(&i)).then_some((qent, qlevel))
        });
        if let Some((qent, qlevel)) = outside {
            let admin1 = match qlevel {
                Level::Admin1 => Some(qent.name.clone()),
                Level::Country => None,
                _ => gaz.admin1_of(qent).map(|a| a.name.clone()),
            };
            let precision = if qlevel == Level::City { 2 } else { 3 };
            out.push(Some(placed_at(&m.name, qent, admin1, None, precision)));
            continue;
        }
        out.push(picks[g].map(|(e, _)| {
            let ent = &gaz.entries[e as usize];
            let level = gaz.level(ent);
            if m.inner {
                // A place named after the one found inside its name: that place's point.
                let precision = if level == Level::City { 2 } else { 3 };
                return placed_at(
                    &m.name,
                    ent,
                    gaz.admin1_of(ent).map(|a| a.name.clone()),
                    None,
                    precision,
                );
            }
            Resolution {
                // Hand-written features: the id of the same feature in GeoNames, if any.
                geonameid: gaz.geonames_id(e),
                name: ent.name.clone(),
                lat: ent.lat,
                lon: ent.lon,
                country: ent.country().map(str::to_string),
                admin1: match level {
                    Level::Admin1 => Some(ent.name.clone()),
                    Level::Country | Level::Continent => None,
                    _ => gaz.admin1_of(ent).map(|a| a.name.clone()),
                },
                feature: Some(gaz.feature(ent).to_string()),
                precision: match level {
                    Level::City | Level::Spot => 1,
                    _ => 3,
                },
            }
        }));
    }
    out
}

/// When a county or municipality wins, the town of its name inside it or around its point, of
/// at least a twentieth of its people ("Los Angeles", "Tijuana", "Saskatoon"): a bare name
/// that both bear means the town.
fn county_town(gaz: &Gazetteer, scored: &[(f64, u32)]) -> Option<u32> {
    let e = &gaz.entries[scored.first()?.1 as usize];
    if e.id == 0 || gaz.level(e) != Level::Admin2 {
        return None;
    }
    scored[1..].iter().map(|x| x.1).find(|&oc| {
        let o = &gaz.entries[oc as usize];
        gaz.level(o) == Level::City
            && o.country == e.country
            && o.admin1 == e.admin1
            && (o.admin2 == e.admin2 || distance_km(o.lat, o.lon, e.lat, e.lon) < 50.0)
            && o.population.saturating_mul(20) >= e.population
    })
}

/// An abbreviation in capitals that names no country or division in the gazetteer but spells
/// the initials of a country the article names, or of one of its admin1 divisions ("SA" in a
/// story from South Africa, "WA" beside Perth and Australia): those become its candidates. The
/// mentions with such candidates, or None when no mention is such an abbreviation.
fn initials(gaz: &Gazetteer, mentions: &[Mention], ctx: &GeoContext) -> Option<Vec<Mention>> {
    let is_abbrev = |m: &Mention| {
        (2..=3).contains(&m.name.len())
            && m.name.bytes().all(|b| b.is_ascii_uppercase())
            && !m.cands.iter().any(|c| {
                matches!(
                    gaz.level(&gaz.entries[c.entry as usize]),
                    Level::Country | Level::Admin1 | Level::Continent
                )
            })
    };
    if !mentions.iter().any(is_abbrev) {
        return None;
    }
    let mut countries: Vec<&str> = ctx.countries.iter().map(|c| c.0.as_str()).collect();
    // Besides the context's countries, those of the other mentions' largest candidates.
    for m in mentions {
        let top = m
            .cands
            .iter()
            .map(|c| &gaz.entries[c.entry as usize])
            .max_by_key(|e| e.population);
        if let Some(cc) = top.and_then(|e| e.country()) {
            countries.push(cc);
        }
    }
    countries.sort_unstable();
    countries.dedup();
    let mut out = mentions.to_vec();
    let mut any = false;
    for m in out.iter_mut().filter(|m| is_abbrev(m)) {
        let found: Vec<Cand> = countries
            .iter()
            .flat_map(|c| gaz.by_initials(c, &m.name))
            .map(|entry| Cand {
                entry,
                flags: NAME_PRIMARY,
            })
            .collect();
        if !found.is_empty() {
            m.cands = found;
            m.guess = false;
            m.variant = false;
            m.inner = false;
            any = true;
        }
    }
    any.then_some(out)
}

/// The town the article is about: of the towns chosen, the one with the most mentions of itself
/// and of the places around it (towns within 161 km, its admin1 division, its country), so that
/// "Cairo" with "Egypt" and "New Cairo" wins over a "Liverpool" named more often on its own.
fn main_town(gaz: &Gazetteer, groups: &[Vec<usize>], picks: &[Option<(u32, f64)>]) -> Option<u32> {
    let chosen: Vec<(usize, &super::gazetteer::GeoEntry, Level)> = picks
        .iter()
        .enumerate()
        .filter_map(|(g, p)| {
            let e = &gaz.entries[(*p)?.0 as usize];
            Some((g, e, gaz.level(e)))
        })
        .collect();
    let mut best: Option<(f64, u64, u32)> = None;
    for &(g, e, level) in &chosen {
        if level != Level::City {
            continue;
        }
        let mut weight = groups[g].len() as f64;
        for &(h, o, ol) in &chosen {
            if h == g || o.id == 0 {
                continue;
            }
            let holds = match ol {
                Level::Country => o.country == e.country,
                Level::Admin1 => o.country == e.country && o.admin1 == e.admin1,
                Level::Continent => false,
                _ => distance_km(o.lat, o.lon, e.lat, e.lon) <= 161.0,
            };
            if holds {
                weight += groups[h].len() as f64;
            }
        }
        let entry = picks[g].map_or(0, |p| p.0);
        if best.is_none_or(|b| (weight, e.population) > (b.0, b.1)) {
            best = Some((weight, e.population, entry));
        }
    }
    best.map(|b| b.2)
}

/// A candidate that supports others: (group, weight of the group's evidence, entry).
type Supporter = (usize, f64, u32);
/// (country, admin1 code).
type AdminKey = ([u8; 2], Box<str>);

/// Which groups have a candidate near a point or inside a division: the mutual support of
/// candidates ("Alexandria" and "Arlington" both have a candidate in northern Virginia).
struct Support {
    /// 1° cell → (group, weight of the group's evidence, entry).
    cells: HashMap<(i32, i32), Vec<Supporter>>,
    /// (country, admin1) → groups with a candidate there, with weights.
    admin1: HashMap<AdminKey, Vec<(usize, f64)>>,
    /// country → groups with a candidate there.
    country: HashMap<[u8; 2], Vec<(usize, f64)>>,
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (lat.floor() as i32, lon.floor() as i32)
}

impl Support {
    fn new(gaz: &Gazetteer, group_cands: &[Vec<Cand>]) -> Support {
        let mut s = Support {
            cells: HashMap::default(),
            admin1: HashMap::default(),
            country: HashMap::default(),
        };
        for (g, cands) in group_cands.iter().enumerate() {
            if cands.is_empty() {
                continue;
            }
            let wt = 1.0 / (1.0 + (cands.len() as f64).ln());
            let mut seen_a1 =
                std::collections::HashSet::<_, foldhash::fast::RandomState>::default();
            let mut seen_c = std::collections::HashSet::<_, foldhash::fast::RandomState>::default();
            for c in cands {
                let e = &gaz.entries[c.entry as usize];
                let l = gaz.level(e);
                if matches!(l, Level::City | Level::Admin2 | Level::Spot | Level::Area) {
                    s.cells
                        .entry(cell(e.lat, e.lon))
                        .or_default()
                        .push((g, wt, c.entry));
                }
                if l != Level::Continent && l != Level::Country && !e.admin1.is_empty() {
                    let k = (e.country, e.admin1.clone());
                    if seen_a1.insert(k.clone()) {
                        s.admin1.entry(k).or_default().push((g, wt));
                    }
                }
                if e.country != [0, 0] && seen_c.insert(e.country) {
                    s.country.entry(e.country).or_default().push((g, wt));
                }
            }
        }
        s
    }

    /// Weighted count of other groups with a candidate within 100 km of `e`.
    fn near(&self, gaz: &Gazetteer, g: usize, lat: f64, lon: f64) -> f64 {
        let (cy, cx) = cell(lat, lon);
        let mut best: HashMap<usize, f64> = HashMap::default();
        for dy in -1..=1 {
            for dx in -1..=1 {
                let Some(v) = self.cells.get(&(cy + dy, cx + dx)) else {
                    continue;
                };
                for &(h, wt, entry) in v {
                    if h == g {
                        continue;
                    }
                    let o = &gaz.entries[entry as usize];
                    if distance_km(lat, lon, o.lat, o.lon) <= 100.0 {
                        let b = best.entry(h).or_insert(0.0);
                        if wt > *b {
                            *b = wt;
                        }
                    }
                }
            }
        }
        best.values().sum()
    }

    /// Weighted count of other groups with a candidate inside the division or country.
    fn inside(&self, g: usize, e: &super::gazetteer::GeoEntry, level: Level) -> f64 {
        let list = match level {
            Level::Country => self.country.get(&e.country),
            Level::Admin1 => self.admin1.get(&(e.country, e.admin1.clone())),
            _ => None,
        };
        list.map(|v| v.iter().filter(|x| x.0 != g).map(|x| x.1).sum())
            .unwrap_or(0.0)
    }
}

/// Everything the score of one candidate looks at.
struct Scoring<'a> {
    gaz: &'a Gazetteer,
    w: &'a Weights,
    ev: &'a Evidence<'a>,
    group_cands: &'a [Vec<Cand>],
    picks: &'a [Option<(u32, f64)>],
    /// (group, lat, lon, a national capital) of the places chosen with a clear margin.
    anchors: &'a [(usize, f64, f64, bool)],
    dateline_country: Option<&'a str>,
    support: &'a Support,
    pass: usize,
    /// (group, country) of the places chosen with a clear margin in the pass before.
    picked_countries: &'a [(usize, [u8; 2])],
    /// (group, entry) of the groups whose candidates are all one entry.
    sole: &'a [(usize, u32)],
}

impl Scoring<'_> {
    fn score(&self, c: &Cand, g: usize, variant: bool, qualifiers: &[usize]) -> f64 {
        let (gaz, w, ev) = (self.gaz, self.w, self.ev);
        let e = &gaz.entries[c.entry as usize];
        let level = gaz.level(e);
        let feature = gaz.feature(e);
        // A hand-written sea, ocean, region or landmark (id 0) ranks like a continent; a
        // hand-written county ranks as a county, so that the story's country decides.
        let base = if e.id == 0 && !matches!(level, Level::Admin1 | Level::Admin2 | Level::City) {
            w.continent
        } else {
            prior(w, level, feature)
        };
        let mut s = base + ((e.population + 1) as f64).log10();
        if c.flags & (NAME_PRIMARY | NAME_LEXICON) != 0 {
            s += w.primary;
        }
        if variant {
            s += w.variant;
        }
        let cc = e.country().unwrap_or("");
        // A city of the same country thirty times larger bears the name: the name on its own
        // means that city, and only close evidence makes it this village.
        let famous = || {
            level == Level::City
                && self.group_cands[g].iter().any(|oc| {
                    let o = &gaz.entries[oc.entry as usize];
                    gaz.level(o) == Level::City
                        && o.country == e.country
                        && o.population >= FAMOUS_TOWN
                        && o.population >= e.population.saturating_mul(FAMOUS_RATIO)
                })
        };
        if level != Level::Country && level != Level::Continent {
            if let Some(x) = other(&ev.countries, &cc, g) {
                s += w.country_ctx + x.min(w.country_ctx_max);
            }
            if self.dateline_country == Some(cc) {
                s += w.dateline_country;
            }
            if level != Level::Admin1 {
                if let Some(x) = other(&ev.admin1, &(cc, &*e.admin1), g) {
                    // A state named elsewhere does not make a village of it the meaning of a
                    // name that a city of the same country thirty times its size bears
                    // ("Louisville" beside "Ohio").
                    if !famous() {
                        s += w.admin1_ev + x.min(2.0);
                    }
                }
                if level != Level::Admin2
                    && !e.admin2.is_empty()
                    && other(&ev.admin2, &(cc, &*e.admin1, &*e.admin2), g).is_some()
                {
                    s += w.admin2_ev;
                }
            }
        }
        // A qualifier: the candidate must lie inside the place it names.
        for &q in qualifiers {
            let inside = self.group_cands[q].iter().any(|qc| {
                let qe = &gaz.entries[qc.entry as usize];
                match gaz.level(qe) {
                    Level::Country => qe.country == e.country,
                    Level::Admin1 => qe.country == e.country && qe.admin1 == e.admin1,
                    Level::Admin2 => {
                        qe.country == e.country && qe.admin1 == e.admin1 && qe.admin2 == e.admin2
                    }
                    // A town beside a town; or a town inside the division or country named
                    // before it ("University of California, Los Angeles").
                    Level::City => match level {
                        Level::Country => qe.country == e.country,
                        Level::Admin1 => qe.country == e.country && qe.admin1 == e.admin1,
                        Level::Admin2 => {
                            qe.country == e.country
                                && qe.admin1 == e.admin1
                                && qe.admin2 == e.admin2
                        }
                        _ => distance_km(qe.lat, qe.lon, e.lat, e.lon) < 50.0,
                    },
                    _ => false,
                }
            });
            s += if inside {
                w.qualifier_in
            } else {
                w.qualifier_out
            };
        }
        // A division smaller than a namesake town elsewhere (the Jamaican parish of Manchester)
        // loses the advantage of divisions.
        if level == Level::Admin1 {
            let bigger_town = self.group_cands[g].iter().any(|oc| {
                let o = &gaz.entries[oc.entry as usize];
                gaz.level(o) == Level::City && o.population >= e.population
            });
            if bigger_town {
                s -= w.admin1;
            }
        }
        // A division that another mention names unambiguously ("CAMP MURRAY, Wash." beside
        // "at home in Washington"): the article speaks of the division, so the bare name means it.
        if level == Level::Admin1 && w.named_division != 0.0 {
            let named =
                self.group_cands.iter().enumerate().any(|(h, cs)| {
                    h != g && !cs.is_empty() && cs.iter().all(|oc| oc.entry == c.entry)
                });
            if named {
                s += w.named_division;
            }
        }
        // A town that another mention names with nothing else to mean ("New York City" beside
        // "New York"): the bare name means that town too.
        if level == Level::City && e.id != 0 && w.named_division != 0.0 {
            let named = self
                .sole
                .iter()
                .any(|&(h, entry)| h != g && entry == c.entry);
            if named {
                s += w.named_division;
            }
        }
        // A division named after its dominant town: the name means the town.
        if level == Level::Admin1 && w.dominant != 0.0 {
            let town = self.group_cands[g].iter().any(|oc| {
                let o = &gaz.entries[oc.entry as usize];
                gaz.level(o) == Level::City
                    && o.country == e.country
                    && o.admin1 == e.admin1
                    && o.population as f64 * 4.0 >= e.population as f64
            });
            if town {
                s -= w.dominant;
            }
        }
        // A town named like its own country: the name means the country ("Mexico", "Kuwait").
        if level == Level::City && w.country_town != 0.0 {
            let country_too = self.group_cands[g].iter().any(|oc| {
                let o = &gaz.entries[oc.entry as usize];
                gaz.level(o) == Level::Country && o.country == e.country
            });
            if country_too {
                s -= w.country_town;
            }
        }
        // A hamlet named like its own state or country ("Florida", N.Y.), or like a sea or region
        // ("Atlantic", Iowa): the name means the latter.
        if level == Level::City && w.small_town != 0.0 {
            let big = self.group_cands[g].iter().any(|oc| {
                let o = &gaz.entries[oc.entry as usize];
                (o.id == 0
                    || matches!(gaz.level(o), Level::Country | Level::Admin1)
                        && o.country == e.country)
                    && o.population > e.population.saturating_mul(100)
            });
            if big {
                s -= w.small_town;
            }
        }
        // A division named like a country, in an article that names other divisions of the
        // division's country ("Georgia" beside "Florida" and "Nevada"): the name means the
        // division.
        if self.pass == 1 && level == Level::Admin1 && w.sibling_division != 0.0 {
            let country_too = self.group_cands[g]
                .iter()
                .any(|oc| gaz.level(&gaz.entries[oc.entry as usize]) == Level::Country);
            if country_too {
                let siblings = self
                    .picks
                    .iter()
                    .enumerate()
                    .filter(|&(o, p)| {
                        o != g
                            && p.is_some_and(|(pe, _)| {
                                let pe = &gaz.entries[pe as usize];
                                gaz.level(pe) == Level::Admin1
                                    && pe.country == e.country
                                    && pe.admin1 != e.admin1
                            })
                    })
                    .count();
                if siblings >= 2 {
                    s += w.sibling_division * siblings.min(3) as f64;
                }
            }
        }
        // Mutual support of candidates.
        if w.support != 0.0 {
            let sup = match level {
                Level::Country | Level::Admin1 => self.support.inside(g, e, level),
                Level::Continent => 0.0,
                _ => self.support.near(gaz, g, e.lat, e.lon),
            };
            s += w.support * sup.min(w.support_max);
        }
        if self.pass == 0 {
            return s;
        }
        // The article's country when it names none: most of the other places chosen lie in it
        // ("Burton" in a story of Birmingham, Southampton and Bolton is the English town).
        if level != Level::Country
            && level != Level::Continent
            && w.pick_country != 0.0
            && other(&ev.countries, &cc, g).is_none()
        {
            let others = self.picked_countries.iter().filter(|x| x.0 != g);
            let total = others.clone().count();
            let here = others.filter(|x| x.1 == e.country).count();
            if here >= 2 && here * 2 > total {
                s += w.pick_country;
            }
        }
        // Containment of other places chosen: a division or country holding them.
        if matches!(level, Level::Admin1 | Level::Country | Level::Admin2) {
            let holds = self.picks.iter().enumerate().any(|(o, p)| {
                o != g
                    && p.is_some_and(|(pe, _)| {
                        let pe = &gaz.entries[pe as usize];
                        pe.id != e.id
                            && pe.country == e.country
                            && match level {
                                Level::Admin1 => pe.admin1 == e.admin1,
                                Level::Admin2 => pe.admin1 == e.admin1 && pe.admin2 == e.admin2,
                                _ => true,
                            }
                    })
            });
            if holds {
                s += w.holds;
            }
        }
        // Distance to other places already chosen.
        if matches!(
            level,
            Level::City | Level::Admin2 | Level::Area | Level::Spot
        ) {
            let d = self
                .anchors
                .iter()
                .filter(|a| a.0 != g)
                .map(|a| (distance_km(a.1, a.2, e.lat, e.lon), a.3))
                // A national capital stands for its government more often than for its
                // region: it is a neighbour only of the places around it.
                .filter(|&(d, capital)| !capital || d < w.capital_anchor_km)
                .map(|(d, _)| d)
                .fold(f64::INFINITY, f64::min);
            s += if d < 30.0 {
                w.near30
            } else if d < 250.0 && famous() {
                // A state's worth of distance does not outweigh the famous namesake
                // ("Louisville" in a story that also names Columbus, Ohio).
                0.0
            } else if d < 100.0 {
                w.near100
            } else if d < 250.0 {
                w.near250
            } else {
                0.0
            };
        }
        s
    }
}
