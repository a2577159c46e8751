//! Connections: how many the server holds, from whom, and how long a client may take to send
//! the headers of its request. A client without a token must not hold every file descriptor by
//! opening connections and sending nothing, or half a header at a time; connections over a cap
//! are closed at once, and a request whose headers do not arrive in time is cut off.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// The bounds on connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once, from everyone.
    pub max_total: usize,
    /// Connections open at once from one client address.
    pub max_per_ip: usize,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_total: 1_024,
            max_per_ip: 64,
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Connections open per client address; a slot is given back when its connection ends.
#[derive(Debug, Default, Clone)]
struct PerAddress(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct Slot {
    table: PerAddress,
    ip: IpAddr,
}

/// A connection's place under the caps. It goes back when the connection ends, or, for a
/// connection upgraded to a WebSocket, when the socket ends: the HTTP connection is over at
/// the upgrade, and the request carries a copy of the guard to the socket.
#[derive(Clone)]
#[allow(missing_debug_implementations)]
pub struct ConnectionGuard(#[allow(dead_code)] Arc<(Slot, tokio::sync::OwnedSemaphorePermit)>);

impl PerAddress {
    fn take(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = t.entry(ip).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            table: self.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut t = self.table.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = t.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                t.remove(&self.ip);
            }
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves, then stops
/// accepting and lets the connections in flight finish (at most thirty seconds).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let total = Arc::new(Semaphore::new(limits.max_total.max(1)));
    let per_ip = PerAddress::default();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a reset before accept: wait a moment, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Over a cap, the connection is closed at once: nothing is read from it. Only HTTP/1.1
        // is served (WebSockets upgrade from it): with no protocol to detect first, the header
        // timeout covers the first bytes too.
        let Ok(permit) = total.clone().try_acquire_owned() else {
            tracing::warn!(peer = %peer.ip(), "connection refused: too many connections");
            continue;
        };
        let Some(slot) = per_ip.take(peer.ip(), limits.max_per_ip) else {
            tracing::warn!(peer = %peer.ip(), "connection refused: too many from this address");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let guard = ConnectionGuard(Arc::new((slot, permit)));
        let held = guard.clone();
        let service =
            tower::service_fn(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.extensions_mut().insert(held.clone());
                router.clone().oneshot(req.map(axum::body::Body::new))
            });
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            // hyper's header timer starts at the first byte: a connection that sends nothing
            // at all is cut off here instead.
            let mut first = [0u8; 1];
            match tokio::time::timeout(header_timeout, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return,
            }
            let conn = builder
                .serve_connection_with_upgrades(
                    TokioIo::new(stream),
                    TowerToHyperService::new(service),
                )
                .into_owned();
            let _ = watcher.watch(conn).await;
            drop(guard);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(30)) => {
            tracing::warn!("connections still open after thirty seconds; stopping anyway");
        }
    }
    Ok(())
}
