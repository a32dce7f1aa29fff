//! The dashboard's files, compiled into the binary: no file system, no CDN, no tile server.
//!
//! `basemap.json` is the country outline data made by `scripts/build_basemap.mjs` from Natural
//! Earth (public domain) shapes; `openapi.json` is the hand-written API description.

/// A static file: its bytes and content type.
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

const INDEX: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");
const BASEMAP: &[u8] = include_bytes!("../assets/basemap.json");
/// The OpenAPI 3 description of the API.
pub const OPENAPI: &str = include_str!("../assets/openapi.json");

/// The dashboard page.
pub fn index() -> Asset {
    Asset {
        bytes: INDEX.as_bytes(),
        content_type: "text/html; charset=utf-8",
    }
}

/// A file under `/assets/`.
pub fn get(name: &str) -> Option<Asset> {
    let (bytes, content_type): (&'static [u8], _) = match name {
        "app.js" => (APP_JS.as_bytes(), "text/javascript; charset=utf-8"),
        "app.css" => (APP_CSS.as_bytes(), "text/css; charset=utf-8"),
        "basemap.json" => (BASEMAP, "application/json"),
        _ => return None,
    };
    Some(Asset {
        bytes,
        content_type,
    })
}
