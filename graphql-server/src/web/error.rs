//! Why a page could not be shown, and the page that says so (in the visit's language, with a
//! status a browser and a crawler understand). Never internals: the log has those.

use super::chrome::{self, Chrome};
use super::gql::Refused;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What went wrong.
#[derive(Debug, Clone, thiserror::Error)]
pub(super) enum PageError {
    #[error("not found")]
    NotFound,
    #[error("sign-in needed")]
    SignInNeeded,
    #[error("form expired or forged")]
    FormExpired,
    #[error("too many requests")]
    TooMany,
    #[error("unavailable")]
    Unavailable,
    /// The API refused: its message, already in the page's language.
    #[error("{}", .0.message)]
    Refused(Refused),
}

impl From<Refused> for PageError {
    fn from(r: Refused) -> Self {
        use crate::api::Code;
        match r.code {
            Code::NotFound => PageError::NotFound,
            Code::Unauthenticated => PageError::SignInNeeded,
            Code::RateLimited => PageError::TooMany,
            Code::Internal | Code::Timeout => PageError::Unavailable,
            _ => PageError::Refused(r),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: &'a Chrome,
    message: String,
    /// Where a refused decision must go instead (R9), first step first.
    route: Vec<String>,
}

impl PageError {
    pub fn render(&self, chrome: &Chrome) -> Response {
        let t = chrome.t;
        let route = match self {
            PageError::Refused(r) => r.route.iter().map(|s| s.unit_name.clone()).collect(),
            _ => Vec::new(),
        };
        let (status, message) = match self {
            PageError::SignInNeeded => {
                let to = format!("{}/connexion", chrome.root);
                return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
            }
            PageError::NotFound => (StatusCode::NOT_FOUND, t.not_found.to_owned()),
            PageError::FormExpired => (StatusCode::FORBIDDEN, t.form_expired.to_owned()),
            PageError::TooMany => (StatusCode::TOO_MANY_REQUESTS, t.too_many.to_owned()),
            PageError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, t.unavailable.to_owned()),
            PageError::Refused(r) => (StatusCode::UNPROCESSABLE_ENTITY, r.message.clone()),
        };
        chrome::html(
            status,
            &ErrorPage {
                chrome,
                message,
                route,
            },
        )
    }
}
