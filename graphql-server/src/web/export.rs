//! `/export/{what}.csv`: decisions, mandates or tensions as a CSV file to open in a
//! spreadsheet. The file is what the API's `exportCsv` gives the reader, run in-process like
//! every page: the signed-in member (by the session cookie, or by an `Authorization: Bearer`
//! token for scripts), or an outsider, who gets the published decisions only (R17) and is
//! refused mandates and tensions.

use super::gql;
use super::visit::Visit;
use crate::api::Code;
use crate::export::csv::What;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use governance_core::MemberId;
use serde::Deserialize;
use serde_json::json;

const EXPORT: &str = "query Export($what: ExportKind!) { exportCsv(what: $what) }";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    export_csv: String,
}

fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The reader: the session's member, else a bearer token's; `Err` for a token that is given
/// but opens nothing (refused, rather than read as an outsider's request).
async fn reader(visit: &Visit) -> Result<Option<MemberId>, Response> {
    if let Some(m) = visit.reader() {
        return Ok(Some(m));
    }
    let Some(value) = visit.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_owned());
    let app = &visit.web.app;
    let found = match token {
        Some(t) => crate::auth::authenticate(&app.store, app.org, &t).await,
        None => Ok(None),
    };
    match found {
        Ok(Some(m)) => Ok(Some(m)),
        Ok(None) => Err(plain(
            StatusCode::UNAUTHORIZED,
            governance_core::messages::code_message(Code::Unauthenticated, visit.lang()).into(),
        )),
        Err(e) => {
            tracing::error!(error = %e, "a token could not be checked");
            Err(plain(
                StatusCode::SERVICE_UNAVAILABLE,
                governance_core::messages::code_message(Code::Internal, visit.lang()).into(),
            ))
        }
    }
}

pub(super) async fn csv(visit: Visit, Path(file): Path<String>) -> Response {
    let Some(what) = file.strip_suffix(".csv").and_then(What::parse) else {
        return visit.fail(super::error::PageError::NotFound);
    };
    let member = match reader(&visit).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let kind = match what {
        What::Decisions => "DECISIONS",
        What::Mandates => "MANDATES",
        What::Tensions => "TENSIONS",
    };
    let answer: Result<Data, _> = gql::run(
        &visit.web,
        member,
        visit.lang(),
        EXPORT,
        json!({ "what": kind }),
    )
    .await;
    match answer {
        Ok(d) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.csv\"", what.name()),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            d.export_csv,
        )
            .into_response(),
        Err(refused) => {
            let status = match refused.code {
                Code::Unauthenticated => StatusCode::UNAUTHORIZED,
                Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::BAD_REQUEST,
            };
            plain(status, format!("{}\n", refused.message))
        }
    }
}
