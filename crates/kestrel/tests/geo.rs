//! Places: the embedded gazetteer, recognition, resolution and the geoparsing scorers, on
//! sentences written for these tests (and on the seed article when `../shared` is present).

use kestrel::eval::geo::{evaluate_file, load};
use kestrel::geo::{
    distance_km, embedded, find_places, name_key, resolve_toponyms, variant_key, Gazetteer,
    GeoContext,
};
use kestrel::model::{Article, Entity, EntityKind, Place, Span};
use kestrel::Pipeline;
use std::path::{Path, PathBuf};

/// The places the pipeline finds in a text. They are found before entities used only as
/// background ("Egypt's government": Egypt is no actor) are dropped, so they are read off the
/// record rather than found again from its final entities.
fn places_of(text: &str) -> (String, Vec<Place>) {
    let rec = Pipeline::new().process(Article {
        id: "t".into(),
        text: text.to_string(),
        ..Default::default()
    });
    (rec.text, rec.places)
}

fn place<'a>(places: &'a [Place], name: &str) -> Option<&'a Place> {
    places.iter().find(|p| p.name == name)
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kestrel-geo-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn embedded_gazetteer_has_cities_divisions_and_countries() {
    let g = embedded();
    assert!(g.len() > 200_000, "only {} places", g.len());
    // The city and the governorate, most populous first.
    let baghdad = g.lookup("Baghdad");
    let city = baghdad.iter().find(|e| e.id == 98182).expect("the city");
    assert_eq!(city.country(), Some("IQ"));
    assert_eq!(g.feature(city), "PPLC");
    assert!(baghdad.iter().any(|e| g.feature(e) == "ADM1"));
    // Diacritics fold to one key.
    assert!(g.lookup("Baghdād").iter().any(|e| e.id == 98182));
    assert_eq!(g.country("CH").unwrap().name, "Switzerland");
    let texas = g.lookup("Texas");
    assert!(texas
        .iter()
        .any(|e| g.feature(e) == "ADM1" && e.country() == Some("US")));
    assert_eq!(g.demonym("Iraqi").unwrap().country(), Some("IQ"));
    assert_eq!(g.iso2("IRQ"), Some("IQ"));
}

#[test]
fn keys_fold_spelling_and_variants_fold_transliteration() {
    assert_eq!(name_key("St. Louis"), name_key("Saint Louis"));
    assert_eq!(name_key("Winston-Salem"), "winston salem");
    assert_eq!(name_key("Ḩalab"), "halab");
    assert_eq!(variant_key("samawa"), variant_key("samawah"));
    assert_eq!(variant_key("jadriya"), variant_key("jadiriyah"));
    assert_ne!(variant_key("basra"), variant_key("beirut"));
    assert_eq!(variant_key("ur"), None, "too short to be distinctive");
}

#[test]
fn finds_cities_countries_and_places_below_the_grain() {
    let (text, places) = places_of(
        "Thousands of protesters gathered in Talaat Harb Square in Cairo on Friday, and police closed \
         the Qasr al-Nil bridge. Others marched in the Zamalek district. Egypt's government said \
         the march was peaceful.",
    );
    let cairo = place(&places, "Cairo").expect("Cairo");
    assert_eq!(cairo.country.as_deref(), Some("EG"));
    assert_eq!(cairo.precision, 1);
    let square = place(&places, "Talaat Harb Square").expect("Talaat Harb Square");
    assert_eq!(square.precision, 2);
    assert_eq!(square.geonameid, None);
    assert_eq!((square.lat, square.lon), (cairo.lat, cairo.lon));
    let district = place(&places, "Zamalek").expect("the Zamalek district");
    assert_eq!(district.precision, 2);
    assert_eq!(district.country.as_deref(), Some("EG"));
    assert!(place(&places, "Egypt").is_some());
    // Ids in order of first mention, mentions as spans of the text.
    for (i, p) in places.iter().enumerate() {
        assert_eq!(p.id, format!("p{}", i + 1));
        for m in &p.mentions {
            assert!(!m.slice(&text).is_empty());
        }
    }
    let firsts: Vec<usize> = places.iter().map(|p| p.mentions[0].0).collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn qualifiers_and_context_choose_among_namesakes() {
    let (_, places) = places_of(
        "The fire destroyed a warehouse in Alexandria, La., late on Tuesday. Firefighters from \
         Pineville helped put it out.",
    );
    let alex = place(&places, "Alexandria").expect("Alexandria");
    assert_eq!(alex.country.as_deref(), Some("US"));
    assert_eq!(alex.admin1.as_deref(), Some("Louisiana"));
    let (_, places) = places_of("The delegation flew from Alexandria to Cairo for the talks.");
    assert_eq!(
        place(&places, "Alexandria").unwrap().country.as_deref(),
        Some("EG")
    );
    let (_, places) = places_of("He grew up in Paris, Texas, and moved to Dallas in 1990.");
    assert_eq!(
        place(&places, "Paris").unwrap().country.as_deref(),
        Some("US")
    );
}

#[test]
fn people_and_demonyms_are_not_places() {
    let text = "Amman told reporters that Iraqi and Syrian officials would meet in Geneva.";
    let g = embedded();
    let person = Entity {
        id: "e1".into(),
        key: "amman".into(),
        name: "Amman".into(),
        kind: EntityKind::Person,
        actor: None,
        descriptions: vec![],
        mentions: vec![Span(0, 5)],
    };
    let rec = Pipeline::new().process(Article {
        id: "t".into(),
        text: text.into(),
        ..Default::default()
    });
    let places = find_places(
        g,
        &rec.text,
        &rec.sentences,
        &kestrel::tokens::tokenize_sentences(&rec.text, &rec.sentences),
        &rec.blocks,
        &[person],
        rec.dateline.as_ref(),
    );
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["Geneva"], "got {names:?}");
    assert_eq!(places[0].country.as_deref(), Some("CH"));
}

