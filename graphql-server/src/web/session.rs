//! Web sessions: a random secret in an HttpOnly, SameSite cookie, and a server-side row (only
//! the secret's hash) that signing out revokes at once and that closes after an idle time. The
//! member must still be a member: a departure ends every session on the next request.
//!
//! CSRF: every form carries a token. Signed in, it is the session's own (stored with it);
//! signed out (the sign-in form), it is a random value also set in a cookie (double submit).
//! A POST whose `Origin` names another site is refused before either check.
//!
//! Both cookies are one movement's: their name carries its slug and their `Path` is its prefix,
//! so a browser never presents one movement's cookie to another's pages; and every row is read
//! with its movement's id, so a cookie presented anyway (copied by hand) opens nothing there.

use super::Web;
use crate::store::entity::web_sessions;
use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use governance_core::MemberId;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// The cookie holding the session's secret, at the root (`_{slug}` follows under `/m/{slug}`).
const SESSION_COOKIE: &str = "gouvernail_session";
/// The cookie holding the signed-out CSRF token, likewise.
const CSRF_COOKIE: &str = "gouvernail_csrf";
/// A session lasts at most this long, used or not.
const MAX_AGE_DAYS: i64 = 30;
/// `last_seen_at` moves at most this often, so that reading pages is not a write per request.
const TOUCH_EVERY_SECS: i64 = 60;

/// A new random secret, hex-encoded (256 bits).
pub(super) fn secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored of a secret.
pub(super) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two tokens in time that does not depend on where they differ.
pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The signed-in member of a request, with the session's CSRF token.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub member: MemberId,
    pub csrf: String,
    pub hash: String,
}

/// Opens a session for `member` and returns the cookie to set.
pub(super) async fn open(web: &Web, member: MemberId) -> Result<Cookie<'static>, DbErr> {
    let secret = secret();
    let now = chrono::Utc::now();
    let row = web_sessions::ActiveModel {
        token_hash: Set(hash(&secret)),
        organization_id: Set(web.app.org.as_uuid()),
        member_id: Set(member.as_uuid()),
        csrf: Set(self::secret()),
        created_at: Set(now),
        last_seen_at: Set(now),
        revoked_at: Set(None),
    };
    web_sessions::Entity::insert(row)
        .exec(web.app.store.connection())
        .await?;
    tracing::info!(member = %member, "web session opened");
    Ok(cookie(web, session_cookie(web), secret))
}

/// `base` at the root, `base_{slug}` under `/m/{slug}`: the root's cookie (whose path, `/`,
/// covers every prefix) and a movement's never share a name.
fn cookie_name(root: &str, base: &str) -> String {
    match root.rsplit_once('/') {
        Some((_, slug)) if !slug.is_empty() => format!("{base}_{slug}"),
        _ => base.to_owned(),
    }
}

/// The name of the movement's session cookie.
pub(super) fn session_cookie(web: &Web) -> String {
    cookie_name(&web.root, SESSION_COOKIE)
}

/// The name of the movement's signed-out CSRF cookie.
pub(super) fn csrf_cookie(web: &Web) -> String {
    cookie_name(&web.root, CSRF_COOKIE)
}

/// The path a movement's cookies are sent back under: its prefix.
fn cookie_path(root: &str) -> String {
    if root.is_empty() {
        "/".to_owned()
    } else {
        root.to_owned()
    }
}

/// A cookie the page script cannot read, sent back only to this site and this movement.
pub(super) fn cookie(web: &Web, name: String, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(cookie_path(&web.root))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(web.config().secure())
        .build()
}

/// The cookie that makes the browser forget its session for this movement.
pub(super) fn removal(web: &Web) -> Cookie<'static> {
    let mut gone = Cookie::build((session_cookie(web), ""))
        .path(cookie_path(&web.root))
        .build();
    gone.make_removal();
    gone
}

