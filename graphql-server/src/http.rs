//! The HTTP edge: `/graphql` (POST for queries and mutations, GET for GraphiQL, WebSocket for
//! subscriptions) and `/health`, with the limits a public server needs: body size, batching off,
//! a per-request timeout, rate limits per token and per IP address, and a request id in every
//! log line. Errors keep the GraphQL shape, with a stable `extensions.code`.

use crate::api::{self, ApiError, AppData, Caller, Code, RequestData};
use crate::auth;
use crate::scope::Scope;
use crate::store::Fence;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Data, Response as GqlResponse, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Extension, FromRequestParts, State, WebSocketUpgrade};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use governance_core::messages::Lang;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Limits of the HTTP edge.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// Requests per minute allowed to one token.
    pub per_token_per_minute: u32,
    /// Requests per minute allowed from one IP address.
    pub per_ip_per_minute: u32,
    pub introspection: bool,
    /// The bounds of one GraphQL document.
    pub document: crate::budget::DocumentLimits,
    /// Connections, and how long a client may take to send its headers.
    pub connections: crate::conn::ConnectionLimits,
    /// How long a client may take to send a request's body.
    pub body_timeout: Duration,
    /// Subscriptions open at once under one token.
    pub subscriptions_per_token: usize,
    /// The web pages served beside the API.
    pub web: crate::web::WebConfig,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 256 * 1024,
            request_timeout: Duration::from_secs(10),
            per_token_per_minute: 600,
            per_ip_per_minute: 1_200,
            introspection: true,
            document: crate::budget::DocumentLimits::default(),
            connections: crate::conn::ConnectionLimits::default(),
            body_timeout: Duration::from_secs(10),
            subscriptions_per_token: 16,
            web: crate::web::WebConfig::default(),
        }
    }
}

#[derive(Clone)]
struct Edge {
    schemas: api::Schemas,
    app: AppData,
    limits: HttpLimits,
    per_token: Arc<DefaultKeyedRateLimiter<String>>,
    per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Documents already measured and parsed (see `documents`).
    documents: crate::documents::Documents,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).expect("at least one"))
}

/// Builds the router.
pub fn router(schemas: api::Schemas, app: AppData, limits: HttpLimits) -> Router {
    let pages = crate::web::router(schemas.http.clone(), app.clone(), limits.web.clone());
    let calendars = crate::calendar::router(app.clone(), limits.per_ip_per_minute);
    let edge = Edge {
        schemas,
        app,
        per_token: Arc::new(RateLimiter::keyed(quota(limits.per_token_per_minute))),
        per_ip: Arc::new(RateLimiter::keyed(quota(limits.per_ip_per_minute))),
        documents: crate::documents::Documents::new(limits.document),
        limits,
    };
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/health", get(health))
        .route("/graphiql/{name}", get(crate::console::file))
        .with_state(edge)
        .merge(calendars)
        .merge(pages)
}

fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or(Lang::En)
}

/// A GraphQL-shaped error response with an HTTP status.
fn error_response(status: StatusCode, error: ApiError) -> Response {
    // An error of the HTTP edge has no place in the query: no `locations`.
    let err = async_graphql::ServerError {
        message: error.message.clone(),
        source: None,
        locations: Vec::new(),
        path: Vec::new(),
        extensions: error.clone().into_gql().extensions,
    };
    let body = serde_json::json!({ "errors": [err] });
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
    }
    response
}

/// The token of an `Authorization: Bearer` header; `Err` when the header is there but is not a
/// bearer token, which is refused rather than silently treated as no token.
fn bearer(headers: &HeaderMap) -> Result<Option<&str>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, token) = value.split_once(' ').ok_or(())?;
    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
        Ok(Some(token.trim()))
    } else {
        Err(())
    }
}