#[test]
fn ordinary_words_need_a_cue() {
    // "Mobile" and "Reading" are cities, but here they are ordinary words.
    let (_, places) = places_of(
        "Mobile phones were banned. Reading the report, the minister said mobile networks failed.",
    );
    assert!(places.is_empty(), "got {places:?}");
    let (_, places) = places_of("The storm hit Mobile, Alabama, on Sunday.");
    let mobile = place(&places, "Mobile").expect("Mobile");
    assert_eq!(mobile.country.as_deref(), Some("US"));
}

#[test]
fn given_spans_resolve_with_variants_and_demonyms() {
    let g = embedded();
    let text = "Fighting spread from Samawah to Nasiriyah, Iraqi officials said.";
    let spans = [Span(21, 28), Span(32, 41), Span(43, 48)];
    let r = resolve_toponyms(g, text, &spans, &GeoContext::default());
    let samawah = r[0].as_ref().unwrap();
    assert_eq!(samawah.country.as_deref(), Some("IQ"));
    assert!(distance_km(samawah.lat, samawah.lon, 31.33, 45.29) < 25.0);
    assert_eq!(r[1].as_ref().unwrap().country.as_deref(), Some("IQ"));
    let iraq = r[2].as_ref().unwrap();
    assert_eq!(iraq.geonameid, Some(99237), "a demonym names its country");
    // A span out of bounds gives nothing, not a panic.
    let r = resolve_toponyms(g, text, &[Span(60, 90)], &GeoContext::default());
    assert_eq!(r, vec![None]);
}

#[test]
fn reads_geonames_dump_format() {
    let dir = temp_dir("dump");
    let main = dir.join("cities-test.txt");
    // Two made-up places in GeoNames' 19-column geoname table.
    std::fs::write(
        &main,
        "9000001\tNorthbrook Falls\tNorthbrook Falls\tNorthbrook,Nordbruck\t10.5\t20.25\tP\tPPLA\tXX\t\t01\t\t\t\t25000\t\t100\tUTC\t2024-01-01\n\
         9000002\tEast Ridge\tEast Ridge\t\t11.0\t21.0\tA\tADM1\tXX\t\t01\t\t\t\t0\t\t\tUTC\t2024-01-01\n",
    )
    .unwrap();
    let alt = dir.join("alternateNamesV2-test.txt");
    std::fs::write(&alt, "1\t9000001\ten\tNorthbrook City\t\t\t\t\t\t\n").unwrap();
    let g = Gazetteer::from_geonames(&main, Some(&alt)).unwrap();
    assert_eq!(g.len(), 2);
    assert_eq!(g.lookup("Northbrook City")[0].id, 9000001);
    assert_eq!(g.feature(g.lookup("northbrook falls")[0]), "PPLA");
    let e = g.lookup("Northbrook Falls")[0];
    assert_eq!(g.admin1_of(e).unwrap().name, "East Ridge");
    // Bad input names the file.
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "just some text\n").unwrap();
    let err = Gazetteer::from_geonames(&bad, None).unwrap_err();
    assert!(err.contains("bad.txt"), "{err}");
    let err = Gazetteer::from_geonames(&dir.join("missing.txt"), None).unwrap_err();
    assert!(err.contains("missing.txt"), "{err}");
}

