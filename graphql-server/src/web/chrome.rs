//! What every page shares: the language picked from `Accept-Language` (French unless the
//! browser prefers English), the navigation, who is signed in, the CSRF token of its forms, the
//! stylesheet, and the headers every HTML answer carries. The stylesheet is the same for every
//! movement: it stays at `/style.css`, the one address of a page not under the movement's root.

use super::Web;
use super::session::Session;
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use governance_core::messages::{Lang, ui};

/// The stylesheet: small, ours, cached by the browser.
const STYLESHEET: &str = include_str!("../../assets/style.css");

/// Where the page sits in the navigation, to mark it `aria-current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Nav {
    Home,
    Decisions,
    Map,
    Decide,
    Tensions,
    Meetings,
    Coordination,
    Public,
    SignIn,
    None,
}

/// The frame around a page's content.
#[derive(Debug, Clone)]
pub(super) struct Chrome {
    pub lang: Lang,
    pub t: &'static ui::common::Common,
    pub nav: Nav,
    /// The signed-in member's name.
    pub who: Option<String>,
    /// The token every form of the page carries.
    pub csrf: String,
    /// A one-line confirmation to show above the content ("C'est noté ...").
    pub flash: Option<String>,
    /// The movement's time zone (a setting, R19), in which every date of the page is shown.
    pub tz: chrono_tz::Tz,
    /// The movement's prefix (`""` at the root, `/m/{slug}`): templates put it before every
    /// address of a page, and the addresses built in Rust (`href` fields) are paths within the
    /// movement, which the templates prefix the same way.
    pub root: std::sync::Arc<str>,
    /// The movement's name, beside the site's: one server serves many movements, and a person
    /// in two of them sees which one a page is of.
    pub movement: String,
}

impl Chrome {
    /// Whether the page is the navigation entry `name` (for `aria-current`).
    pub fn here(&self, name: &str) -> bool {
        let at = match self.nav {
            Nav::Home => "home",
            Nav::Decisions => "decisions",
            Nav::Map => "map",
            Nav::Decide => "decide",
            Nav::Tensions => "tensions",
            Nav::Meetings => "meetings",
            Nav::Coordination => "coordination",
            Nav::Public => "public",
            Nav::SignIn => "signin",
            Nav::None => "",
        };
        at == name
    }

    pub fn signed_in(&self) -> bool {
        self.who.is_some()
    }
}

/// The page's language: French first; English only when the browser's first choice is English
/// (a browser set to German or Arabic reads French, the movement's language).
pub(super) fn lang(headers: &HeaderMap) -> Lang {
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if first.starts_with("en") {
        Lang::En
    } else {
        Lang::Fr
    }
}

/// The frame for a request: its language, the signed-in member's name and CSRF token.
pub(super) async fn frame(
    web: &Web,
    headers: &HeaderMap,
    session: Option<&Session>,
    nav: Nav,
    signed_out_csrf: &str,
) -> Chrome {
    let lang = lang(headers);
    let (who, tz, movement) = match web.app.store.read(web.app.org, None).await {
        Ok(state) => {
            let now = crate::store::codec::micros(chrono::Utc::now());
            (
                session.and_then(|s| state.movement.member(s.member).map(|m| m.name.to_string())),
                state.movement.settings_at(now).time_zone,
                state.movement.organization().name.to_string(),
            )
        }
        Err(_) => (None, chrono_tz::Europe::Paris, String::new()),
    };
    Chrome {
        lang,
        t: ui::pick(lang, &ui::common::FR, &ui::common::EN),
        nav,
        who,
        csrf: session.map_or_else(|| signed_out_csrf.to_owned(), |s| s.csrf.clone()),
        flash: None,
        tz,
        root: web.root.clone(),
        movement,
    }
}

/// Renders a template into an HTML answer with the headers every page carries: no framing by
/// other sites, no script from elsewhere, no caching of a member's page by a shared computer.
pub(super) fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut r = (status, body).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                     script-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                     base-uri 'none'",
                ),
            );
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(
                header::VARY,
                HeaderValue::from_static("Accept-Language, Cookie"),
            );
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "a page did not render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub(super) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    /// Every address a template writes (`href`, `action`, `src`) starts with the movement's
    /// root, so that a page under `/m/{slug}/` never links to another movement's; only the
    /// stylesheet, the same for all, and in-page anchors are exempt.
    #[test]
    fn every_address_in_the_templates_starts_with_the_root() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("the templates directory") {
            let path = entry.expect("a template").path();
            let text = std::fs::read_to_string(&path).expect("a readable template");
            for attribute in ["href=\"", "action=\"", "src=\""] {
                for (at, _) in text.match_indices(attribute) {
                    let value = &text[at + attribute.len()..];
                    seen += 1;
                    assert!(
                        value.starts_with("{{ chrome.root }}")
                            || value.starts_with("/style.css\"")
                            || value.starts_with('#'),
                        "{}: {attribute}{}",
                        path.display(),
                        &value[..value.find('"').unwrap_or(value.len()).min(60)]
                    );
                }
            }
        }
        assert!(
            seen > 40,
            "only {seen} addresses found: is the directory right?"
        );
    }
}
