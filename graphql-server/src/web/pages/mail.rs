//! *Mes e-mails* and the one-click unsubscribe. The preferences page reads and writes through
//! the API as the signed-in member; the unsubscribe link works without signing in (the key in
//! the link is the credential, as mail clients follow it on their own), answering a GET with a
//! confirmation button and a POST (the button, or a mail client's RFC 8058 one-click request)
//! by unsubscribing.

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql;
use super::super::visit::Visit;
use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use governance_core::messages::ui;
use serde::Deserialize;
use serde_json::json;

pub(super) fn routes() -> Router<super::super::Shared> {
    Router::new()
        .route("/preferences", get(show).post(save))
        .route(
            "/desabonnement/{key}",
            get(confirm_unsubscribe).post(unsubscribe),
        )
}

#[derive(Template)]
#[template(path = "mail_preferences.html")]
struct PreferencesPage {
    chrome: Chrome,
    p: &'static ui::mail::Mail,
    cadence: String,
    reminders: bool,
    saved: bool,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    chrome: Chrome,
    p: &'static ui::mail::Mail,
    key: String,
    done: bool,
    invalid: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Prefs {
    mail_preferences: PrefsData,
}

#[derive(Debug, Deserialize)]
struct PrefsData {
    cadence: String,
    reminders: bool,
}

const READ: &str = "query { mailPreferences { cadence reminders } }";
const WRITE: &str = "mutation Set($cadence: Cadence!, $reminders: Boolean!) {
  setMailPreferences(cadence: $cadence, reminders: $reminders) { cadence reminders }
}";

async fn show(visit: Visit, RawQuery(query): RawQuery) -> Response {
    let page = async {
        let me = visit.member()?;
        let data: Prefs = gql::run(&visit.web, Some(me), visit.lang(), READ, json!({})).await?;
        let page = PreferencesPage {
            chrome: visit.frame(Nav::None),
            p: ui::pick(visit.lang(), &ui::mail::FR, &ui::mail::EN),
            cadence: data.mail_preferences.cadence,
            reminders: data.mail_preferences.reminders,
            saved: query.as_deref().is_some_and(|q| q.contains("ok=1")),
        };
        Ok::<_, PageError>(chrome::html(StatusCode::OK, &page))
    }
    .await;
    visit.answer(page)
}

/// The preferences form, as the browser sends it (an unchecked box sends nothing).
#[derive(Debug, Deserialize)]
struct PrefsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cadence: String,
    #[serde(default)]
    reminders: Option<String>,
}

async fn save(visit: Visit, Form(form): Form<PrefsForm>) -> Response {
    let done = async {
        let me = visit.member()?;
        visit.check_form(&form.csrf)?;
        let cadence = match form.cadence.as_str() {
            c @ ("DAILY" | "WEEKLY" | "NEVER") => c,
            _ => "WEEKLY",
        };
        let _: serde_json::Value = gql::run(
            &visit.web,
            Some(me),
            visit.lang(),
            WRITE,
            json!({ "cadence": cadence, "reminders": form.reminders.is_some() }),
        )
        .await?;
        Ok::<_, PageError>(visit.redirect("/preferences?ok=1"))
    }
    .await;
    visit.answer(done)
}

fn unsubscribe_page(visit: &Visit, status: StatusCode, key: String, done: bool) -> Response {
    let page = UnsubscribePage {
        chrome: visit.frame(Nav::None),
        p: ui::pick(visit.lang(), &ui::mail::FR, &ui::mail::EN),
        invalid: status == StatusCode::NOT_FOUND,
        key,
        done,
    };
    chrome::html(status, &page)
}

/// The link from an e-mail: a page with one button, so that a link scanner fetching it
/// unsubscribes no one.
async fn confirm_unsubscribe(visit: Visit, Path(key): Path<String>) -> Response {
    let db = visit.web.app.store.connection();
    match crate::outbox::preferences::find_by_key(db, visit.web.app.org, &key).await {
        Ok(Some(_)) => unsubscribe_page(&visit, StatusCode::OK, key, false),
        Ok(None) => unsubscribe_page(&visit, StatusCode::NOT_FOUND, String::new(), false),
        Err(e) => {
            tracing::error!(error = %e, "reading an unsubscribe key failed");
            visit.fail(PageError::Unavailable)
        }
    }
}

/// The button, or a mail client's one-click POST: no more digests nor reminders.
async fn unsubscribe(visit: Visit, Path(key): Path<String>) -> Response {
    let db = visit.web.app.store.connection();
    let org = visit.web.app.org;
    match crate::outbox::preferences::unsubscribe(db, org, &key, chrono::Utc::now()).await {
        Ok(Some(member)) => {
            tracing::info!(%member, "unsubscribed from e-mails");
            unsubscribe_page(&visit, StatusCode::OK, String::new(), true)
        }
        Ok(None) => unsubscribe_page(&visit, StatusCode::NOT_FOUND, String::new(), false),
        Err(e) => {
            tracing::error!(error = %e, "unsubscribing failed");
            visit.fail(PageError::Unavailable)
        }
    }
}