/// Gives every error a code: the engine's own validation errors (depth, complexity, syntax)
/// come from async-graphql without one.
fn with_codes(mut response: GqlResponse, lang: Lang) -> GqlResponse {
    for e in &mut response.errors {
        // A message built in both languages: keep the caller's, drop the carrier.
        if let Some(ext) = e.extensions.as_mut()
            && let Some(french) = ext.get(crate::api::error::FRENCH).cloned()
        {
            ext.unset(crate::api::error::FRENCH);
            if lang == Lang::Fr
                && let async_graphql::Value::String(fr) = french
            {
                e.message = fr;
            }
        }
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if has_code {
            continue;
        }
        let code = if e.message.contains("nested too deep")
            || e.message.contains("too complex")
            || e.message.contains("too many")
        {
            Code::LimitExceeded
        } else {
            Code::BadRequest
        };
        let ext = e.extensions.get_or_insert_with(Default::default);
        ext.set("code", code.as_str());
        if lang == Lang::Fr && code == Code::LimitExceeded {
            e.message = format!("la requête dépasse une limite du serveur ({})", e.message);
        }
    }
    response
}

async fn graphql_post(
    State(edge): State<Edge>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    use tracing::Instrument;
    let request_id = uuid::Uuid::now_v7();
    let span = tracing::info_span!("graphql", %request_id, peer = %peer.ip());
    let app = edge.app.for_movement(scope.org);
    let mut response = handle_post(edge, app, peer, headers, body)
        .instrument(span)
        .await;
    if let Ok(id) = header::HeaderValue::from_str(&request_id.to_string()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), id);
    }
    response
}

/// Reads a body that did not read as one request with a query, and says why: not JSON, a
/// batch, no `query`; or, when it is a request after all (an empty query), hands it on, and the
/// engine answers as it answers any document that does not parse.
fn malformed(bytes: &[u8], lang: Lang) -> Result<async_graphql::Request, Box<Response>> {
    let refuse = |error: ApiError| Box::new(error_response(StatusCode::BAD_REQUEST, error));
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| refuse(ApiError::new(Code::BadRequest, lang)))?;
    if value.is_array() {
        let msg = match lang {
            Lang::En => "batched requests are not accepted: send one operation per request",
            Lang::Fr => "les requêtes groupées ne sont pas acceptées : une opération par requête",
        };
        return Err(refuse(
            ApiError::new(Code::LimitExceeded, lang).with_message(msg),
        ));
    }
    // The GraphQL library reads a missing `query` as an empty one and answers 200 with a parse
    // error; a body without a query is not a GraphQL request at all.
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        let msg = match lang {
            Lang::En => "the request has no `query`: send {\"query\": \"…\"}",
            Lang::Fr => "la requête n'a pas de champ `query` : envoyez {\"query\": \"…\"}",
        };
        return Err(refuse(
            ApiError::new(Code::BadRequest, lang).with_message(msg),
        ));
    }
    serde_json::from_value(value).map_err(|_| refuse(ApiError::new(Code::BadRequest, lang)))
}

