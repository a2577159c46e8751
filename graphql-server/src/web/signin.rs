//! Signing in by e-mail link. A person gives an address; if it is a member's, the server stores
//! the hash of a random secret valid for a short time and mails a link carrying it; following
//! the link once opens a session. The answer, and its timing, are the same whether or not the
//! address is known: the look-up and the mail happen after the answer, in their own task.
//! Requests are rate-limited per address and per client. Without SMTP, the link goes to the log
//! (and `gouvernail signin-link` prints one for the operator to pass on).

use super::Web;
use super::chrome::{self, Chrome, Nav};
use super::error::PageError;
use super::session;
use super::visit::Visit;
use crate::store::entity::signin_links;
use crate::store::{Store, StoreError};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path};
use axum::http::{StatusCode, header};
use axum::response::Response;
use governance_core::messages::{Lang, ui};
use governance_core::{MemberId, OrganizationId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    chrome: Chrome,
    p: &'static ui::signin::Signin,
    /// What the page says instead of the form: sent, link no longer valid, signed out.
    notice: Option<Notice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Sent,
    LinkInvalid,
    SignedOut,
}

impl SigninPage {
    fn sent(&self) -> bool {
        self.notice == Some(Notice::Sent)
    }
    fn link_invalid(&self) -> bool {
        self.notice == Some(Notice::LinkInvalid)
    }
    fn signed_out(&self) -> bool {
        self.notice == Some(Notice::SignedOut)
    }
}

fn texts(lang: Lang) -> &'static ui::signin::Signin {
    ui::pick(lang, &ui::signin::FR, &ui::signin::EN)
}

/// The sign-in page, with the signed-out CSRF token in a cookie and in the form: the browser's
/// own if it has one (two tabs of this page both work), a fresh one otherwise.
fn page(visit: &Visit, status: StatusCode, notice: Option<Notice>) -> Response {
    let kept = visit.chrome.csrf.clone();
    let token = if visit.session.is_none()
        && kept.len() == 64
        && kept.bytes().all(|b| b.is_ascii_hexdigit())
    {
        kept
    } else {
        session::secret()
    };
    let mut chrome = visit.frame(Nav::SignIn);
    chrome.csrf = token.clone();
    let page = SigninPage {
        p: texts(visit.lang()),
        chrome,
        notice,
    };
    let mut response = chrome::html(status, &page);
    let cookie = session::cookie(&visit.web, session::csrf_cookie(&visit.web), token);
    if let Ok(v) = header::HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[derive(Debug, Deserialize)]
pub(super) struct NoticeQuery {
    sortie: Option<String>,
}

pub(super) async fn form(
    visit: Visit,
    axum::extract::Query(q): axum::extract::Query<NoticeQuery>,
) -> Response {
    if visit.session.is_some() {
        return visit.redirect("/");
    }
    let notice = q.sortie.map(|_| Notice::SignedOut);
    page(&visit, StatusCode::OK, notice)
}

#[derive(Debug, Deserialize)]
pub(super) struct SigninForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

pub(super) async fn request(
    visit: Visit,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<SigninForm>,
) -> Response {
    if let Err(e) = visit.check_form(&form.csrf) {
        return visit.fail(e);
    }
    let web = &visit.web;
    web.forget_old_keys();
    if web.shared.per_client.check_key(&peer.ip()).is_err() {
        return visit.fail(PageError::TooMany);
    }
    // Only a plausible address becomes a limiter key: a 64 KB "address" would be kept in memory.
    let address = form.email.trim().to_lowercase();
    let plausible = address.len() <= 254 && address.contains('@');
    // An address asked for too often gets the same answer as any other, and no mail: refusing
    // it would let anyone lock a member out by asking in their name.
    let within_limit = plausible && web.shared.per_address.check_key(&address).is_ok();
    // The look-up, the link and the mail run after the answer: the answer and its timing say
    // nothing about whether the address is a member's.
    if within_limit {
        let web = web.clone();
        let lang = visit.lang();
        tokio::spawn(async move {
            if let Err(e) = send_link(&web, &address, lang).await {
                tracing::warn!(error = %e, "a sign-in link could not be sent");
            }
        });
    }
    page(&visit, StatusCode::OK, Some(Notice::Sent))
}

/// Why a link was not sent (only ever logged).
#[derive(Debug, thiserror::Error)]
enum SendError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] super::MailerError),
}

