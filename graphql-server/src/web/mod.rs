//! The web interface: pages in French (English when the browser asks), rendered on the server
//! from compile-time-checked templates, usable without JavaScript, beside `/graphql` on the same
//! port. The pages have no rule of their own: every read and every write is a GraphQL operation
//! run in-process against the same schema, store and core as the API, as the signed-in member
//! (see `gql`). What is the web's own: sessions opened by e-mail links, CSRF, and rendering.
//!
//! Each movement has its pages under its prefix (`/m/{slug}/…`, the default one at the root):
//! a request's `Scope` names the movement every handler works on and the root every link,
//! form, redirect and cookie path starts with (see `Shared::for_scope`). Sessions and CSRF
//! cookies are one movement's: named after it, sent back only under its prefix.

mod chrome;
mod error;
mod export;
mod gql;
pub mod mail;
mod pages;
mod session;
mod signin;
mod time;
mod visit;

pub use mail::{Mailer, MailerError};
pub use signin::issue_link;

use crate::api::{AppData, GouvernailSchema};
use crate::scope::Scope;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// How the web interface is set up.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people reach the server at, used in the links sent by e-mail.
    pub base_url: String,
    /// Where sign-in links go; without it, they are only written to the server's log.
    pub mailer: Option<Mailer>,
    /// How long a sign-in link stays valid.
    pub link_ttl: Duration,
    /// A session unused for this long is closed.
    pub session_idle: Duration,
    /// Sign-in requests allowed per address and per client, per quarter of an hour.
    pub signin_per_address: u32,
    pub signin_per_client: u32,
    /// Page requests allowed from one client address per minute (each runs a GraphQL
    /// operation, so pages share the API's bound per address).
    pub pages_per_client_per_minute: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            mailer: None,
            link_ttl: Duration::from_secs(15 * 60),
            session_idle: Duration::from_secs(2 * 60 * 60),
            signin_per_address: 5,
            signin_per_client: 20,
            pages_per_client_per_minute: 1_200,
        }
    }
}

impl WebConfig {
    /// Whether cookies must be marked `Secure` (the server is reached over HTTPS).
    fn secure(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// What the pages of every movement share: the schema, the configuration, the limiters (a
/// client's budget is the same whichever movement it reads), and the server's data, from which
/// a movement's is made. The router's state: a handler reaches a movement only through
/// `Shared::for_scope`, which `Visit` calls with the request's `Scope`.
#[derive(Clone)]
pub(crate) struct Shared {
    schema: GouvernailSchema,
    /// The server's data; its `org` is the default movement's, so it is never used as is: only
    /// `for_scope` reads it.
    server: AppData,
    config: Arc<WebConfig>,
    per_address: Arc<DefaultKeyedRateLimiter<String>>,
    per_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    per_page_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Requests since the limiters last forgot their idle keys.
    since_cleanup: Arc<std::sync::atomic::AtomicU32>,
}

impl Shared {
    /// The pages of the movement a request is for.
    pub(crate) fn for_scope(&self, scope: &Scope) -> Web {
        Web {
            app: self.server.for_movement(scope.org),
            root: scope.root.clone(),
            shared: self.clone(),
        }
    }

    /// Keyed limiters keep one entry per key they ever saw; every so often, the entries that
    /// are back to a full budget are dropped, so that memory follows recent traffic only.
    fn forget_old_keys(&self) {
        use std::sync::atomic::Ordering;
        if self.since_cleanup.fetch_add(1, Ordering::Relaxed) % 1_024 == 1_023 {
            self.per_address.retain_recent();
            self.per_client.retain_recent();
            self.per_page_client.retain_recent();
        }
    }
}

/// What every page handler reaches: one movement's data and the prefix of its addresses.
#[derive(Clone)]
pub(crate) struct Web {
    /// The movement of the request's `Scope`: every read, write and session is this one's.
    app: AppData,
    /// `""` at the root, `"/m/{slug}"` otherwise: every link, form and redirect starts with it.
    root: Arc<str>,
    shared: Shared,
}

impl Web {
    fn config(&self) -> &WebConfig {
        &self.shared.config
    }

    fn forget_old_keys(&self) {
        self.shared.forget_old_keys();
    }
}

fn per_quarter_hour(n: u32) -> Quota {
    let n = NonZeroU32::new(n.max(1)).expect("at least one");
    Quota::with_period(Duration::from_secs(15 * 60) / n.get())
        .expect("a positive period")
        .allow_burst(n)
}

/// A form's body: a decision's texts (statement, rationale, four consultations, each at most
/// 20 000 characters, percent-encoded) are the largest thing a page sends.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// Every page request counts against its client's budget before any work is done: a page runs
/// a GraphQL operation in-process, which the `/graphql` edge's own limit does not see.
async fn limit_pages(
    axum::extract::State(web): axum::extract::State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    web.forget_old_keys();
    if let Some(ip) = peer
        && web.per_page_client.check_key(&ip).is_err()
    {
        let lang = chrome::lang(request.headers());
        let t = governance_core::messages::ui::pick(
            lang,
            &governance_core::messages::ui::common::FR,
            &governance_core::messages::ui::common::EN,
        );
        return (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            [
                (axum::http::header::RETRY_AFTER, "60"),
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; charset=utf-8",
                ),
            ],
            t.too_many,
        )
            .into_response();
    }
    next.run(request).await
}

/// Any other address: the error page, in the visitor's language.
async fn not_found(visit: visit::Visit) -> axum::response::Response {
    visit.fail(error::PageError::NotFound)
}

/// The web routes, to merge beside `/graphql`.
pub fn router(schema: GouvernailSchema, app: AppData, config: WebConfig) -> Router {
    let shared = Shared {
        schema,
        server: app,
        per_address: Arc::new(RateLimiter::keyed(per_quarter_hour(
            config.signin_per_address,
        ))),
        per_client: Arc::new(RateLimiter::keyed(per_quarter_hour(
            config.signin_per_client,
        ))),
        per_page_client: Arc::new(RateLimiter::keyed(Quota::per_minute(
            NonZeroU32::new(config.pages_per_client_per_minute.max(1)).expect("at least one"),
        ))),
        config: Arc::new(config),
        since_cleanup: Arc::default(),
    };
    Router::new()
        .route("/", get(pages::home::show))
        .route("/lu", post(pages::home::mark_read))
        .route("/mandats/{id}/engagement", post(pages::home::commit))
        .route("/connexion", get(signin::form).post(signin::request))
        .route("/connexion/lien/{secret}", get(signin::follow))
        .route("/deconnexion", post(signin::sign_out))
        .route("/releve", get(pages::decisions::list))
        .route("/decisions/{id}", get(pages::decisions::show))
        .route("/public", get(pages::decisions::public))
        .route("/export/{file}", get(export::csv))
        .route("/style.css", get(chrome::stylesheet))
        .merge(pages::more_routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            limit_pages,
        ))
        .with_state(shared)
}