async fn handle_post(
    edge: Edge,
    app: AppData,
    peer: SocketAddr,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let lang = lang_of(&headers);
    if edge.per_ip.check_key(&peer.ip()).is_err() {
        return error_response(
            StatusCode::TOO_MANY_REQUESTS,
            ApiError::new(Code::RateLimited, lang).with("scope", "ip"),
        );
    }
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::new(Code::LimitExceeded, lang)
                .with("maxBodyBytes", edge.limits.max_body_bytes as i64),
        )
    };
    // A body announced over the limit is refused before a byte of it is read.
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    match announced {
        Some(Ok(n)) if n > edge.limits.max_body_bytes as u64 => return too_large(),
        Some(Err(_)) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::new(Code::BadRequest, lang),
            );
        }
        _ => {}
    }
    // A body sent a byte at a time is cut off: the client has `body_timeout` to send it all.
    let read = axum::body::to_bytes(body, edge.limits.max_body_bytes);
    let bytes = match tokio::time::timeout(edge.limits.body_timeout, read).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            tracing::info!("request body too slow: cut off");
            return error_response(
                StatusCode::REQUEST_TIMEOUT,
                ApiError::new(Code::Timeout, lang),
            );
        }
    };
    // Most bodies are one well-formed request, read straight into the engine's type; only a
    // body that is not gets read a second time, to say what is wrong with it.
    let request = match serde_json::from_slice::<async_graphql::Request>(&bytes) {
        Ok(r) if !r.query.is_empty() => r,
        _ => match malformed(&bytes, lang) {
            Ok(r) => r,
            Err(refusal) => return *refusal,
        },
    };
    // The document's cost is bounded before anything else is done with it (see `budget`);
    // introspection is read from its fields, never from its text.
    let mut request = request;
    let prepared = edge.documents.prepare(&request.query);
    let mutation = prepared.as_ref().is_ok_and(|p| p.measure.mutation);
    match &prepared {
        Ok(p) if p.measure.introspection && !edge.limits.introspection => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::new(Code::IntrospectionDisabled, lang),
            );
        }
        Ok(_) | Err(crate::budget::BudgetError::Syntax(_)) => {}
        Err(e) => {
            tracing::info!(error = %e, "document refused by its budget");
            return error_response(StatusCode::BAD_REQUEST, ApiError::budget(e, lang));
        }
    }
    // The engine takes the parsed form instead of parsing the text again.
    if let Ok(p) = &prepared {
        request.set_parsed_query(p.document.clone());
    }
    // One fence for the request: the token's check and the resolvers' reads share its head.
    let fence = Fence::default();
    let caller = match bearer(&headers) {
        Err(()) => {
            return error_response(
                StatusCode::UNAUTHORIZED,
                ApiError::new(Code::Unauthenticated, lang).with_message(match lang {
                    Lang::En => "the Authorization header must be `Bearer <token>`",
                    Lang::Fr => "l'en-tête Authorization doit être `Bearer <jeton>`",
                }),
            );
        }
        Ok(None) => Caller::Outsider,
        Ok(Some(token)) => {
            if edge.per_token.check_key(&auth::hash(token)).is_err() {
                return error_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    ApiError::new(Code::RateLimited, lang).with("scope", "token"),
                );
            }
            match auth::authenticate_scoped(&app.store, app.org, token, &fence).await {
                // A read-only token is refused on every mutation, before it runs.
                Ok(Some(a)) if a.read_only && mutation => {
                    return error_response(
                        StatusCode::FORBIDDEN,
                        ApiError::new(Code::ReadOnlyToken, lang),
                    );
                }
                Ok(Some(a)) => Caller::Member(a.member),
                Ok(None) => {
                    return error_response(
                        StatusCode::UNAUTHORIZED,
                        ApiError::new(Code::Unauthenticated, lang).with_message(match lang {
                            Lang::En => "this token is unknown, revoked, or its member has left",
                            Lang::Fr => "ce jeton est inconnu, révoqué, ou sa personne a quitté le mouvement",
                        }),
                    );
                }
                Err(e) => {
                    return error_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        ApiError::internal(&e, lang),
                    );
                }
            }
        }
    };
    let token_hash = bearer(&headers).ok().flatten().map(auth::digest);
    let request = request.data(app).data(fence).data(RequestData {
        caller,
        lang,
        transport: api::Transport::Http,
        token_hash,
    });
    let response = match tokio::time::timeout(
        edge.limits.request_timeout,
        edge.schemas.http.execute(request),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!("request timed out");
            return error_response(
                StatusCode::GATEWAY_TIMEOUT,
                ApiError::new(Code::Timeout, lang),
            );
        }
    };
    let response = with_codes(response, lang);
    if !response.errors.is_empty() {
        let codes: Vec<String> = response
            .errors
            .iter()
            .filter_map(|e: &ServerError| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .map(|c| c.to_string().trim_matches('"').to_owned())
            })
            .collect();
        tracing::info!(codes = %codes.join(","), "request answered with errors");
    }
    let body = serde_json::to_string(&response).unwrap_or_else(|_| "{}".into());
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn graphql_get(
    State(edge): State<Edge>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(scope): Extension<Scope>,
    request: Request<Body>,
) -> Response {
    let is_ws = request
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if !is_ws {
        return crate::console::page();
    }
    let lang = lang_of(request.headers());
    // An upgrade is a request like any other: the same rate limit per address applies.
    if edge.per_ip.check_key(&peer.ip()).is_err() {
        return error_response(
            StatusCode::TOO_MANY_REQUESTS,
            ApiError::new(Code::RateLimited, lang).with("scope", "ip"),
        );
    }
    let (mut parts, _) = request.into_parts();
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &edge).await {
        Ok(p) => p,
        Err(status) => return status.into_response(),
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &edge).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let schema = edge.schemas.socket.clone();
    let app = edge.app.for_movement(scope.org);
    // The socket keeps the connection's place under the caps for as long as it lives.
    let guard = parts
        .extensions
        .get::<crate::conn::ConnectionGuard>()
        .cloned();
    let max_message = edge.limits.max_body_bytes;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .on_upgrade(move |socket| async move {
            // Held until the socket ends.
            let _guard = guard;
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = ["Authorization", "authorization"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
                        .map(|v| v.trim_start_matches("Bearer ").trim().to_owned());
                    let caller = match &token {
                        Some(t) => match auth::authenticate(&app.store, app.org, t).await {
                            Ok(Some(m)) => Caller::Member(m),
                            _ => {
                                return Err(ApiError::new(Code::Unauthenticated, lang).into_gql());
                            }
                        },
                        None => Caller::Outsider,
                    };
                    let mut data = Data::default();
                    data.insert(app);
                    data.insert(RequestData {
                        caller,
                        lang,
                        transport: api::Transport::WebSocket,
                        token_hash: token.as_deref().map(auth::digest),
                    });
                    Ok(data)
                })
                .serve()
                .await
        })
}