#[test]
fn scores_an_lgl_style_file() {
    let dir = temp_dir("xml");
    let path = dir.join("mini.xml");
    // One article of our own, in LGL's layout: "Paris" (the French capital) and "Texas" (the state).
    std::fs::write(
        &path,
        r#"<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="1"><text><![CDATA[Officials in Paris said the storm that hit Texas was the worst in years.]]></text>
<toponyms>
<toponym><start>13</start><end>18</end><phrase>Paris</phrase>
<gaztag geonameid="2988507"><name>Paris</name><fcode>PPLC</fcode><lat>48.85341</lat><lon>2.3488</lon></gaztag></toponym>
<toponym><start>43</start><end>48</end><phrase>Texas</phrase>
<gaztag geonameid="4736286"><name>Texas</name><fcode>ADM1</fcode><lat>31.25044</lat><lon>-99.25061</lon></gaztag></toponym>
</toponyms></article></articles>"#,
    )
    .unwrap();
    let (dataset, arts) = load(&path).unwrap();
    assert_eq!(dataset, "LGL");
    assert_eq!(arts[0].toponyms[1].span.slice(&arts[0].text), "Texas");
    let s = evaluate_file(embedded(), &path).unwrap();
    assert_eq!((s.toponyms, s.with_id), (2, 2));
    assert_eq!(s.within, 2, "{}", s.render(5));
    assert_eq!(s.exact_id, 2, "{}", s.render(5));
    assert_eq!(s.recognition.tp, 2, "{}", s.render(5));
    assert!(s.render(0).contains("LGL"));
    // Malformed XML is an error naming the file.
    let bad = dir.join("bad.xml");
    std::fs::write(&bad, "<articles><article>").unwrap();
    let err = evaluate_file(embedded(), &bad).unwrap_err();
    assert!(err.contains("bad.xml"), "{err}");
}

/// The seed article (read by path from `../shared`): every place the issue names lies where it
/// should.
#[test]
fn seed_article_places() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/seed/000_b9cc3ed0ce90f727.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not present", path.display());
        return;
    };
    let (clean, places) = places_of(&text);
    let expect = [
        ("Baghdad", "IQ", 33.3406, 44.4009, 40.0),
        ("Jadriya", "IQ", 33.2850, 44.3900, 25.0),
        ("Samawa", "IQ", 31.3320, 45.2944, 25.0),
        ("Basra", "IQ", 30.5085, 47.7804, 40.0),
        ("Karbala", "IQ", 32.6160, 44.0249, 25.0),
        ("Davos", "CH", 46.8043, 9.8372, 25.0),
    ];
    for (name, cc, lat, lon, km) in expect {
        let p = place(&places, name).unwrap_or_else(|| panic!("{name} not found in {places:#?}"));
        assert_eq!(p.country.as_deref(), Some(cc), "{name}");
        let d = distance_km(p.lat.unwrap(), p.lon.unwrap(), lat, lon);
        assert!(d <= km, "{name} is {d:.0} km off");
    }
    assert_eq!(place(&places, "Jadriya").unwrap().precision, 2);
    // No person is a place: "Sadr" is the cleric, "Karbalai" a sheikh.
    assert!(place(&places, "Sadr").is_none(), "{places:#?}");
    for p in &places {
        for m in &p.mentions {
            assert!(clean.is_char_boundary(m.0) && clean.is_char_boundary(m.1));
        }
    }
}

/// Resolve the names written in brackets ("storms over the [Atlantic]") as given spans.
fn resolve_marked(marked: &str) -> Vec<kestrel::geo::Resolution> {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let close = open + rest[open..].find(']').expect("closing bracket");
        let start = text.len();
        text.push_str(&rest[open + 1..close]);
        spans.push(Span(start, text.len()));
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    resolve_toponyms(embedded(), &text, &spans, &GeoContext::default())
        .into_iter()
        .map(|r| r.expect("every marked name resolves"))
        .collect()
}

#[test]
fn seas_and_regions_are_not_their_namesake_towns() {
    let r = resolve_marked(
        "Farmers near [Des Moines] watched storms over the [Atlantic] and prices in the [Middle East].",
    );
    assert_eq!(r[1].name, "Atlantic Ocean", "not Atlantic, Iowa");
    assert_eq!(
        r[1].geonameid,
        Some(3373405),
        "a hand-written feature that GeoNames has carries its id"
    );
    assert_eq!(r[1].feature.as_deref(), Some("OCN"));
    assert_eq!(r[2].name, "Middle East");
    assert!(
        distance_km(r[2].lat, r[2].lon, 33.14, 35.86) < 20.0,
        "GeoNames' point"
    );
    // A river is placed at its mouth; adjectives of regions resolve to them.
    let r = resolve_marked("Farmers along the [Cauvery] met [Kurdish] and [Korean] traders.");
    assert_eq!(r[0].name, "Cauvery");
    assert_eq!(r[0].geonameid, Some(1267384), "GeoNames' river");
    assert!(distance_km(r[0].lat, r[0].lon, 11.1, 79.8) < 50.0);
    assert_eq!(r[1].name, "Kurdistan");
    assert_eq!(r[2].country.as_deref(), Some("KR"));
}

