//! Kestrel's HTTP API and dashboard, over a store made by `kestrel-store`.
//!
//! What it is for: serving filtered, paged, sortable event lists, single events with their
//! evidence, articles with every layer, counts for charts, aggregated map points, CSV and JSON
//! Lines exports, and taking new articles (`POST /api/articles`) that are extracted and stored at
//! once; and serving the dashboard (HTML, CSS, JavaScript and the base map, all compiled into the
//! binary). What it is not for: extraction or storage logic, which live in `kestrel` and
//! `kestrel-store`.
//!
//! Queries run on a small pool of read-only SQLite connections (WAL mode: they never wait for the
//! writer), at most [`MAX_CONCURRENT_QUERIES`] at a time; writes go through the one writer. Every
//! error is a JSON body with a 4xx or 5xx status (see [`error`]). The API is described by the
//! hand-written OpenAPI document served at `/api/openapi.json`.

mod assets;
pub mod error;
mod export;
mod handlers;
pub mod params;

use kestrel::Pipeline;
use kestrel_store::{ClusterConfig, Store};
use rusqlite_pool::ReaderPool;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub use handlers::router;

/// At most this many queries run at once; more wait their turn (the machine has few cores).
pub const MAX_CONCURRENT_QUERIES: usize = 8;

/// How the server is set up.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The database file (created when missing).
    pub db: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Refuse `POST /api/articles`.
    pub read_only: bool,
    /// Clustering thresholds; None keeps the ones stored in the database.
    pub cluster: Option<ClusterConfig>,
}

impl ServerConfig {
    /// Defaults: 127.0.0.1:8080, 16 MiB bodies, writes allowed.
    pub fn new(db: PathBuf) -> Self {
        ServerConfig {
            db,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 16 * 1024 * 1024,
            read_only: false,
            cluster: None,
        }
    }
}

/// What every handler shares.
pub struct AppState {
    pub(crate) readers: ReaderPool,
    pub(crate) writer: Option<Mutex<Store>>,
    pub(crate) pipeline: Pipeline,
    pub(crate) queries: Arc<Semaphore>,
    pub(crate) max_body_bytes: usize,
}

impl AppState {
    /// Open (creating and migrating) the database and get ready to serve it.
    pub fn open(config: &ServerConfig, pipeline: Pipeline) -> Result<Arc<AppState>, String> {
        // The writer opens first: it creates and migrates the file the readers then open.
        let store =
            Store::open_with(&config.db, config.cluster.clone()).map_err(|e| e.to_string())?;
        let readers = ReaderPool::new(config.db.clone()).map_err(|e| e.to_string())?;
        Ok(Arc::new(AppState {
            readers,
            writer: (!config.read_only).then(|| Mutex::new(store)),
            pipeline,
            queries: Arc::new(Semaphore::new(MAX_CONCURRENT_QUERIES)),
            max_body_bytes: config.max_body_bytes,
        }))
    }
}

/// Serve on `listener` until `shutdown` completes, then finish the requests in flight.
pub async fn serve_until(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("server: {e}"))
}

/// Serve at `addr` until Ctrl-C or SIGTERM. `on_ready` is called with the bound address once
/// listening.
pub async fn serve(
    state: Arc<AppState>,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("{addr}: cannot listen: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    on_ready(local);
    serve_until(state, listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Open the database and serve it until interrupted (for the command line). Blocks.
pub fn run(config: ServerConfig, pipeline: Pipeline) -> Result<(), String> {
    let state = AppState::open(&config, pipeline)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let db = config.db.display().to_string();
    rt.block_on(serve(state, config.addr, |addr| {
        eprintln!("kestrel: serving {db} at http://{addr}/ (Ctrl-C stops)");
    }))
}

mod rusqlite_pool {
    //! A few read-only connections, reused across requests.

    use kestrel_store::open_reader;
    use kestrel_store::rusqlite::Connection;
    use std::ops::Deref;
    use std::path::PathBuf;
    use std::sync::Mutex;

    /// Idle connections kept for reuse; more are opened when busy and closed when returned.
    const MAX_IDLE: usize = 16;

    pub struct ReaderPool {
        path: PathBuf,
        idle: Mutex<Vec<Connection>>,
    }

    impl ReaderPool {
        /// A pool over `path`, checked by opening one connection.
        pub fn new(path: PathBuf) -> kestrel_store::Result<ReaderPool> {
            let first = open_reader(&path)?;
            Ok(ReaderPool {
                path,
                idle: Mutex::new(vec![first]),
            })
        }

        /// A connection, for as long as the guard lives.
        pub fn get(&self) -> kestrel_store::Result<Pooled<'_>> {
            let conn = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let conn = match conn {
                Some(c) => c,
                None => open_reader(&self.path)?,
            };
            Ok(Pooled {
                conn: Some(conn),
                pool: self,
            })
        }
    }

    pub struct Pooled<'a> {
        conn: Option<Connection>,
        pool: &'a ReaderPool,
    }

    impl Deref for Pooled<'_> {
        type Target = Connection;
        fn deref(&self) -> &Connection {
            self.conn.as_ref().expect("present until drop")
        }
    }

    impl Drop for Pooled<'_> {
        fn drop(&mut self) {
            if let Some(c) = self.conn.take() {
                let mut idle = self.pool.idle.lock().unwrap_or_else(|p| p.into_inner());
                if idle.len() < MAX_IDLE {
                    idle.push(c);
                }
            }
        }
    }
}
