//! A visit: what a page handler knows about the request before doing anything, extracted once.
//! Who is signed in (if anyone), in which language, the frame of the page, and the checks a
//! form's POST passes (same origin, CSRF token) before its content is looked at. A visit is for
//! the movement of the request's `Scope`, and only that one.

use super::chrome::{self, Chrome, Nav};
use super::error::PageError;
use super::session::{self, Session};
use super::{Shared, Web};
use crate::scope::Scope;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use governance_core::MemberId;
use governance_core::messages::Lang;

/// One request to a page.
#[derive(Clone)]
pub(super) struct Visit {
    pub web: Web,
    pub session: Option<Session>,
    pub chrome: Chrome,
    pub headers: HeaderMap,
}

impl FromRequestParts<Shared> for Visit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Shared,
    ) -> Result<Self, Self::Rejection> {
        // The router is always served inside `scope::scoped`; without it (a router mounted
        // alone), a request can only be for the movement at the root.
        let scope = parts
            .extensions
            .get::<Scope>()
            .cloned()
            .unwrap_or_else(|| Scope::root(shared.server.org));
        let web = &shared.for_scope(&scope);
        let jar = CookieJar::from_headers(&parts.headers);
        let session = match session::current(web, &jar).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "sessions could not be read");
                let chrome = chrome::frame(web, &parts.headers, None, Nav::None, "").await;
                return Err(PageError::Unavailable.render(&chrome));
            }
        };
        let signed_out_csrf = jar
            .get(&session::csrf_cookie(web))
            .map(|c| c.value().to_owned())
            .unwrap_or_default();
        let chrome = chrome::frame(
            web,
            &parts.headers,
            session.as_ref(),
            Nav::None,
            &signed_out_csrf,
        )
        .await;
        Ok(Visit {
            web: web.clone(),
            session,
            chrome,
            headers: parts.headers.clone(),
        })
    }
}

impl Visit {
    pub fn lang(&self) -> Lang {
        self.chrome.lang
    }

    /// The movement's time zone, in which the page shows dates.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.chrome.tz
    }

    /// The frame of a page placed at `nav`.
    pub fn frame(&self, nav: Nav) -> Chrome {
        Chrome {
            nav,
            ..self.chrome.clone()
        }
    }

    /// A redirect to `path`, an address within the movement (`/tensions?fait=1`), under its
    /// prefix: every redirect of a page goes through here.
    pub fn redirect(&self, path: &str) -> Response {
        let to = format!("{}{path}", self.web.root);
        (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
    }

    /// The signed-in member, or the sign-in page.
    pub fn member(&self) -> Result<MemberId, PageError> {
        self.session
            .as_ref()
            .map(|s| s.member)
            .ok_or(PageError::SignInNeeded)
    }

    /// The signed-in member, if any (outsiders read what is published).
    pub fn reader(&self) -> Option<MemberId> {
        self.session.as_ref().map(|s| s.member)
    }

    /// A POST's checks: it comes from one of our pages, and carries this visit's CSRF token.
    pub fn check_form(&self, token: &str) -> Result<(), PageError> {
        if !session::same_origin(&self.headers, &self.web.config().base_url) {
            return Err(PageError::FormExpired);
        }
        let expected = self.chrome.csrf.as_str();
        if expected.is_empty() || !session::same(expected, token) {
            return Err(PageError::FormExpired);
        }
        Ok(())
    }

    /// The answer to a failure, in this visit's language.
    pub fn fail(&self, error: PageError) -> Response {
        error.render(&self.chrome)
    }

    /// Runs a page's body, answering its failure with the error page.
    pub fn answer(&self, result: Result<Response, PageError>) -> Response {
        result.unwrap_or_else(|e| self.fail(e))
    }
}

impl IntoResponse for Visit {
    fn into_response(self) -> Response {
        self.fail(PageError::NotFound)
    }
}
