//! The gazetteer: GeoNames places (cities, admin divisions, countries, continents) with every name
//! they go by, indexed by a normalised key and by a transliteration-tolerant variant key.
//!
//! The embedded gazetteer is `data/gazetteer/gazetteer.tsv.gz` (format in
//! `data/gazetteer/README.md`), plus the hand-written seas, regions, ranges, rivers and seats of
//! government of `data/gazetteer/features.tsv` (GeoNames id 0), the country names and adjectives
//! of the actor lexicon (`data/lexicon/countries.tsv`) and the news abbreviations of
//! `data/gazetteer/aliases.tsv`.
//! [`Gazetteer::from_geonames`] reads GeoNames' own dump formats instead.

use flate2::read::GzDecoder;
use rayon::prelude::*;
/// Gazetteer maps are read for every capitalised word and every candidate: a fast hash.
type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::OnceLock;

const EMBEDDED: &[u8] = include_bytes!("../../../../data/gazetteer/gazetteer.tsv.gz");
const ALIASES: &str = include_str!("../../../../data/gazetteer/aliases.tsv");
const COUNTRIES: &str = include_str!("../../../../data/lexicon/countries.tsv");
/// Hand-written seas, oceans, regions, ranges, deserts and rivers (id 0; the GeoNames id of the
/// same feature, where it has one, is kept apart in [`Gazetteer::linked`]).
const FEATURES: &str = include_str!("../../../../data/gazetteer/features.tsv");

/// One place of the gazetteer.
#[derive(Clone, Debug)]
pub struct GeoEntry {
    pub id: u64,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// Index into [`Gazetteer::features`].
    pub(crate) feature: u16,
    /// ISO 3166 alpha-2, or two zero bytes for none (continents).
    pub(crate) country: [u8; 2],
    pub admin1: Box<str>,
    pub admin2: Box<str>,
    pub population: u64,
}

impl GeoEntry {
    /// The ISO 3166 alpha-2 country code, when the place has one.
    pub fn country(&self) -> Option<&str> {
        if self.country == [0, 0] {
            None
        } else {
            std::str::from_utf8(&self.country).ok()
        }
    }
}

/// What kind of place a feature code names, coarsely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Continent,
    Country,
    Admin1,
    Admin2,
    /// Lower admin levels and other areas (ADM3, regions, islands, ...).
    Area,
    City,
    /// Points below a town: squares, bridges, buildings, neighbourhoods.
    Spot,
}

/// How a name of a place was recorded.
pub(crate) const NAME_PRIMARY: u8 = 1;
/// The name must be written exactly (case and periods), e.g. "Ga.", "US".
pub(crate) const NAME_EXACT: u8 = 2;
/// A name from the country lexicon.
pub(crate) const NAME_LEXICON: u8 = 4;

/// (country, admin1 code, admin2 code).
type Admin2Key = ([u8; 2], Box<str>, Box<str>);

/// The embedded or loaded gazetteer.
#[derive(Debug)]
pub struct Gazetteer {
    pub entries: Vec<GeoEntry>,
    features: Vec<String>,
    /// The level of each of `features` (looked up for every candidate of every mention).
    feature_levels: Vec<Level>,
    /// (hash of normalised key, entry, flags), sorted.
    keys: Vec<(u64, u32, u8)>,
    /// Open-addressing index over `keys`: per slot (1 + index of the first key with a hash, or 0
    /// for empty; the hash's top 32 bits). A lookup touches one slot and one key run instead of
    /// binary-searching 600,000 keys (the hottest spot of place recognition).
    slots: Vec<(u32, u32)>,
    /// (hash of variant key, entry), sorted; built on first use.
    variants: OnceLock<Vec<(u64, u32)>>,
    /// The names of a gazetteer read from a dump, kept for the variant index (None: embedded).
    variant_names: Option<Vec<(String, u32)>>,
    /// Names that must match exactly as written: (form, entry).
    pub(crate) exact: Vec<(String, u32)>,
    /// Per first byte, the indexes into `exact` of the forms starting with it, in `exact`'s order.
    exact_by_byte: Vec<Vec<u32>>,
    /// Country code → entry of the country.
    countries: HashMap<[u8; 2], u32>,
    /// (country, admin1 code) → entry of the division.
    admin1: HashMap<([u8; 2], Box<str>), u32>,
    /// Country code → entries of its admin1 divisions; built on first use.
    admin1_by_country: OnceLock<HashMap<[u8; 2], Vec<u32>>>,
    /// (country, admin1, admin2) → entry of the division.
    admin2: HashMap<Admin2Key, u32>,
    /// Lower-case adjective or demonym → entry of its country or continent ("iraqi" → Iraq).
    demonyms: HashMap<String, u32>,
    /// ISO alpha-3 → alpha-2.
    iso3: HashMap<String, [u8; 2]>,
    /// Hand-written entry → the GeoNames id of the same feature ("Middle East" → 6269133). The
    /// entry itself keeps id 0, so that it still ranks and groups as a hand-written feature.
    linked: HashMap<u32, u64>,
    /// What the gazetteer was built from, for provenance.
    pub source: String,
}