async fn send_link(web: &Web, address: &str, lang: Lang) -> Result<(), SendError> {
    let member = {
        let state = web.app.store.read(web.app.org, None).await?;
        let now = chrono::Utc::now();
        state
            .movement
            .members()
            .find(|m| {
                m.email.as_str() == address && m.is_member_at(crate::store::codec::micros(now))
            })
            .map(|m| (m.id, m.name.to_string()))
    };
    let Some((member, name)) = member else {
        return Ok(());
    };
    // The link leads to the movement's own pages, under its prefix: followed elsewhere, it
    // would be looked up for another movement and refused.
    let base = format!(
        "{}{}",
        web.config().base_url.trim_end_matches('/'),
        web.root
    );
    let link = issue_link(
        &web.app.store,
        web.app.org,
        member,
        &base,
        web.config().link_ttl,
    )
    .await?;
    match &web.config().mailer {
        Some(mailer) => {
            let p = texts(lang);
            let body = format!(
                "{} {name},\n\n{}\n\n{link}\n\n{}\n",
                p.mail_greeting, p.mail_body, p.mail_ignore
            );
            mailer.send(address, p.mail_subject, body).await?;
            tracing::info!(member = %member, "sign-in link sent");
        }
        None => tracing::info!(member = %member, %link, "sign-in link (no SMTP configured)"),
    }
    Ok(())
}

/// Stores a new single-use sign-in link for `member`, valid for `ttl`, and returns it.
/// `base_url` is where the movement's pages are: the server's address, followed by `/m/{slug}`
/// for a movement other than the one served at the root.
pub async fn issue_link(
    store: &Store,
    org: OrganizationId,
    member: MemberId,
    base_url: &str,
    ttl: Duration,
) -> Result<String, StoreError> {
    let secret = session::secret();
    let now = chrono::Utc::now();
    let row = signin_links::ActiveModel {
        token_hash: Set(session::hash(&secret)),
        organization_id: Set(org.as_uuid()),
        member_id: Set(member.as_uuid()),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::from_std(ttl).unwrap_or_default()),
        used_at: Set(None),
    };
    signin_links::Entity::insert(row)
        .exec(store.connection())
        .await?;
    Ok(format!(
        "{}/connexion/lien/{secret}",
        base_url.trim_end_matches('/')
    ))
}

/// Following a link: it is spent (one `UPDATE ... WHERE used_at IS NULL`, so two tabs racing
/// open one session), and a session opens for its member, if they still are one.
pub(super) async fn follow(visit: Visit, Path(secret): Path<String>) -> Response {
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return page(&visit, StatusCode::NOT_FOUND, Some(Notice::LinkInvalid));
    }
    let web = &visit.web;
    let hash = session::hash(&secret);
    let now = chrono::Utc::now();
    let db = web.app.store.connection();
    let row = match signin_links::Entity::find_by_id(hash.clone())
        .filter(signin_links::Column::OrganizationId.eq(web.app.org.as_uuid()))
        .one(db)
        .await
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "sign-in links could not be read");
            return visit.fail(PageError::Unavailable);
        }
    };
    let Some(row) = row.filter(|r| r.used_at.is_none() && r.expires_at > now) else {
        return page(&visit, StatusCode::NOT_FOUND, Some(Notice::LinkInvalid));
    };
    let spent = signin_links::Entity::update_many()
        .col_expr(
            signin_links::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(signin_links::Column::TokenHash.eq(hash))
        .filter(signin_links::Column::OrganizationId.eq(web.app.org.as_uuid()))
        .filter(signin_links::Column::UsedAt.is_null())
        .exec(db)
        .await;
    match spent {
        Ok(r) if r.rows_affected == 1 => {}
        Ok(_) => return page(&visit, StatusCode::NOT_FOUND, Some(Notice::LinkInvalid)),
        Err(e) => {
            tracing::error!(error = %e, "a sign-in link could not be spent");
            return visit.fail(PageError::Unavailable);
        }
    }
    let member = MemberId::from_uuid(row.member_id);
    let still_member = match web.app.store.read(web.app.org, None).await {
        Ok(state) => state
            .movement
            .is_member_at(member, crate::store::codec::micros(now)),
        Err(_) => return visit.fail(PageError::Unavailable),
    };
    if !still_member {
        return page(&visit, StatusCode::NOT_FOUND, Some(Notice::LinkInvalid));
    }
    // A browser holds one session: the one it had (perhaps someone else's) is closed first.
    if let Some(previous) = &visit.session
        && let Err(e) = session::revoke(web, previous).await
    {
        tracing::error!(error = %e, "a previous session could not be closed");
        return visit.fail(PageError::Unavailable);
    }
    match session::open(web, member).await {
        Ok(cookie) => {
            let mut r = visit.redirect("/");
            if let Ok(v) = header::HeaderValue::from_str(&cookie.to_string()) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "a session could not be opened");
            visit.fail(PageError::Unavailable)
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Signing out: the session row is revoked (the cookie is dead even if a copy survives) and the
/// cookie is cleared.
pub(super) async fn sign_out(visit: Visit, Form(form): Form<CsrfOnly>) -> Response {
    let Some(session) = visit.session.clone() else {
        return visit.redirect("/connexion");
    };
    if let Err(e) = visit.check_form(&form.csrf) {
        return visit.fail(e);
    }
    if let Err(e) = session::revoke(&visit.web, &session).await {
        tracing::error!(error = %e, "a session could not be closed");
        return visit.fail(PageError::Unavailable);
    }
    let mut r = visit.redirect("/connexion?sortie=1");
    let gone = session::removal(&visit.web);
    if let Ok(v) = header::HeaderValue::from_str(&gone.to_string()) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