/// The live session of the request, if any: not revoked, not idle too long, not too old, and
/// its member still a member. A database failure is an error, not "signed out".
pub(super) async fn current(web: &Web, jar: &CookieJar) -> Result<Option<Session>, DbErr> {
    let Some(secret) = jar.get(&session_cookie(web)).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    if secret.len() != 64 {
        return Ok(None);
    }
    let hash = hash(&secret);
    let Some(row) = web_sessions::Entity::find_by_id(hash.clone())
        .filter(web_sessions::Column::OrganizationId.eq(web.app.org.as_uuid()))
        .filter(web_sessions::Column::RevokedAt.is_null())
        .one(web.app.store.connection())
        .await?
    else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    let idle = chrono::Duration::from_std(web.config().session_idle).unwrap_or_default();
    if row.last_seen_at + idle <= now
        || row.created_at + chrono::Duration::days(MAX_AGE_DAYS) <= now
    {
        return Ok(None);
    }
    let member = MemberId::from_uuid(row.member_id);
    let still_member = match web.app.store.read(web.app.org, None).await {
        Ok(state) => state.movement.is_member_at(member, now),
        Err(e) => return Err(DbErr::Custom(e.to_string())),
    };
    if !still_member {
        return Ok(None);
    }
    if (now - row.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
        web_sessions::Entity::update_many()
            .col_expr(
                web_sessions::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(web_sessions::Column::TokenHash.eq(hash.clone()))
            .filter(web_sessions::Column::OrganizationId.eq(web.app.org.as_uuid()))
            .exec(web.app.store.connection())
            .await?;
    }
    Ok(Some(Session {
        member,
        csrf: row.csrf,
        hash,
    }))
}

/// Revokes the session: its cookie stops working at once, on every server.
pub(super) async fn revoke(web: &Web, session: &Session) -> Result<(), DbErr> {
    web_sessions::Entity::update_many()
        .col_expr(
            web_sessions::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(chrono::Utc::now())),
        )
        .filter(web_sessions::Column::TokenHash.eq(session.hash.clone()))
        .filter(web_sessions::Column::OrganizationId.eq(web.app.org.as_uuid()))
        .filter(web_sessions::Column::RevokedAt.is_null())
        .exec(web.app.store.connection())
        .await?;
    tracing::info!(member = %session.member, "web session closed");
    Ok(())
}

/// The host (and port) part of a URL.
fn authority(url: &str) -> Option<&str> {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
}

/// Whether a POST comes from a page of this site: an `Origin` (or, without one, a `Referer`)
/// naming a host other than the one the request reached or the configured `base_url` (what
/// people see behind a reverse proxy that rewrites `Host`) is refused. Browsers send `Origin` on
/// every cross-site POST.
pub(super) fn same_origin(headers: &HeaderMap, base_url: &str) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    match from {
        None => true,
        // A sandboxed or privacy-stripped origin is not ours.
        Some("null") => false,
        Some(url) => authority(url).is_some_and(|from| {
            host.is_some_and(|h| from.eq_ignore_ascii_case(h))
                || authority(base_url).is_some_and(|b| from.eq_ignore_ascii_case(b))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const BASE: &str = "https://gouvernail.tilleuls.example";

    fn headers(host: &str, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn csrf_a_post_from_another_site_is_refused() {
        assert!(same_origin(
            &headers("127.0.0.1:8080", Some("http://127.0.0.1:8080")),
            BASE
        ));
        assert!(same_origin(&headers("127.0.0.1:8080", None), BASE));
        assert!(!same_origin(
            &headers("127.0.0.1:8080", Some("https://evil.example")),
            BASE
        ));
        assert!(!same_origin(&headers("127.0.0.1:8080", Some("null")), BASE));
        // A look-alike host that merely starts with ours.
        assert!(!same_origin(
            &headers("tilleuls.org", Some("https://tilleuls.org.evil.example")),
            BASE
        ));
    }

    #[test]
    fn csrf_behind_a_proxy_that_rewrites_host_the_base_url_is_ours() {
        assert!(same_origin(
            &headers(
                "127.0.0.1:8080",
                Some("https://gouvernail.tilleuls.example")
            ),
            BASE
        ));
        assert!(!same_origin(
            &headers(
                "127.0.0.1:8080",
                Some("https://gouvernail.tilleuls.example.evil")
            ),
            BASE
        ));
    }

    #[test]
    fn a_movement_s_cookies_carry_its_slug_and_its_prefix() {
        assert_eq!(cookie_name("", SESSION_COOKIE), "gouvernail_session");
        assert_eq!(cookie_path(""), "/");
        assert_eq!(
            cookie_name("/m/rive", SESSION_COOKIE),
            "gouvernail_session_rive"
        );
        assert_eq!(cookie_name("/m/rive", CSRF_COOKIE), "gouvernail_csrf_rive");
        assert_eq!(cookie_path("/m/rive"), "/m/rive");
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abcd", "abcd"));
        assert!(!same("abcd", "abce"));
        assert!(!same("abcd", "abc"));
    }
}