#[test]
fn seats_of_government_and_news_abbreviations() {
    let r =
        resolve_marked("[White House] aides called the [Kremlin] about fires in [BC] and [T&T].");
    assert!(
        distance_km(r[0].lat, r[0].lon, 38.9, -77.04) < 5.0,
        "not Casablanca"
    );
    assert_eq!(r[0].geonameid, Some(9675434), "GeoNames' White House");
    assert!(distance_km(r[1].lat, r[1].lon, 55.75, 37.62) < 5.0);
    assert_eq!(
        r[1].geonameid, None,
        "no GeoNames id written for the Kremlin"
    );
    assert_eq!(r[2].country.as_deref(), Some("CA"));
    assert_eq!(r[2].admin1.as_deref(), Some("British Columbia"));
    assert_eq!(r[3].country.as_deref(), Some("TT"));
}

#[test]
fn institutions_stand_for_the_place_they_are_named_after() {
    let r = resolve_marked(
        "Economists at the [Bank of Japan], the [Mexico Central Bank] and [Colorado State University] met in [Lima].",
    );
    assert_eq!(
        r[0].country.as_deref(),
        Some("JP"),
        "not the article's town"
    );
    assert_eq!(r[0].geonameid, None, "the bank is not Japan itself");
    assert_eq!(
        r[1].country.as_deref(),
        Some("MX"),
        "Mexico, not a hamlet called Bank"
    );
    assert_eq!(r[2].country.as_deref(), Some("US"));
    assert_eq!(r[2].admin1.as_deref(), Some("Colorado"));
}

#[test]
fn hamlets_yield_to_their_states_namesake() {
    // Florida, New York is a village; with New York towns around, "Florida" is still the state.
    let r = resolve_marked("Retirees from [Albany] and [Buffalo] are moving to [Florida].");
    assert_eq!(r[2].feature.as_deref(), Some("ADM1"));
    assert_eq!(r[2].admin1.as_deref(), Some("Florida"));
}

#[test]
fn unknown_places_take_the_town_most_places_agree_on() {
    // Lyon is named most often, but Cairo, Giza and Egypt agree on Cairo.
    let r = resolve_marked(
        "[Lyon] fans cheered. [Lyon] won again, and [Lyon] celebrated. The academy in [Cairo], \
         [Egypt], opened a pitch at [Zephyrine Gardens] near [Giza]; [Egypt] will host the next \
         match.",
    );
    let gardens = &r[5];
    assert_eq!(gardens.geonameid, None);
    assert_eq!(gardens.country.as_deref(), Some("EG"), "{gardens:?}");
    assert!(distance_km(gardens.lat, gardens.lon, 30.05, 31.25) < 50.0);
}

#[test]
fn a_division_smaller_than_its_namesake_town_is_not_preferred() {
    // Jamaica's parish of Manchester is smaller than the English city.
    let r = resolve_marked("Supporters in [Manchester] celebrated the win.");
    assert_eq!(r[0].country.as_deref(), Some("GB"), "{:?}", r[0]);
}

#[test]
fn seas_and_regions_are_recognised_in_text() {
    let (_, places) = places_of(
        "Oil prices rose across the Middle East on Monday, and farmers along the Cauvery \
         protested. Cases of West Nile virus rose in the county.",
    );
    let me = place(&places, "Middle East").expect("not a person's name");
    assert_eq!(me.geonameid, Some(6269133));
    assert!(place(&places, "Cauvery").is_some());
    assert!(
        place(&places, "Nile").is_none(),
        "a virus's name is not the river"
    );
}

#[test]
fn a_list_of_towns_is_not_a_town_and_its_state() {
    // "Washington, New York" here is two stops of a tour, not a Washington in New York State.
    let r = resolve_marked(
        "The minister stopped in [Washington], [New York] and [Boston] before flying home.",
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, 38.9, -77.04) < 50.0,
        "{:?}",
        r[0]
    );
    // A town and its state in a list keep their link.
    let r =
        resolve_marked("Crews drove from [Alexandria], [Va.], and [Arlington], [Va.], overnight.");
    assert_eq!(r[0].admin1.as_deref(), Some("Virginia"), "{:?}", r[0]);
}

