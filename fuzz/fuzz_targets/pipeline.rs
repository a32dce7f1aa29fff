//! The whole pipeline must accept any text: spans stay on character boundaries inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static PIPELINE: LazyLock<kestrel::Pipeline> = LazyLock::new(kestrel::Pipeline::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let article = kestrel::model::Article { id: "f".into(), text: text.to_string(), ..Default::default() };
    let rec = PIPELINE.process(article);
    for s in rec.sentences.iter().map(|s| s.span).chain(rec.blocks.iter().map(|b| b.span)) {
        assert!(s.0 <= s.1 && s.1 <= rec.text.len());
        assert!(rec.text.is_char_boundary(s.0) && rec.text.is_char_boundary(s.1));
    }
});