fn cc(s: &str) -> Option<[u8; 2]> {
    let b = s.as_bytes();
    if b.len() == 2 && b.iter().all(|c| c.is_ascii_alphabetic()) {
        Some([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
    } else {
        None
    }
}

/// FNV-1a, 64 bits: the key hash of the name indexes.
/// The home slot of a key hash in a table of `mask + 1` slots (a power of two, at least 2): the
/// hash's top bits (FNV-1a's best mixed), so that keys sorted by hash fill the table in order,
/// touching memory sequentially (a mixed home made the build a cache miss per key).
fn slot_of(h: u64, mask: usize) -> usize {
    (h >> (64 - (mask + 1).trailing_zeros())) as usize
}

/// The tag a slot keeps of a key hash: its low bits (the home slot gives the high ones).
fn slot_tag(h: u64) -> u32 {
    h as u32
}

/// The slot table of sorted `keys`: one slot per distinct hash, at most half full.
fn build_slots(keys: &[(u64, u32, u8)]) -> Vec<(u32, u32)> {
    let distinct = keys.chunk_by(|a, b| a.0 == b.0).count();
    let size = (distinct * 2).next_power_of_two().max(16);
    let mask = size - 1;
    let mut slots = vec![(0u32, 0u32); size];
    let mut i = 0;
    while i < keys.len() {
        let h = keys[i].0;
        let mut at = slot_of(h, mask);
        while slots[at].0 != 0 {
            at = (at + 1) & mask;
        }
        slots[at] = (i as u32 + 1, slot_tag(h));
        while i < keys.len() && keys[i].0 == h {
            i += 1;
        }
    }
    slots
}

pub(crate) fn hash_key(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Fold one non-ASCII character to ASCII letters, pushing onto `out`; false when it has no letter
/// or digit content (punctuation, marks).
fn fold_char(c: char, out: &mut String) -> bool {
    let special = match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        'ħ' => "h",
        _ => "",
    };
    if !special.is_empty() {
        out.push_str(special);
        return true;
    }
    let mut any = false;
    for l in c.to_lowercase() {
        unicode_normalization::char::decompose_canonical(l, |d| {
            if d.is_ascii_alphanumeric() {
                out.push(d.to_ascii_lowercase());
                any = true;
            }
        });
    }
    any
}

/// The normalised key of a name: lower case, diacritics and apostrophes and periods dropped,
/// other punctuation a single space, and "Saint/St", "Mount/Mt", "Fort/Ft" made one.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    name_key_into(s, &mut out);
    out
}

/// [`name_key`] into a reused buffer.
pub(crate) fn name_key_into(s: &str, out: &mut String) {
    out.clear();
    let mut space = false;
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c.to_ascii_lowercase());
            } else if !matches!(c, '\'' | '.' | '`') {
                space = true;
            }
            continue;
        }
        if matches!(c, '’' | '‘' | 'ʼ' | 'ʻ' | 'ʿ' | 'ʾ' | '´') || is_mark(c) {
            continue;
        }
        let before = out.len();
        let pending = space && !out.is_empty();
        if pending {
            out.push(' ');
        }
        if fold_char(c, out) {
            space = false;
        } else {
            out.truncate(before);
            space = true;
        }
    }
    // Whole-word abbreviations: look at each word (most keys have one or two).
    let b = out.as_bytes();
    let is_long = |w: &[u8]| matches!(w, b"saint" | b"sainte" | b"mount" | b"fort");
    let mut ws = 0;
    let mut needs = false;
    for i in memchr::memchr_iter(b' ', b) {
        if is_long(&b[ws..i]) {
            needs = true;
            break;
        }
        ws = i + 1;
    }
    if needs || is_long(&b[ws..]) {
        let mut rebuilt = String::with_capacity(out.len());
        for w in out.split(' ') {
            if !rebuilt.is_empty() {
                rebuilt.push(' ');
            }
            rebuilt.push_str(match w {
                "saint" => "st",
                "sainte" => "ste",
                "mount" => "mt",
                "fort" => "ft",
                w => w,
            });
        }
        *out = rebuilt;
    }
}

fn is_mark(c: char) -> bool {
    // Combining marks standing alone.
    ('\u{300}'..='\u{36F}').contains(&c)
}

const ARTICLES: &[&str] = &[
    "al", "el", "as", "ad", "an", "ar", "at", "az", "ash", "ath", "ul",
];

/// The variant key of a normalised key: Arabic articles dropped and each word reduced to its
/// consonant skeleton ("jadiriyah" and "jadriya" → "jdr"; "samawah" and "samawa" → "smw").
/// None when too little is left to be distinctive.
pub fn variant_key(key: &str) -> Option<String> {
    let mut out = String::new();
    variant_key_into(key, &mut out).then_some(out)
}