async fn health(State(edge): State<Edge>, Extension(scope): Extension<Scope>) -> Response {
    let chain = edge.app.chain.last(scope.org);
    match edge.app.store.read(scope.org, None).await {
        // A chain found broken takes the server out of a load balancer's rotation.
        Ok(s) if chain.as_ref().is_some_and(|c| !c.intact) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(
                serde_json::json!({ "status": "tampered", "revision": s.revision, "chain": chain }),
            ),
        )
            .into_response(),
        Ok(s) => axum::Json(
            serde_json::json!({ "status": "ok", "revision": s.revision, "chain": chain }),
        )
        .into_response(),
        Err(e) => {
            let id = uuid::Uuid::now_v7();
            tracing::error!(error_id = %id, error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(
                    serde_json::json!({ "status": "unavailable", "errorId": id.to_string() }),
                ),
            )
                .into_response()
        }
    }
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: crate::conn::ConnectionLimits,
) -> std::io::Result<()> {
    let router = router.layer(tower_http::trace::TraceLayer::new_for_http());
    crate::conn::serve(listener, router, limits, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Builds the schema and the router for a movement.
pub fn app(
    store: crate::store::Store,
    org: governance_core::OrganizationId,
    limits: HttpLimits,
) -> Router {
    app_watched(store, org, limits, api::ChainWatch::default())
}

/// The same, with the chain verifications `/health` reports.
pub fn app_watched(
    store: crate::store::Store,
    org: governance_core::OrganizationId,
    limits: HttpLimits,
    chain: api::ChainWatch,
) -> Router {
    let data = AppData {
        store: store.clone(),
        org,
        max_page: 100,
        subscriptions: api::SubscriptionSlots::new(limits.subscriptions_per_token),
        chain,
        base_url: limits.web.base_url.trim_end_matches('/').into(),
    };
    let schemas = api::schemas(
        data.clone(),
        api::SchemaLimits {
            introspection: limits.introspection,
            document: limits.document,
            ..Default::default()
        },
    );
    let movements = crate::scope::Movements::new(store, org);
    crate::scope::scoped(router(schemas, data, limits), movements)
}
