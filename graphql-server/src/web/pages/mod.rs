//! The pages, one module per entry of the navigation. Each reads and writes only through
//! `gql::run`; what a module adds is which operation it runs and how its answer is shown.

pub(super) mod coordination;
pub(super) mod decide;
pub(super) mod decisions;
pub(super) mod home;
pub(super) mod map;
pub(super) mod meetings;
pub(super) mod tensions;

use super::Web;
use axum::Router;
use serde::Deserialize;

/// The routes of the pages beyond the home page and the decision record.
pub(super) fn more_routes() -> Router<Web> {
    Router::new()
        .merge(map::routes())
        .merge(coordination::routes())
        .merge(decide::routes())
        .merge(tensions::routes())
        .merge(meetings::routes())
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// An id from a URL, or "not found" (a malformed id names nothing).
pub(super) fn parse_id(raw: &str) -> Result<uuid::Uuid, super::error::PageError> {
    uuid::Uuid::parse_str(raw).map_err(|_| super::error::PageError::NotFound)
}
