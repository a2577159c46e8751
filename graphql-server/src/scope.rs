//! Which movement a request is for. One server hosts every movement of its database:
//! `/m/{slug}/…` is the movement named by the slug, and every other path belongs to the default
//! movement, so that a deployment with one movement keeps its URLs. The prefix is taken off
//! before routing, and the request carries its `Scope`, from which every handler takes the
//! movement it works on: nothing else names a movement, so nothing can reach another one.

use crate::store::{Store, StoreError};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use governance_core::{OrganizationId, Slug};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::RwLock;
use tower::ServiceExt;

/// The movement a request is for, and the path prefix its links start with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub org: OrganizationId,
    /// `""` for the default movement at the root, `"/m/{slug}"` otherwise.
    pub root: Arc<str>,
}

impl Scope {
    /// The default movement, at the root.
    pub fn root(org: OrganizationId) -> Self {
        Self {
            org,
            root: Arc::from(""),
        }
    }

    /// Whether this is the movement served at the root.
    pub fn is_root(&self) -> bool {
        self.root.is_empty()
    }
}

/// The movements' slugs: those seen already, and the database for the others, so that a
/// movement founded by `gouvernail init` while the server runs is served at once. An unknown
/// slug costs one lookup in the slugs' unique index, as an unknown token does.
#[derive(Debug, Clone)]
pub struct Movements {
    store: Store,
    default: OrganizationId,
    known: Arc<RwLock<HashMap<String, OrganizationId>>>,
}

impl Movements {
    pub fn new(store: Store, default: OrganizationId) -> Self {
        Self {
            store,
            default,
            known: Arc::default(),
        }
    }

    /// The movement a slug names, if any.
    pub async fn find(&self, slug: &Slug) -> Result<Option<OrganizationId>, StoreError> {
        if let Some(org) = self.known.read().await.get(slug.as_str()) {
            return Ok(Some(*org));
        }
        let found = self.store.organization_by_slug(slug.as_str()).await?;
        if let Some(org) = found {
            self.known
                .write()
                .await
                .insert(slug.as_str().to_owned(), org);
        }
        Ok(found)
    }
}

/// `/m/{slug}/rest` → the slug and `/rest`; any other path → `None`.
fn split(path: &str) -> Option<(&str, &str)> {
    let after = path.strip_prefix("/m/")?;
    match after.find('/') {
        Some(i) => Some((&after[..i], &after[i..])),
        None => Some((after, "/")),
    }
}

/// The answer for a slug that names no movement: the API's shape under `/graphql`, a short
/// page elsewhere, in French unless the client asks for English.
fn unknown(rest: &str, headers: &axum::http::HeaderMap) -> Response {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(governance_core::messages::Lang::from_accept_language)
        .unwrap_or(governance_core::messages::Lang::Fr);
    let (fr, en) = (
        "Aucun mouvement à cette adresse.",
        "No movement at this address.",
    );
    let message = match lang {
        governance_core::messages::Lang::Fr => fr,
        governance_core::messages::Lang::En => en,
    };
    if rest.starts_with("/graphql") {
        let body = serde_json::json!({
            "errors": [{ "message": message, "extensions": { "code": "NOT_FOUND" } }]
        });
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// Wraps `router` so that every request reaches it with its `Scope`, and with the movement's
/// prefix taken off its path.
pub fn scoped(router: Router, movements: Movements) -> Router {
    let service = tower::service_fn(move |mut request: Request<Body>| {
        let router = router.clone();
        let movements = movements.clone();
        async move {
            let path = request.uri().path().to_owned();
            let Some((slug, rest)) = split(&path) else {
                request
                    .extensions_mut()
                    .insert(Scope::root(movements.default));
                return router.oneshot(request).await;
            };
            let org = match Slug::parse(slug) {
                Ok(s) => movements.find(&s).await,
                Err(_) => Ok(None),
            };
            let org = match org {
                Ok(Some(org)) => org,
                Ok(None) => return Ok(unknown(rest, request.headers())),
                Err(e) => {
                    let id = uuid::Uuid::now_v7();
                    tracing::error!(error_id = %id, error = %e, "finding a movement by slug failed");
                    return Ok(StatusCode::SERVICE_UNAVAILABLE.into_response());
                }
            };
            let target = match request.uri().query() {
                Some(q) => format!("{rest}?{q}"),
                None => rest.to_owned(),
            };
            match target.parse::<Uri>() {
                Ok(uri) => *request.uri_mut() = uri,
                Err(_) => return Ok(StatusCode::BAD_REQUEST.into_response()),
            }
            request.extensions_mut().insert(Scope {
                org,
                root: Arc::from(format!("/m/{slug}")),
            });
            router.oneshot(request).await
        }
    });
    Router::new().fallback_service(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_movement_prefix_is_split_from_the_path() {
        assert_eq!(split("/m/tilleuls/graphql"), Some(("tilleuls", "/graphql")));
        assert_eq!(split("/m/tilleuls"), Some(("tilleuls", "/")));
        assert_eq!(split("/m/tilleuls/"), Some(("tilleuls", "/")));
        assert_eq!(
            split("/m/tilleuls/decisions/1"),
            Some(("tilleuls", "/decisions/1"))
        );
        assert_eq!(split("/graphql"), None);
        assert_eq!(split("/mandats/1/engagement"), None);
        assert_eq!(split("/m"), None);
    }
}