#[test]
fn a_bare_town_name_does_not_name_the_county_of_that_name() {
    // "Washington" is also thirty counties; one of them holding a hamlet called Houston does
    // not make the Texan city a Pennsylvanian village.
    let r = resolve_marked("Oil executives from [Houston] lobbied lawmakers in [Washington].");
    assert_eq!(r[0].admin1.as_deref(), Some("Texas"), "{:?}", r[0]);
}

#[test]
fn a_common_word_inside_a_name_is_not_its_town() {
    // "Rue" is a village in the Somme, but a "Rue ..." in an article about Lyon is a street
    // there; "Faubourg ..." is not every other faubourg.
    let r = resolve_marked(
        "Shops on the [Rue Vaillandier] in [Lyon] reopened; the [Faubourg Quintarel] stayed shut.",
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, 45.76, 4.84) < 50.0,
        "{:?}",
        r[0]
    );
    assert!(
        distance_km(r[2].lat, r[2].lon, 45.76, 4.84) < 50.0,
        "{:?}",
        r[2]
    );
}

#[test]
fn a_state_named_elsewhere_does_not_outweigh_a_famous_namesake() {
    // Louisville, Ohio is a village; the basketball team is from the Kentucky city.
    let r = resolve_marked("[Louisville] beat the best side in [Ohio] on Sunday.");
    assert_eq!(r[0].admin1.as_deref(), Some("Kentucky"), "{:?}", r[0]);
    // A town of some size still follows its state: Alexandria, Minnesota.
    let r = resolve_marked(
        "Lake homes near [Alexandria] sold fast, [Minnesota] agents told buyers from the [U.S.] coasts.",
    );
    assert_eq!(r[0].admin1.as_deref(), Some("Minnesota"), "{:?}", r[0]);
}

#[test]
fn a_place_below_the_grain_without_a_town_takes_the_county_named() {
    // No town is named; the hospital lies in the county the article names.
    let r = resolve_marked(
        "[Cuyahoga County] officials said nurses at [Hollowbrook Medical Center] walked out.",
    );
    assert_eq!(r[1].geonameid, None);
    assert_eq!(r[1].precision, 3, "{:?}", r[1]);
    assert!(
        distance_km(r[1].lat, r[1].lon, 41.5, -81.7) < 50.0,
        "{:?}",
        r[1]
    );
}

#[test]
fn a_town_after_a_division_lies_inside_it() {
    // "California, Los Angeles": the state holding the town, not a Mexican village called
    // California that happens to lie near a village called Los Ángeles.
    let r = resolve_marked("Researchers at the [University of California], [Los Angeles] said so.");
    assert_eq!(r[0].country.as_deref(), Some("US"), "{:?}", r[0]);
    assert_eq!(r[1].admin1.as_deref(), Some("California"), "{:?}", r[1]);
}

#[test]
fn a_capital_named_for_its_government_is_no_neighbour_of_the_region() {
    // "Washington" is the federal government here; the college town is the Florida one, not the
    // Virginia village an hour from the capital.
    let r = resolve_marked(
        "Students in [Gainesville] marched on Monday, and lawmakers in [Washington] promised \
         hearings on the shooting.",
    );
    assert_eq!(r[0].admin1.as_deref(), Some("Florida"), "{:?}", r[0]);
    // A suburb right beside the capital still follows it.
    let r = resolve_marked(
        "Commuters from [Alexandria] crowded the trains into [Washington] after the storm.",
    );
    assert_eq!(r[0].admin1.as_deref(), Some("Virginia"), "{:?}", r[0]);
}

#[test]
fn a_town_of_the_same_state_does_not_make_a_village_of_a_famous_name() {
    // Columbus and Ohio are named, but "Louisville" on its own is the Kentucky city.
    let r = resolve_marked(
        "Fans from [Louisville] filled the arena in [Columbus], [Ohio], for the final.",
    );
    assert_eq!(r[0].admin1.as_deref(), Some("Kentucky"), "{:?}", r[0]);
}

#[test]
fn capital_initials_name_a_country_or_division_of_the_article() {
    let r = resolve_marked(
        "Platinum output in [SA] fell as strikes spread through [Limpopo] and the [North West].",
    );
    assert_eq!(r[0].name, "South Africa", "{:?}", r[0]);
    let r = resolve_marked(
        "Fire crews from [Perth] and [Rockingham] said the blazes in [WA] were contained.",
    );
    assert_eq!(r[2].name, "Western Australia", "{:?}", r[2]);
    assert_eq!(r[2].country.as_deref(), Some("AU"));
    let r =
        resolve_marked("Voters in [Charleston] and [Myrtle Beach], [SC], lined up before dawn.");
    assert_eq!(r[2].name, "South Carolina", "{:?}", r[2]);
}

