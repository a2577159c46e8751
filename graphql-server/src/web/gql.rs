//! The pages' only way to the movement: a GraphQL operation run in-process against the API's
//! own schema, as the signed-in member (or as an outsider), in the page's language. So a page
//! reads exactly what the API lets that person read (R11, R17) and writes only what the core
//! accepts; a refusal comes back with the API's code, French wording and escalation route.
//! The operation runs on the visit's movement: its `AppData` goes with the request, as the
//! `/graphql` edge's does, so the schema's own (the default movement's) is never the one read.

use super::Web;
use crate::api::{Caller, Code, RequestData, Transport};
use governance_core::MemberId;
use governance_core::messages::Lang;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// One step of an escalation route, as a refusal names it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RouteStep {
    #[allow(dead_code, reason = "kept for the escalation form")]
    pub unit_id: String,
    pub unit_name: String,
}

/// What the API answered instead of data.
#[derive(Debug, Clone)]
pub(super) struct Refused {
    pub code: Code,
    pub message: String,
    pub route: Vec<RouteStep>,
}

/// Runs `document` with `variables` as `member` (or an outsider) and reads the data as `T`.
pub(super) async fn run<T: DeserializeOwned>(
    web: &Web,
    member: Option<MemberId>,
    lang: Lang,
    document: &'static str,
    variables: serde_json::Value,
) -> Result<T, Refused> {
    let request = async_graphql::Request::new(document)
        .variables(async_graphql::Variables::from_json(variables))
        .data(web.app.clone())
        // The reads of one operation are held to one head (ADR 0007); a page may run several
        // operations, each fenced on its own, as several API requests would be.
        .data(crate::store::Fence::default())
        .data(RequestData {
            caller: member.map_or(Caller::Outsider, Caller::Member),
            lang,
            transport: Transport::Http,
            token_hash: None,
        });
    let response = web.shared.schema.execute(request).await;
    if let Some(first) = response.errors.first() {
        let ext = first.extensions.as_ref();
        let code = ext
            .and_then(|x| x.get("code"))
            .and_then(|v| match v {
                async_graphql::Value::String(s) => Code::parse(s),
                async_graphql::Value::Enum(s) => Code::parse(s.as_str()),
                _ => None,
            })
            .unwrap_or(Code::Internal);
        // The API keeps the French wording beside the English one; the page picks its own.
        let message = match (lang, ext.and_then(|x| x.get(crate::api::error::FRENCH))) {
            (Lang::Fr, Some(async_graphql::Value::String(fr))) => fr.clone(),
            _ => first.message.clone(),
        };
        let route = ext
            .and_then(|x| x.get("escalateTo"))
            .and_then(|v| v.clone().into_json().ok())
            .and_then(|j| serde_json::from_value(j).ok())
            .unwrap_or_default();
        if code == Code::Internal {
            tracing::error!(message = %first.message, "a page's operation failed");
        }
        return Err(Refused {
            code,
            message,
            route,
        });
    }
    let json = response.data.into_json().map_err(|e| internal(lang, &e))?;
    serde_json::from_value(json).map_err(|e| internal(lang, &e))
}

fn internal(lang: Lang, e: &dyn std::fmt::Display) -> Refused {
    tracing::error!(error = %e, "a page could not read the API's answer");
    Refused {
        code: Code::Internal,
        message: governance_core::messages::code_message(Code::Internal, lang).to_owned(),
        route: Vec::new(),
    }
}
