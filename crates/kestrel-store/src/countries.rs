//! Country codes: ISO 3166-1 alpha-2 ↔ alpha-3, read from the project's country lexicon.
//!
//! Places carry alpha-2 codes (GeoNames), actor codes carry alpha-3 (CAMEO); the store keeps one
//! country column in alpha-3 and accepts either form in filters.

use std::collections::HashMap;
use std::sync::OnceLock;

const COUNTRIES_TSV: &str = include_str!("../../../data/lexicon/countries.tsv");

struct Table {
    to_iso3: HashMap<String, &'static str>,
    to_iso2: HashMap<&'static str, &'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut to_iso3 = HashMap::new();
        let mut to_iso2 = HashMap::new();
        for line in COUNTRIES_TSV.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(iso3), Some(iso2)) = (cols.next(), cols.next()) else {
                continue;
            };
            let (iso3, iso2) = (iso3.trim(), iso2.trim());
            if iso3.len() != 3 || iso2.len() != 2 {
                continue;
            }
            to_iso3.insert(iso3.to_string(), iso3);
            to_iso3.insert(iso2.to_string(), iso3);
            to_iso2.insert(iso3, iso2);
        }
        Table { to_iso3, to_iso2 }
    })
}

/// The alpha-3 code for an alpha-2 or alpha-3 code (any case); None when unknown.
pub fn to_iso3(code: &str) -> Option<&'static str> {
    table()
        .to_iso3
        .get(code.trim().to_ascii_uppercase().as_str())
        .copied()
}

/// The alpha-2 code of a known alpha-3 code.
pub fn to_iso2(iso3: &str) -> Option<&'static str> {
    table().to_iso2.get(iso3).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_code_forms_map_to_alpha3() {
        assert_eq!(to_iso3("IQ"), Some("IRQ"));
        assert_eq!(to_iso3("irq"), Some("IRQ"));
        assert_eq!(to_iso3("XK"), Some("XKX"));
        assert_eq!(to_iso2("USA"), Some("US"));
        assert_eq!(to_iso3("ZZ"), None);
        assert_eq!(to_iso3("IGO"), None);
    }
}