#[test]
fn british_county_abbreviations_name_their_counties() {
    let r = resolve_marked(
        "The van was stopped near [Watford], [Herts], and its driver was from [Hants].",
    );
    assert_eq!(r[1].name, "Hertfordshire");
    assert_eq!(r[1].country.as_deref(), Some("GB"));
    assert_eq!(r[2].name, "Hampshire");
    // Only as written: the ordinary word stays unresolved as a place name.
    assert!(embedded()
        .lookup("herts")
        .iter()
        .all(|e| e.name != "Hertfordshire"));
}

#[test]
fn a_division_named_like_a_country_among_its_sibling_divisions() {
    let r = resolve_marked(
        "Guard units from [Florida], [Alabama] and [Georgia] were sent to help after the storm.",
    );
    assert_eq!(
        r[2].country.as_deref(),
        Some("US"),
        "the state, not the Caucasus republic"
    );
    let r = resolve_marked("Talks between [Russia] and [Georgia] resumed in [Geneva].");
    assert_eq!(
        r[1].country.as_deref(),
        Some("GE"),
        "alone, the name is the country"
    );
}

#[test]
fn a_famous_city_outweighs_a_small_namesake_in_a_named_state() {
    let r = resolve_marked(
        "The [Dallas] club lost at home to [Portland] after beating [Houston], [Texas], last week.",
    );
    assert!(
        distance_km(r[1].lat, r[1].lon, 45.52, -122.68) < 30.0,
        "Portland, Oregon, not the Texas town thirty times smaller: {:?}",
        r[1]
    );
}

#[test]
fn a_consonant_skeleton_alone_does_not_place_a_word_far_away() {
    // "Helmet" shares its consonants with a New Jersey borough; far from every other place the
    // story names, it takes the story's town instead.
    let r = resolve_marked(
        "Riders gathered at the [Helmet] crossroads outside [Richmond], [Virginia], on Sunday.",
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, 37.54, -77.43) < 161.0,
        "not Helmetta, New Jersey: {:?}",
        r[0]
    );
    // A transliteration near the places around it still counts.
    let r = resolve_marked("Shelling hit [Samawa] and [Nasiriyah] in southern [Iraq].");
    assert_eq!(r[0].country.as_deref(), Some("IQ"));
    assert!(r[0].geonameid.is_some(), "the variant itself: {:?}", r[0]);
}

#[test]
fn a_name_written_without_its_arabic_article_is_the_same_name() {
    // GeoNames writes "Al Qāmishlī"; news writes "Qamishli". Alone in the story, it is still the
    // Syrian city, not a transliteration guess placed at the story's main place.
    let r = resolve_marked("Kurdish forces withdrew from [Qamishli] on Tuesday.");
    assert_eq!(r[0].country.as_deref(), Some("SY"));
    assert!(r[0].geonameid.is_some(), "the city itself: {:?}", r[0]);
    assert!(
        distance_km(r[0].lat, r[0].lon, 37.05, 41.22) < 30.0,
        "{:?}",
        r[0]
    );
}

#[test]
fn a_state_named_by_its_abbreviation_is_the_meaning_of_its_bare_name() {
    // The dateline's "Wash." says the story is about the state: "at home in Washington" is the
    // state, not the capital.
    let r = resolve_marked(
        "OLYMPIA, [Wash.] - The team spent the winter at home in [Washington] before trips to \
         [Alaska] and [Hawaii].",
    );
    assert_eq!(r[1].admin1.as_deref(), Some("Washington"));
    assert_eq!(
        r[1].feature.as_deref(),
        Some("ADM1"),
        "the state: {:?}",
        r[1]
    );
    // Without the abbreviation, "Washington" in a national story is the capital.
    let r = resolve_marked("Envoys flew from [Moscow] to [Washington] for the talks.");
    assert!(
        distance_km(r[1].lat, r[1].lon, 38.90, -77.04) < 30.0,
        "{:?}",
        r[1]
    );
}