/// [`variant_key`] into a reused buffer; false when too little is left.
pub(crate) fn variant_key_into(key: &str, out: &mut String) -> bool {
    out.clear();
    let nwords = key.split(' ').count();
    let mut consonants = 0;
    for (i, w) in key.split(' ').enumerate() {
        if nwords > 1 && i + 1 < nwords && ARTICLES.contains(&w) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let mut last = None;
        for (j, c) in w.chars().enumerate() {
            let c = match c {
                'k' | 'q' => 'k',
                'z' => 's',
                'v' => 'w',
                c => c,
            };
            let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h');
            if j > 0 && vowel {
                continue;
            }
            if last == Some(c) {
                continue;
            }
            out.push(c);
            last = Some(c);
            consonants += 1;
        }
    }
    consonants >= 3
}

impl Gazetteer {
    /// The embedded gazetteer (GeoNames cities ≥ 500 people, admin divisions, countries,
    /// continents).
    pub fn embedded() -> Result<Gazetteer, String> {
        let mut data = Vec::with_capacity(EMBEDDED.len() * 3);
        GzDecoder::new(EMBEDDED)
            .read_to_end(&mut data)
            .map_err(|e| format!("embedded gazetteer: {e}"))?;
        let text = std::str::from_utf8(&data).map_err(|e| format!("embedded gazetteer: {e}"))?;
        let mut g = Gazetteer::empty("embedded".into());
        let mut names: Vec<(&str, u32, u8)> = Vec::with_capacity(1 << 21);
        // Parse line-aligned pieces of the text on all threads, then join them in order: entry
        // indexes are offset by the entries of the pieces before, and each piece's feature codes
        // are interned in order of first appearance (the same order as one sequential pass).
        let pieces = line_pieces(text, 4 * rayon::current_num_threads());
        let parsed: Vec<Result<Parsed, (usize, String)>> = pieces
            .par_iter()
            .map(|&(at, piece)| parse_piece(at, piece))
            .collect();
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        g.entries.reserve(lines + 200);
        for p in parsed {
            let p = p.map_err(|(at, e)| {
                let line = memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1;
                format!("embedded gazetteer line {line}: {e}")
            })?;
            let base = g.entries.len() as u32;
            let codes: Vec<u16> = p.features.iter().map(|f| g.intern(f)).collect();
            g.entries.extend(p.entries.into_iter().map(|mut e| {
                e.feature = codes[e.feature as usize];
                e
            }));
            names.extend(p.names.into_iter().map(|(n, i, f)| (n, i + base, f)));
        }
        // The hand-written features, with their adjectives (11th column).
        let mut adjectives: Vec<(&str, u32)> = Vec::new();
        for (i, line) in FEATURES.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let idx = g.entries.len() as u32;
            let from = names.len();
            g.push_kestrel_line(line, &mut names)
                .map_err(|e| format!("features.tsv line {}: {e}", i + 1))?;
            let e = &mut g.entries[idx as usize];
            if e.id != 0 {
                g.linked.insert(idx, std::mem::take(&mut e.id));
            }
            // Every listed name of a feature is one of its own ("Atlantic" for the ocean).
            for n in &mut names[from..] {
                if n.2 & NAME_EXACT == 0 {
                    n.2 |= NAME_PRIMARY;
                }
            }
            if let Some(adj) = line.split('\t').nth(10) {
                adjectives.extend(adj.split('|').filter(|a| !a.is_empty()).map(|a| (a, idx)));
            }
        }
        g.finish(names);
        for (adj, idx) in adjectives {
            // A country's or continent's adjective stays theirs.
            g.demonyms.entry(adj.to_lowercase()).or_insert(idx);
        }
        Ok(g)
    }

    /// A gazetteer from a GeoNames dump: `allCountries.txt` or `citiesNNN.txt` (geoname table,
    /// tab-separated, optionally gzipped), and optionally `alternateNamesV2.txt` for names in
    /// other languages. Admin division names come from the dump's own ADM1/ADM2 rows, or from
    /// `admin1CodesASCII.txt` when it lies beside the main file. From `allCountries.txt` only
    /// populated places, administrative areas, and physical features (classes A, P, L, H, T) plus
    /// squares and bridges are kept.
    pub fn from_geonames(main: &Path, alternate_names: Option<&Path>) -> Result<Gazetteer, String> {
        let mut g = Gazetteer::empty(format!("geonames:{}", main.display()));
        let mut names: Vec<(String, u32, u8)> = Vec::new();
        let mut by_id: HashMap<u64, u32> = HashMap::default();
        let reader = open_maybe_gz(main)?;
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| format!("{}: line {}: {e}", main.display(), i + 1))?;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 15 {
                return Err(format!(
                    "{}: line {}: expected the 19 columns of a GeoNames geoname table, found {}",
                    main.display(),
                    i + 1,
                    f.len()
                ));
            }
            let class = f[6];
            let code = f[7];
            let keep = matches!(class, "A" | "P" | "L" | "H" | "T")
                || (class == "S" && matches!(code, "SQR" | "BDG" | "AIRP" | "PAL" | "CSTL"));
            if !keep {
                continue;
            }
            let id: u64 = f[0].parse().map_err(|_| {
                format!(
                    "{}: line {}: bad geonameid {:?}",
                    main.display(),
                    i + 1,
                    f[0]
                )
            })?;
            let lat: f64 = f[4].parse().map_err(|_| {
                format!(
                    "{}: line {}: bad latitude {:?}",
                    main.display(),
                    i + 1,
                    f[4]
                )
            })?;
            let lon: f64 = f[5].parse().map_err(|_| {
                format!(
                    "{}: line {}: bad longitude {:?}",
                    main.display(),
                    i + 1,
                    f[5]
                )
            })?;
            let feature = match (class, code) {
                ("A", "PCLI" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" | "PCL" | "TERR") => "PCLI",
                _ => code,
            };
            let idx = g.entries.len() as u32;
            let entry = GeoEntry {
                id,
                name: f[1].to_string(),
                lat,
                lon,
                feature: g.intern(if feature.is_empty() { class } else { feature }),
                country: cc(f[8]).unwrap_or([0, 0]),
                admin1: f[10].into(),
                admin2: f[11].into(),
                population: f[14].parse().unwrap_or(0),
            };
            names.push((f[1].to_string(), idx, NAME_PRIMARY));
            if f[2] != f[1] && !f[2].is_empty() {
                names.push((f[2].to_string(), idx, 0));
            }
            if alternate_names.is_none() {
                for a in f[3].split(',') {
                    if usable_alias(a) {
                        names.push((a.to_string(), idx, 0));
                    }
                }
            }
            by_id.insert(id, idx);
            g.entries.push(entry);
        }
        if let Some(alt) = alternate_names {
            let reader = open_maybe_gz(alt)?;
            for (i, line) in reader.lines().enumerate() {
                let line = line.map_err(|e| format!("{}: line {}: {e}", alt.display(), i + 1))?;
                let f: Vec<&str> = line.split('\t').collect();
                if f.len() < 4 {
                    return Err(format!(
                        "{}: line {}: expected the columns of alternateNamesV2.txt",
                        alt.display(),
                        i + 1
                    ));
                }
                let lang = f[2];
                if !matches!(lang, "" | "en" | "abbr") {
                    continue;
                }
                let Some(&idx) = f[1].parse::<u64>().ok().and_then(|id| by_id.get(&id)) else {
                    continue;
                };
                if lang == "abbr" {
                    names.push((f[3].to_string(), idx, NAME_EXACT));
                } else if usable_alias(f[3]) {
                    names.push((f[3].to_string(), idx, 0));
                }
            }
        }
        // Admin1 names from admin1CodesASCII.txt beside the main file, when the dump has no ADM1
        // rows (citiesNNN.txt).
        let admin1_file = main.with_file_name("admin1CodesASCII.txt");
        if admin1_file.exists() {
            let text = std::fs::read_to_string(&admin1_file)
                .map_err(|e| format!("{}: {e}", admin1_file.display()))?;
            // No coordinates in that table: the mean of each division's towns, and their people.
            // (country, admin1) → (sum of latitudes, of longitudes, towns, people).
            type Sums = HashMap<([u8; 2], Box<str>), (f64, f64, f64, u64)>;
            let mut sums: Sums = HashMap::default();
            for e in &g.entries {
                let x = sums.entry((e.country, e.admin1.clone())).or_default();
                x.0 += e.lat;
                x.1 += e.lon;
                x.2 += 1.0;
                x.3 += e.population;
            }
            for line in text.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                if f.len() < 4 {
                    continue;
                }
                let id: u64 = f[3].parse().unwrap_or(0);
                if by_id.contains_key(&id) {
                    continue;
                }
                let Some((c, a1)) = f[0].split_once('.') else {
                    continue;
                };
                let Some(code) = cc(c) else { continue };
                let idx = g.entries.len() as u32;
                let Some(&(lat, lon, n, population)) = sums.get(&(code, a1.into())) else {
                    continue;
                };
                names.push((f[1].to_string(), idx, NAME_PRIMARY));
                let feature = g.intern("ADM1");
                g.entries.push(GeoEntry {
                    id,
                    name: f[1].to_string(),
                    lat: lat / n,
                    lon: lon / n,
                    feature,
                    country: code,
                    admin1: a1.into(),
                    admin2: "".into(),
                    population,
                });
            }
        }
        if g.entries.is_empty() {
            return Err(format!(
                "{}: no places read (is it a GeoNames geoname table?)",
                main.display()
            ));
        }
        let borrowed: Vec<(&str, u32, u8)> =
            names.iter().map(|(n, i, f)| (n.as_str(), *i, *f)).collect();
        g.finish(borrowed);
        g.variant_names = Some(names.into_iter().map(|(n, i, _)| (n, i)).collect());
        Ok(g)
    }

    fn empty(source: String) -> Gazetteer {
        Gazetteer {
            entries: Vec::new(),
            features: Vec::new(),
            feature_levels: Vec::new(),
            keys: Vec::new(),
            slots: Vec::new(),
            variants: OnceLock::new(),
            admin1_by_country: OnceLock::new(),
            variant_names: None,
            exact: Vec::new(),
            exact_by_byte: Vec::new(),
            countries: HashMap::default(),
            admin1: HashMap::default(),
            admin2: HashMap::default(),
            demonyms: HashMap::default(),
            iso3: HashMap::default(),
            linked: HashMap::default(),
            source,
        }
    }

    /// The GeoNames id a record gives for entry `i`: its own, or for a hand-written feature the
    /// id of the same feature in GeoNames, where it has one.
    pub fn geonames_id(&self, i: u32) -> Option<u64> {
        let id = self.entries[i as usize].id;
        if id != 0 {
            Some(id)
        } else {
            self.linked.get(&i).copied()
        }
    }

    fn intern(&mut self, code: &str) -> u16 {
        if let Some(i) = self.features.iter().rposition(|f| f == code) {
            return i as u16;
        }
        self.features.push(code.to_string());
        self.feature_levels.push(level_of(code));
        (self.features.len() - 1) as u16
    }

    /// One line of Kestrel's own format (see data/gazetteer/README.md).
    fn push_kestrel_line<'a>(
        &mut self,
        line: &'a str,
        names: &mut Vec<(&'a str, u32, u8)>,
    ) -> Result<(), String> {
        let idx = self.entries.len() as u32;
        let (mut entry, feature) = parse_row(line, idx, names)?;
        entry.feature = self.intern(feature);
        self.entries.push(entry);
        Ok(())
    }

    /// Build the indexes, add the lexicon's country names and the abbreviations file.
    fn finish(&mut self, mut names: Vec<(&str, u32, u8)>) {
        for (i, e) in self.entries.iter().enumerate() {
            match self.feature_levels[e.feature as usize] {
                Level::Country => {
                    let keep = match self.countries.get(&e.country) {
                        Some(&j) => {
                            self.entries[j as usize].population < e.population
                                && level_of(
                                    &self.features[self.entries[j as usize].feature as usize],
                                ) == Level::Country
                        }
                        None => true,
                    };
                    if keep && e.country != [0, 0] {
                        self.countries.insert(e.country, i as u32);
                    }
                }
                Level::Admin1 => {
                    self.admin1
                        .entry((e.country, e.admin1.clone()))
                        .or_insert(i as u32);
                }
                Level::Admin2 => {
                    self.admin2
                        .entry((e.country, e.admin1.clone(), e.admin2.clone()))
                        .or_insert(i as u32);
                }
                _ => {}
            }
        }
        // Keys of admin1 names: a lexicon country name that is also one of the country's
        // divisions ("England" for the United Kingdom) stays the division's.
        let admin1_keys: std::collections::HashSet<String> = self
            .admin1
            .values()
            .map(|&i| name_key(&self.entries[i as usize].name))
            .collect();
        // The actor lexicon's country names, adjectives and ISO codes.
        for line in COUNTRIES.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 4 {
                continue;
            }
            let Some(code) = cc(f[1]) else { continue };
            self.iso3.insert(f[0].to_string(), code);
            let Some(&idx) = self.countries.get(&code) else {
                continue;
            };
            for adj in f[3].split('|').filter(|a| !a.is_empty()) {
                self.demonyms.insert(adj.to_lowercase(), idx);
            }
            for n in f[2]
                .split('|')
                .filter(|n| !n.is_empty() && !admin1_keys.contains(&name_key(n)))
            {
                let exact = n.chars().all(|c| !c.is_lowercase());
                names.push((n, idx, NAME_LEXICON | if exact { NAME_EXACT } else { 0 }));
            }
        }
        // The entries the abbreviations name by GeoNames id ("@123"), found in one pass: the
        // first entry with each id.
        let mut wanted: Vec<u64> = ALIASES
            .lines()
            .filter_map(|l| l.strip_prefix('@'))
            .map(|l| l.split('\t').next().unwrap_or("").parse().unwrap_or(0))
            .collect();
        wanted.sort_unstable();
        let mut by_id: HashMap<u64, u32> = HashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            if wanted.binary_search(&e.id).is_ok() {
                by_id.entry(e.id).or_insert(i as u32);
            }
        }
        for line in ALIASES.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let key = cols.next().unwrap_or("");
            let forms = cols.next().unwrap_or("");
            let adjectives = cols.next().unwrap_or("");
            let idx = if let Some(id) = key.strip_prefix('@') {
                let id: u64 = id.parse().unwrap_or(0);
                by_id.get(&id).copied()
            } else {
                match key.split_once('.') {
                    Some((c, a1)) => cc(c).and_then(|c| self.admin1.get(&(c, a1.into())).copied()),
                    None => cc(key).and_then(|c| self.countries.get(&c).copied()),
                }
            };
            let Some(idx) = idx else { continue };
            for form in forms.split('|').filter(|f| !f.is_empty()) {
                self.exact.push((form.to_string(), idx));
            }
            for adj in adjectives.split('|').filter(|f| !f.is_empty()) {
                self.demonyms.insert(adj.to_lowercase(), idx);
            }
        }
        let mut exact: Vec<(String, u32)> = Vec::new();
        names.retain(|(n, idx, flags)| {
            if *flags & NAME_EXACT != 0 {
                exact.push((n.to_string(), *idx));
                false
            } else {
                true
            }
        });
        self.exact.extend(exact);
        // (hash, entry, flags) packed in one integer: it sorts as the triple, faster.
        let mut packed: Vec<u128> = names
            .par_chunks(8192)
            .flat_map_iter(|chunk| {
                let mut buf = String::new();
                chunk
                    .iter()
                    .filter_map(|(n, idx, flags)| {
                        name_key_into(n, &mut buf);
                        (!buf.is_empty()).then(|| {
                            (hash_key(&buf) as u128) << 64 | (*idx as u128) << 8 | *flags as u128
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        packed.par_sort_unstable();
        // One key per (hash, entry), with the flags of all its names.
        let mut keys: Vec<(u64, u32, u8)> = Vec::with_capacity(packed.len());
        for p in packed {
            let k = ((p >> 64) as u64, (p >> 8) as u32, p as u8);
            match keys.last_mut() {
                Some(last) if last.0 == k.0 && last.1 == k.1 => last.2 |= k.2,
                _ => keys.push(k),
            }
        }
        self.exact.sort();
        self.exact.dedup();
        // Longest forms first so "W.Va." wins over "Va.".
        self.exact
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        self.exact_by_byte = vec![Vec::new(); 256];
        for (i, (form, _)) in self.exact.iter().enumerate() {
            if let Some(&b) = form.as_bytes().first() {
                self.exact_by_byte[b as usize].push(i as u32);
            }
        }
        self.slots = build_slots(&keys);
        self.keys = keys;
    }

    /// The exact-form names that `text` starts with can only be among these (longest first).
    pub(crate) fn exact_candidates(&self, text: &str) -> impl Iterator<Item = &(String, u32)> {
        let first = text.as_bytes().first().map_or(&[][..], |&b| {
            self.exact_by_byte
                .get(b as usize)
                .map_or(&[][..], |v| v.as_slice())
        });
        first.iter().map(|&i| &self.exact[i as usize])
    }

    /// Entries whose name or alias has this normalised key, with the name flags.
    pub(crate) fn lookup_key(&self, key: &str) -> &[(u64, u32, u8)] {
        let h = hash_key(key);
        if self.slots.is_empty() {
            return &[];
        }
        let mask = self.slots.len() - 1;
        let mut at = slot_of(h, mask);
        loop {
            let (first, tag) = self.slots[at];
            if first == 0 {
                return &[];
            }
            if tag == slot_tag(h) {
                let lo = (first - 1) as usize;
                if self.keys[lo].0 == h {
                    let hi = lo + self.keys[lo..].iter().take_while(|k| k.0 == h).count();
                    return &self.keys[lo..hi];
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Whether any place has this normalised key.
    pub fn has_key(&self, key: &str) -> bool {
        !self.lookup_key(key).is_empty()
    }

    /// Build the indexes that are otherwise built on first use (the transliteration variant
    /// index), so that later lookups have a steady cost.
    pub fn prepare(&self) {
        self.variants.get_or_init(|| self.build_variants());
        self.admin1_by_country();
    }

    /// The admin1 divisions of each country (the index behind [`Gazetteer::by_initials`]).
    fn admin1_by_country(&self) -> &HashMap<[u8; 2], Vec<u32>> {
        self.admin1_by_country.get_or_init(|| {
            let mut by: HashMap<[u8; 2], Vec<u32>> = HashMap::default();
            for (k, &i) in &self.admin1 {
                by.entry(k.0).or_default().push(i);
            }
            by
        })
    }

    /// Entries whose variant key equals this one.
    pub(crate) fn lookup_variant(&self, variant: &str) -> impl Iterator<Item = u32> + '_ {
        let variants = self.variants.get_or_init(|| self.build_variants());
        let h = hash_key(variant);
        let lo = variants.partition_point(|k| k.0 < h);
        variants[lo..]
            .iter()
            .take_while(move |k| k.0 == h)
            .map(|k| k.1)
    }

    /// The variant index: every name's variant key. The embedded gazetteer's names are read
    /// again from the embedded file (the index is needed only for names not found as written).
    fn build_variants(&self) -> Vec<(u64, u32)> {
        let mut names: Vec<(String, u32)> = Vec::new();
        let owned;
        let list: &[(String, u32)] = match &self.variant_names {
            Some(v) => v,
            None => {
                let mut data = Vec::with_capacity(EMBEDDED.len() * 3);
                if GzDecoder::new(EMBEDDED).read_to_end(&mut data).is_err() {
                    return Vec::new();
                }
                let text = String::from_utf8_lossy(&data);
                let mut idx = 0u32;
                for line in text.lines() {
                    if line.starts_with('#') || line.is_empty() {
                        continue;
                    }
                    let mut f = line.split('\t');
                    if let Some(n) = f.nth(1) {
                        names.push((n.to_string(), idx));
                    }
                    if let Some(a) = f.next() {
                        for a in a.split('|').filter(|a| !a.is_empty()) {
                            names.push((a.to_string(), idx));
                        }
                    }
                    idx += 1;
                }
                owned = names;
                &owned
            }
        };
        let mut out: Vec<(u64, u32)> = list
            .par_chunks(8192)
            .flat_map_iter(|chunk| {
                let (mut buf, mut vbuf) = (String::new(), String::new());
                chunk
                    .iter()
                    .filter_map(|(n, idx)| {
                        name_key_into(n, &mut buf);
                        variant_key_into(&buf, &mut vbuf).then(|| (hash_key(&vbuf), *idx))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        out.par_sort_unstable();
        out.dedup();
        out
    }

    /// Places named `name` (by any name or alias, normalised), most populous first.
    pub fn lookup(&self, name: &str) -> Vec<&GeoEntry> {
        let mut v: Vec<&GeoEntry> = self
            .lookup_key(&name_key(name))
            .iter()
            .map(|k| &self.entries[k.1 as usize])
            .collect();
        v.sort_by(|a, b| b.population.cmp(&a.population).then(a.id.cmp(&b.id)));
        v.dedup_by(|a, b| a.id == b.id && a.id != 0);
        v
    }

    /// The GeoNames feature code of an entry.
    pub fn feature(&self, e: &GeoEntry) -> &str {
        &self.features[e.feature as usize]
    }

    /// The coarse level of an entry.
    pub fn level(&self, e: &GeoEntry) -> Level {
        self.feature_levels[e.feature as usize]
    }

    /// The country entry for an ISO alpha-2 code.
    pub fn country(&self, code: &str) -> Option<&GeoEntry> {
        cc(code)
            .and_then(|c| self.countries.get(&c))
            .map(|&i| &self.entries[i as usize])
    }

    /// The index of the country entry for an ISO alpha-2 code.
    pub(crate) fn country_index(&self, code: &str) -> Option<u32> {
        cc(code).and_then(|c| self.countries.get(&c)).copied()
    }

    /// The country and its admin1 divisions whose names have these initials, for a country
    /// `code` ("SA" → South Africa, "WA" → Western Australia, "SC" → South Carolina). Short
    /// words ("of", "the") do not count.
    pub(crate) fn by_initials(&self, code: &str, initials: &str) -> Vec<u32> {
        let Some(c) = cc(code) else {
            return Vec::new();
        };
        let matches = |name: &str| {
            let mut it = initials.bytes();
            for w in name.split(|ch: char| ch.is_whitespace() || ch == '-') {
                let Some(first) = w.chars().next() else {
                    continue;
                };
                if !first.is_uppercase() {
                    continue;
                }
                if it.next() != Some(first as u8) {
                    return false;
                }
            }
            it.next().is_none()
        };
        let mut out: Vec<u32> = self
            .countries
            .get(&c)
            .into_iter()
            .chain(self.admin1_by_country().get(&c).into_iter().flatten())
            .copied()
            .filter(|&i| matches(&self.entries[i as usize].name))
            .collect();
        out.sort_unstable();
        out
    }

    /// The admin1 division an entry lies in.
    pub fn admin1_of(&self, e: &GeoEntry) -> Option<&GeoEntry> {
        if e.admin1.is_empty() {
            return None;
        }
        self.admin1
            .get(&(e.country, e.admin1.clone()))
            .map(|&i| &self.entries[i as usize])
    }

    /// The admin2 division an entry lies in.
    pub fn admin2_of(&self, e: &GeoEntry) -> Option<&GeoEntry> {
        if e.admin2.is_empty() {
            return None;
        }
        self.admin2
            .get(&(e.country, e.admin1.clone(), e.admin2.clone()))
            .map(|&i| &self.entries[i as usize])
    }

    /// The country (or continent) an adjective or demonym points to ("Iraqi" → Iraq).
    pub fn demonym(&self, word: &str) -> Option<&GeoEntry> {
        self.demonym_index(word).map(|i| &self.entries[i as usize])
    }

    pub(crate) fn demonym_index(&self, word: &str) -> Option<u32> {
        self.demonyms.get(&*crate::tokens::lowercase(word)).copied()
    }

    /// ISO alpha-3 → alpha-2 ("IRQ" → "IQ").
    pub fn iso2(&self, iso3: &str) -> Option<&str> {
        self.iso3
            .get(iso3)
            .and_then(|c| std::str::from_utf8(c).ok())
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the gazetteer holds no places.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The next tab-separated field of `rest` (as `str::split('\t')` gives them; a byte scan, the
/// fields being short).
fn next_field<'a>(rest: &mut Option<&'a str>) -> Option<&'a str> {
    let s = (*rest)?;
    match s.bytes().position(|b| b == b'\t') {
        Some(i) => {
            *rest = Some(&s[i + 1..]);
            Some(&s[..i])
        }
        None => {
            *rest = None;
            Some(s)
        }
    }
}

/// One line of Kestrel's own format (see data/gazetteer/README.md): the entry (its feature code
/// index left 0) and the code, pushing its names as entry `idx`.
fn parse_row<'a>(
    line: &'a str,
    idx: u32,
    names: &mut Vec<(&'a str, u32, u8)>,
) -> Result<(GeoEntry, &'a str), String> {
    let mut rest = Some(line);
    let mut next =
        |what: &str| next_field(&mut rest).ok_or_else(|| format!("missing column {what}"));
    let id: u64 = next("geonameid")?
        .parse()
        .map_err(|_| "bad geonameid".to_string())?;
    let name = next("name")?;
    let aliases = next("aliases")?;
    let lat: f64 = next("lat")?
        .parse()
        .map_err(|_| "bad latitude".to_string())?;
    let lon: f64 = next("lon")?
        .parse()
        .map_err(|_| "bad longitude".to_string())?;
    let feature = next("feature")?;
    let country = next("country")?;
    let admin1 = next("admin1")?;
    let admin2 = next("admin2")?;
    let population: u64 = next("population")?
        .parse()
        .map_err(|_| "bad population".to_string())?;
    names.push((name, idx, NAME_PRIMARY));
    for a in aliases.split('|').filter(|a| !a.is_empty()) {
        let exact = a.len() <= 4 && a.bytes().all(|c| c.is_ascii_uppercase() || c == b'.');
        names.push((a, idx, if exact { NAME_EXACT } else { 0 }));
    }
    let entry = GeoEntry {
        id,
        name: name.to_string(),
        lat,
        lon,
        feature: 0,
        country: cc(country).unwrap_or([0, 0]),
        admin1: admin1.into(),
        admin2: admin2.into(),
        population,
    };
    Ok((entry, feature))
}

/// `text` cut into about `n` pieces at line ends: (byte offset, piece).
fn line_pieces(text: &str, n: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::with_capacity(n + 1);
    let step = text.len() / n.max(1) + 1;
    let mut at = 0;
    while at < text.len() {
        let end = match memchr::memchr(b'\n', &text.as_bytes()[(at + step).min(text.len())..]) {
            Some(i) => (at + step).min(text.len()) + i + 1,
            None => text.len(),
        };
        out.push((at, &text[at..end]));
        at = end;
    }
    out
}

/// The places of one piece of the embedded gazetteer, entry indexes from 0 and feature codes
/// indexing `features`.
struct Parsed<'a> {
    entries: Vec<GeoEntry>,
    names: Vec<(&'a str, u32, u8)>,
    features: Vec<&'a str>,
}

/// Parse a line-aligned piece of the embedded gazetteer that starts at byte `at` of the text
/// (error: the byte offset of the bad line and what is wrong).
fn parse_piece(at: usize, piece: &str) -> Result<Parsed<'_>, (usize, String)> {
    let mut p = Parsed {
        entries: Vec::with_capacity(piece.len() / 64),
        names: Vec::with_capacity(piece.len() / 24),
        features: Vec::new(),
    };
    let mut start = 0;
    while start < piece.len() {
        let end =
            memchr::memchr(b'\n', &piece.as_bytes()[start..]).map_or(piece.len(), |i| start + i);
        let mut line = &piece[start..end];
        let line_at = at + start;
        start = end + 1;
        // As `str::lines`: a carriage return before the line feed is not part of the line.
        if let Some(l) = line.strip_suffix('\r') {
            line = l;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let idx = p.entries.len() as u32;
        let (mut entry, feature) = parse_row(line, idx, &mut p.names).map_err(|e| (line_at, e))?;
        entry.feature = match p.features.iter().rposition(|&f| f == feature) {
            Some(i) => i as u16,
            None => {
                p.features.push(feature);
                (p.features.len() - 1) as u16
            }
        };
        p.entries.push(entry);
    }
    Ok(p)
}

/// The coarse level of a GeoNames feature code.
pub fn level_of(code: &str) -> Level {
    match code {
        "CONT" => Level::Continent,
        "PCLI" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" | "PCL" | "TERR" => Level::Country,
        "ADM1" | "ADM1H" => Level::Admin1,
        "ADM2" | "ADM2H" => Level::Admin2,
        c if c.starts_with("PPLX") => Level::Spot,
        c if c.starts_with("PPL") || c == "P" => Level::City,
        "SQR" | "BDG" | "AIRP" | "PAL" | "CSTL" | "BLDG" | "CH" | "MNMT" | "TOWR" | "STDM"
        | "UNIV" | "MALL" | "AMUS" => Level::Spot,
        _ => Level::Area,
    }
}

/// Whether an alternate name from a GeoNames dump is worth indexing for English text: Latin
/// script, not a code, at least three characters.
fn usable_alias(n: &str) -> bool {
    let n = n.trim();
    if n.chars().count() < 3 || n.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if n.len() <= 4 && n.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    n.chars().all(|c| {
        !c.is_alphabetic() || c.is_ascii() || ('\u{C0}'..='\u{24F}').contains(&c) || c == 'ʼ'
    })
}

fn open_maybe_gz(path: &Path) -> Result<Box<dyn BufRead>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::new(GzDecoder::new(f))))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
    }
}
