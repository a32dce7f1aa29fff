//! Repair must never panic, must be idempotent, and its repairs must rebuild the raw text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let once = kestrel::repair::repair(raw);
    let twice = kestrel::repair::repair(&once.text);
    assert_eq!(once.text, twice.text, "repair is not idempotent");
    let pieces: Vec<String> = once.repairs.iter().map(|r| r.raw.clone()).collect();
    assert_eq!(once.alignment.reconstruct(&once.text, &pieces), raw, "repairs do not rebuild the raw text");
});
