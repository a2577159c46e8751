//! Calendar feeds (iCalendar, RFC 5545) at private addresses: `/calendar/{key}.ics`, a member's
//! own feed, and `/calendar/{key}/unit/{unit_id}.ics`, a unit's, under each movement's prefix
//! like every route. Calendar applications send no headers, so the key in the address is the
//! credential: it names one member of one movement, and the feeds show only what that member
//! may read (R17: a member reads everything internal while a member; a key whose member has
//! left opens nothing). An unknown, replaced or malformed key, a key of another movement and a
//! unit that is not this movement's all get the same 404.

pub mod feed;
pub mod ics;

use crate::api::AppData;
use crate::scope::Scope;
use axum::Router;
use axum::extract::{ConnectInfo, Extension, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use governance_core::queries::Reader;
use governance_core::reading::ReadScope;
use governance_core::{MemberId, UnitId};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// The address of a member's feed, and of a unit's, under `root` (the server's public address
/// and the movement's prefix).
pub fn member_feed_url(root: &str, key: &str) -> String {
    format!("{}/calendar/{key}.ics", root.trim_end_matches('/'))
}

pub fn unit_feed_url(root: &str, key: &str, unit: UnitId) -> String {
    format!(
        "{}/calendar/{key}/unit/{}.ics",
        root.trim_end_matches('/'),
        unit.as_uuid()
    )
}

#[derive(Clone)]
struct Feeds {
    app: AppData,
    per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Requests since the limiter last forgot the addresses back to a full budget, so that its
    /// memory follows recent traffic only (as the pages' limiters do).
    since_cleanup: Arc<std::sync::atomic::AtomicU32>,
}

/// The feeds' routes; `per_ip_per_minute` bounds the requests of one address, as `/graphql`'s
/// own limit does.
pub fn router(app: AppData, per_ip_per_minute: u32) -> Router {
    let quota = Quota::per_minute(NonZeroU32::new(per_ip_per_minute.max(1)).expect("positive"));
    let feeds = Feeds {
        app,
        per_ip: Arc::new(RateLimiter::keyed(quota)),
        since_cleanup: Arc::default(),
    };
    Router::new()
        .route("/calendar/{file}", get(member))
        .route("/calendar/{key}/unit/{file}", get(unit))
        .with_state(feeds)
}

/// Why a feed is not served.
#[derive(Debug, thiserror::Error)]
enum FeedError {
    #[error("no feed at this address")]
    NotFound,
    #[error("too many requests")]
    TooMany,
    #[error("storage unavailable: {0}")]
    Store(#[from] crate::store::StoreError),
}

impl IntoResponse for FeedError {
    fn into_response(self) -> Response {
        let plain = |status: StatusCode, body: &'static str| {
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                body,
            )
                .into_response()
        };
        match self {
            FeedError::NotFound => plain(
                StatusCode::NOT_FOUND,
                "Calendrier introuvable : cette adresse n'existe pas ou a été remplacée.\n\
                 Calendar not found: this address does not exist or was replaced.\n",
            ),
            FeedError::TooMany => {
                let mut r = plain(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Trop de requêtes : réessayez dans une minute.\n\
                     Too many requests: try again in a minute.\n",
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
                r
            }
            FeedError::Store(e) => {
                let id = uuid::Uuid::now_v7();
                tracing::error!(error_id = %id, error = %e, "a calendar feed could not be read");
                plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Calendrier momentanément indisponible.\nCalendar unavailable for now.\n",
                )
            }
        }
    }
}

/// The member a key opens in the request's movement: a live key, of a current member, whose
/// read scope is the members' (R17, the core's rule). Anything else reads as "no such feed".
async fn reader(
    feeds: &Feeds,
    scope: &Scope,
    peer: SocketAddr,
    key: &str,
) -> Result<(AppData, MemberId), FeedError> {
    use std::sync::atomic::Ordering;
    if feeds.since_cleanup.fetch_add(1, Ordering::Relaxed) % 1_024 == 1_023 {
        feeds.per_ip.retain_recent();
    }
    if feeds.per_ip.check_key(&peer.ip()).is_err() {
        return Err(FeedError::TooMany);
    }
    let app = feeds.app.for_movement(scope.org);
    let member = app
        .store
        .calendar_key_member(app.org, key)
        .await?
        .ok_or(FeedError::NotFound)?;
    Ok((app, member))
}

fn calendar(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.ics\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::REFERRER_POLICY, "no-referrer".to_owned()),
        ],
        body,
    )
        .into_response()
}

async fn member(
    State(feeds): State<Feeds>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(scope): Extension<Scope>,
    Path(file): Path<String>,
) -> Response {
    let run = async {
        let key = file.strip_suffix(".ics").ok_or(FeedError::NotFound)?;
        let (app, member) = reader(&feeds, &scope, peer, key).await?;
        let state = app.store.read(app.org, None).await?;
        let now = crate::store::codec::micros(chrono::Utc::now());
        let movement = &state.movement;
        if movement.read_scope(Reader::Member(member), now) != ReadScope::Everything {
            return Err(FeedError::NotFound);
        }
        let name = format!(
            "{} — {}",
            movement.organization().name.as_str(),
            movement.member_name(member)
        );
        let mut out = ics::Ics::new(&name);
        for e in feed::member_feed(movement, member, now) {
            out.event(&e);
        }
        Ok(calendar(out.finish(), "gouvernail"))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

async fn unit(
    State(feeds): State<Feeds>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(scope): Extension<Scope>,
    Path((key, file)): Path<(String, String)>,
) -> Response {
    let run = async {
        let unit = file
            .strip_suffix(".ics")
            .and_then(|u| uuid::Uuid::parse_str(u).ok())
            .map(UnitId::from_uuid)
            .ok_or(FeedError::NotFound)?;
        let (app, member) = reader(&feeds, &scope, peer, &key).await?;
        let state = app.store.read(app.org, None).await?;
        let now = crate::store::codec::micros(chrono::Utc::now());
        let movement = &state.movement;
        // A unit's meetings and mandates are internal: only a reader with the members' scope
        // sees them, and only this movement's units exist here.
        if movement.read_scope(Reader::Member(member), now) != ReadScope::Everything {
            return Err(FeedError::NotFound);
        }
        let found = movement.unit(unit).ok_or(FeedError::NotFound)?;
        let name = format!(
            "{} — {}",
            movement.organization().name.as_str(),
            found.name.as_str()
        );
        let mut out = ics::Ics::new(&name);
        for e in feed::unit_feed(movement, unit, now) {
            out.event(&e);
        }
        Ok(calendar(out.finish(), "unite"))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}
