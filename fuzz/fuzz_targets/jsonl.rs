//! The JSON Lines reader must turn any bytes into articles or errors, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = std::io::Cursor::new(data.to_vec());
    for item in kestrel::ingest::json_lines("fuzz.jsonl".into(), "fuzz".into(), reader, 4096) {
        if let Err(e) = item {
            assert!(e.input.starts_with("fuzz.jsonl"));
        }
    }
});
