//! How fast the server renders the web pages of the demo movement: each page requested through
//! the whole router (session look-up, the page's GraphQL operation, the template), in process,
//! without the network, one request at a time and then from 8 concurrent clients.
//!
//! Run with `cargo bench -p graphql-server --bench pages`; results and method are in the "Web
//! pages" section of `docs/benchmarks.md`. Without `--bench` (as under `cargo test --benches`) it
//! runs a few requests per page as a smoke test. `BENCH_PAGE_REQUESTS` sets the timed requests per
//! page (default 2 000).

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use graphql_server::http::{HttpLimits, app};
use graphql_server::store::{Store, StoreConfig};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn get(router: &axum::Router, path: &str, cookie: &str) -> (StatusCode, usize, Duration) {
    let mut request = Request::get(path)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9")
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
    let started = Instant::now();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, body.len(), started.elapsed())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let requests: usize = std::env::var("BENCH_PAGE_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 2_000 } else { 5 });
    let dir = std::env::temp_dir().join(format!("gouvernail-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let store = Store::open(&StoreConfig::new(url)).await.unwrap();
    let (org, _) = graphql_server::demo::seed(&store).await.unwrap().unwrap();
    let limits = HttpLimits {
        per_ip_per_minute: u32::MAX,
        web: graphql_server::web::WebConfig {
            pages_per_client_per_minute: u32::MAX,
            ..Default::default()
        },
        ..Default::default()
    };
    let router = app(store.clone(), org, limits);
    // Awa: she holds mandates, has unread decisions, and sees every page.
    let awa = {
        let state = store.read(org, None).await.unwrap();
        state.movement.members().next().unwrap().id
    };
    let link =
        graphql_server::web::issue_link(&store, org, awa, "http://bench", Duration::from_secs(600))
            .await
            .unwrap();
    let path = link.trim_start_matches("http://bench");
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
    let response = router.clone().oneshot(request).await.unwrap();
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let some_decision = {
        let state = store.read(org, None).await.unwrap();
        state.movement.decisions().last().unwrap().id
    };
    let pages = [
        "/".to_owned(),
        "/releve".to_owned(),
        "/releve?q=f%C3%AAte".to_owned(),
        format!("/decisions/{some_decision}"),
        "/carte".to_owned(),
        "/carte?date=2026-07-01".to_owned(),
        "/decider".to_owned(),
        "/tensions".to_owned(),
        "/reunions".to_owned(),
        "/coordination".to_owned(),
        "/public".to_owned(),
    ];
    println!(
        "{:<28} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "page", "bytes", "p50", "p99", "max", "p99 ×8", "req/s ×8"
    );
    for page in &pages {
        let (status, bytes, _) = get(&router, page, &cookie).await;
        if status != StatusCode::OK {
            println!("{page:<28} answered {status}: skipped");
            continue;
        }
        // One at a time: the time to render.
        let mut alone = Vec::with_capacity(requests);
        for _ in 0..requests {
            alone.push(get(&router, page, &cookie).await.2);
        }
        alone.sort();
        // Eight clients at once on two cores: the time a person waits under load.
        let started = Instant::now();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (router, cookie, page) = (router.clone(), cookie.clone(), page.clone());
                tokio::spawn(async move {
                    let mut times = Vec::new();
                    for _ in 0..requests.div_ceil(8) {
                        times.push(get(&router, &page, &cookie).await.2);
                    }
                    times
                })
            })
            .collect();
        let mut loaded = Vec::new();
        for t in tasks {
            loaded.extend(t.await.unwrap());
        }
        let rate = loaded.len() as f64 / started.elapsed().as_secs_f64();
        loaded.sort();
        println!(
            "{page:<28} {bytes:>7} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.2?} {:>9.0}",
            percentile(&alone, 0.5),
            percentile(&alone, 0.99),
            alone.last().unwrap(),
            percentile(&loaded, 0.99),
            rate
        );
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
