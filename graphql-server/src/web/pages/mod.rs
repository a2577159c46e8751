//! The pages, one module per entry of the navigation. Each reads and writes only through
//! `gql::run`; what a module adds is which operation it runs and how its answer is shown.

pub(super) mod coordination;
pub(super) mod decide;
pub(super) mod decisions;
pub(super) mod home;
pub(super) mod mail;
pub(super) mod map;
pub(super) mod meetings;
pub(super) mod tensions;

use super::Shared;
use axum::Router;
use serde::Deserialize;

/// The routes of the pages beyond the home page and the decision record.
pub(super) fn more_routes() -> Router<Shared> {
    Router::new()
        .merge(map::routes())
        .merge(coordination::routes())
        .merge(decide::routes())
        .merge(tensions::routes())
        .merge(meetings::routes())
        .merge(mail::routes())
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// A button's POST on one record: checks the form first, runs `document` (whose one variable
/// is `$id`) as the signed-in member, and redirects to `then(id)` (post/redirect/get); a
/// refusal shows the error page with its message and route.
pub(super) async fn press(
    visit: &super::visit::Visit,
    csrf: &str,
    raw_id: &str,
    document: &'static str,
    then: impl FnOnce(uuid::Uuid) -> String,
) -> axum::response::Response {
    let done = async {
        let me = visit.member()?;
        visit.check_form(csrf)?;
        let id = parse_id(raw_id)?;
        let _: serde_json::Value = super::gql::run(
            &visit.web,
            Some(me),
            visit.lang(),
            document,
            serde_json::json!({ "id": id }),
        )
        .await?;
        Ok(visit.redirect(&then(id)))
    }
    .await;
    visit.answer(done)
}

/// An id from a URL, or "not found" (a malformed id names nothing).
pub(super) fn parse_id(raw: &str) -> Result<uuid::Uuid, super::error::PageError> {
    uuid::Uuid::parse_str(raw).map_err(|_| super::error::PageError::NotFound)
}