#[test]
fn airports_counties_and_congress_from_the_hand_written_features() {
    // London's airport, not the Florida village of Heathrow.
    let r = resolve_marked(
        "Flights from [Heathrow] to [Moscow] were cancelled after [Britain] expelled diplomats.",
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, 51.47, -0.45) < 30.0,
        "{:?}",
        r[0]
    );
    // "Congress" as a place is the Capitol.
    let r = resolve_marked("The sale still needs approval from [Congress] in [Washington].");
    assert!(
        distance_km(r[0].lat, r[0].lon, 38.89, -77.01) < 10.0,
        "{:?}",
        r[0]
    );
    // An English county the GeoNames admin2 table lacks, in a British story ...
    let r = resolve_marked(
        "Volunteer drivers are needed across [Berkshire], the charity told [UK] reporters.",
    );
    assert_eq!(r[0].country.as_deref(), Some("GB"), "{:?}", r[0]);
    let r = resolve_marked("Teams raced at [Croft] in North [Yorkshire] and at [Brands Hatch].");
    assert_eq!(r[1].country.as_deref(), Some("GB"), "{:?}", r[1]);
    // Northamptonshire, split by GeoNames into North and West Northamptonshire in 2021, is still
    // the county news names.
    let r = resolve_marked("Drivers lined up at [Rockingham], [Northamptonshire] for the finale.");
    assert!(
        distance_km(r[1].lat, r[1].lon, 52.3, -0.85) < 30.0,
        "{:?}",
        r[1]
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, 52.3, -0.85) < 30.0,
        "{:?}",
        r[0]
    );
    // ... while the story's country still decides: the Massachusetts county beside its towns.
    let r = resolve_marked(
        "Snow closed roads in [Pittsfield] and across [Berkshire] County, [Massachusetts].",
    );
    assert_eq!(r[1].country.as_deref(), Some("US"), "{:?}", r[1]);
}

#[test]
fn a_short_capital_form_inside_an_institution_names_its_country() {
    let r = resolve_marked("Markets fell as the [US Federal Reserve] signalled higher rates.");
    assert_eq!(r[0].country.as_deref(), Some("US"), "{:?}", r[0]);
    assert_eq!(r[0].precision, 3, "the country's point: {:?}", r[0]);
}

#[test]
fn the_country_most_other_places_lie_in_decides_when_none_is_named() {
    // No country is named, but Birmingham, Southampton and Bolton are English towns: "Burton"
    // is English too, not the larger Michigan city.
    let r = resolve_marked(
        "[Burton] travel to [Birmingham] on Saturday after [Southampton] beat [Bolton] at home.",
    );
    assert_eq!(r[0].country.as_deref(), Some("GB"), "{:?}", r[0]);
    // Alone, the largest namesake.
    let r = resolve_marked("Reporters from [Burton] covered the race.");
    assert_eq!(r[0].country.as_deref(), Some("US"), "{:?}", r[0]);
}

#[test]
fn common_words_inside_a_name_are_not_its_place() {
    // "Commerce" (California), "Summit" (Washington) and "Area" (an old name of a town in
    // Illinois) are words of these names, not the places they are named after.
    let r = resolve_marked(
        "Leaders told the [Alberta Chambers of Commerce] in [Edmonton] that the \
         [Summit of the Americas] would open in [Lima], near the [Lurin Local Government Area].",
    );
    assert_eq!(r[0].country.as_deref(), Some("CA"), "Alberta, not Commerce");
    assert_eq!(r[0].admin1.as_deref(), Some("Alberta"));
    assert_ne!(
        r[2].country.as_deref(),
        Some("US"),
        "not Summit, Washington"
    );
    assert_ne!(
        r[4].country.as_deref(),
        Some("US"),
        "not the town once called Area"
    );
    // "Lake X" is a lake near the story's town, not Lake County.
    let r = resolve_marked(
        "Residents of [Manassas] fish in [Lake Jackson Reservoir] and [Lake Hollister] every summer.",
    );
    assert!(
        distance_km(r[2].lat, r[2].lon, r[0].lat, r[0].lon) < 50.0,
        "{:?}",
        r[2]
    );
}

#[test]
fn an_institution_in_a_town_takes_that_town() {
    let r = resolve_marked(
        "Prof. Ames of the [University of St. Thomas] in [Houston] and a researcher at the \
         [Palais des Nations] in [Geneva] disagreed.",
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, 29.76, -95.37) < 30.0,
        "Houston, not St. Thomas, Ontario: {:?}",
        r[0]
    );
    assert!(
        distance_km(r[2].lat, r[2].lon, 46.2, 6.15) < 30.0,
        "{:?}",
        r[2]
    );
}

#[test]
fn a_town_outside_its_qualifier_is_placed_in_the_qualifier() {
    // The gazetteer knows no Thruxton in Hampshire; the one it knows lies elsewhere.
    let r = resolve_marked(
        "The touring cars race at [Thruxton], [Hampshire] in May and at [Croft], [Yorkshire] in June.",
    );
    assert!(
        distance_km(r[0].lat, r[0].lon, r[1].lat, r[1].lon) < 1.0,
        "{:?}",
        r[0]
    );
    assert_eq!(r[0].geonameid, None);
    assert_eq!(r[0].precision, 3);
    assert!(
        distance_km(r[2].lat, r[2].lon, 54.0, -1.5) < 100.0,
        "{:?}",
        r[2]
    );
    // A list of islands is no town and its qualifier.
    let r = resolve_marked("The team flew to [Saipan], [Guam], [Alaska] and [Hawaii].");
    assert!(
        distance_km(r[0].lat, r[0].lon, 15.2, 145.75) < 50.0,
        "{:?}",
        r[0]
    );
}

#[test]
fn the_side_of_a_town_is_part_of_the_story_town() {
    let r = resolve_marked(
        "Police in [Chicago] said a [South Side] man was arrested on the [North Side] of [Chicago].",
    );
    for x in &r[1..3] {
        assert!(distance_km(x.lat, x.lon, 41.85, -87.65) < 30.0, "{x:?}");
        assert_eq!(x.precision, 2);
    }
}

#[test]
fn a_bare_name_of_a_town_and_its_county_means_the_town() {
    let r = resolve_marked(
        "Fires burned near [Los Angeles] while crews from [Pasadena] and [Long Beach] helped.",
    );
    assert_eq!(r[0].feature.as_deref(), Some("PPL"), "{:?}", r[0]);
    assert_eq!(r[0].geonameid, Some(5368361));
    // "New York City" named elsewhere: the bare name is that city too.
    let r = resolve_marked(
        "Rents in [Brooklyn] rose as [New York City] grew; [New York] landlords cheered.",
    );
    assert_eq!(r[2].geonameid, Some(5128581), "{:?}", r[2]);
}

#[test]
fn regions_that_geonames_has_take_its_id_and_point() {
    let r = resolve_marked(
        "Ministers from [North Africa] and [Northern Europe] met on a ship in the \
         [Mediterranean] after shelling in [Ghouta].",
    );
    assert_eq!(r[0].geonameid, Some(7729887), "{:?}", r[0]);
    assert!(distance_km(r[0].lat, r[0].lon, 32.95, 9.98) < 20.0);
    assert_eq!(r[1].geonameid, Some(7729883), "{:?}", r[1]);
    assert_eq!(r[2].geonameid, Some(363196), "{:?}", r[2]);
    assert_eq!(
        r[3].name, "Eastern Ghouta",
        "the Damascus suburbs, by their short name"
    );
    let r = resolve_marked("Gas prices in [Western Europe] fell.");
    assert_eq!(r[0].geonameid, Some(9408659), "{:?}", r[0]);
    assert!(distance_km(r[0].lat, r[0].lon, 50.22, 7.43) < 20.0);
}

#[test]
fn landmarks_resolve_to_their_own_point() {
    let r = resolve_marked(
        "Protesters marched from [Trump Tower] to [Times Square] as tourists queued at \
         [Windsor Castle], [St. Peter's Basilica] and [Disneyworld], and fans filled \
         [Craven Cottage].",
    );
    let at = [
        (40.7625, -73.9738),
        (40.758, -73.9855),
        (51.4839, -0.6044),
        (41.9022, 12.4539),
        (28.3852, -81.5639),
        (51.4749, -0.2216),
    ];
    for (x, (lat, lon)) in r.iter().zip(at) {
        assert!(distance_km(x.lat, x.lon, lat, lon) < 5.0, "{x:?}");
    }
    assert_eq!(r[2].feature.as_deref(), Some("CSTL"));
    // Named in running text, with no cue before them.
    let (_, places) = places_of(
        "Thousands rallied outside Trump Tower on Sunday. Tiananmen Square was sealed off.",
    );
    assert!(place(&places, "Trump Tower").is_some(), "{places:?}");
    let t = place(&places, "Tiananmen Square").expect("the square");
    assert!(distance_km(t.lat.unwrap(), t.lon.unwrap(), 39.9, 116.4) < 5.0);
}

#[test]
fn great_islands_lakes_and_canals_are_not_their_namesake_towns() {
    let r = resolve_marked(
        "Floods hit [Sumatra] and [Luzon] as tankers crossed the [Suez Canal], trawlers left \
         [Lake Erie] and traders across the [Americas] watched.",
    );
    let at = [
        (0.0, 102.0),
        (16.0, 121.0),
        (30.5, 32.35),
        (42.2, -81.2),
        (19.0, -96.0),
    ];
    for (x, (lat, lon)) in r.iter().zip(at) {
        assert!(distance_km(x.lat, x.lon, lat, lon) < 50.0, "{x:?}");
    }
}
