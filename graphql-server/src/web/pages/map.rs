//! *Qui décide quoi*: the authority map (R15) per unit and domain, today or at a day chosen in
//! a plain date field: who holds each domain, in which role and until when, and for a domain
//! nobody holds, where its decisions go instead.

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql;
use super::super::time;
use super::super::visit::Visit;
use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use governance_core::messages::{Lang, ui};
use serde::Deserialize;
use serde_json::json;

pub(super) fn routes() -> Router<super::super::Shared> {
    Router::new().route("/carte", get(show))
}

const MAP: &str = "query Map($at: DateTime) {
  units(activeAt: $at) { id name kind }
  authorityMap(at: $at) {
    unitId domain
    holders { memberName role until }
    unheldRoute { unitName unitKind holders }
  }
}";

/// The date field, as the form sends it.
#[derive(Debug, Default, Deserialize)]
pub(in crate::web) struct Chosen {
    #[serde(default)]
    date: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MapData {
    units: Vec<UnitKind>,
    authority_map: Vec<Row>,
}

#[derive(Debug, Deserialize)]
struct UnitKind {
    id: String,
    name: String,
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    unit_id: String,
    domain: String,
    holders: Vec<HolderRow>,
    unheld_route: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HolderRow {
    member_name: String,
    role: String,
    until: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    unit_name: String,
    unit_kind: String,
    holders: Vec<String>,
}

/// A unit and its domains, as the page shows them.
#[derive(Debug)]
struct UnitBlock {
    name: String,
    agora: bool,
    count: String,
    domains: Vec<DomainLine>,
}

#[derive(Debug)]
struct DomainLine {
    domain: String,
    /// "Awa Diallo (référente), jusqu'au 10 janvier 2027", one per holder.
    holders: Vec<String>,
    /// When nobody holds it: where the decision goes instead, in one sentence (none for the
    /// Agora's domains, which are all members').
    unheld: Option<String>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    chrome: Chrome,
    p: &'static ui::map::Map,
    /// The value of the date field.
    field: String,
    hint: String,
    /// "Carte au 15 avril 2026" or "Carte d'aujourd'hui, 2 décembre 2026".
    heading: String,
    chosen: bool,
    problem: Option<&'static str>,
    units: Vec<UnitBlock>,
}

pub(in crate::web) async fn show(visit: Visit, Query(chosen): Query<Chosen>) -> Response {
    let page = render(&visit, &chosen.date).await;
    visit.answer(page)
}

async fn render(visit: &Visit, raw: &str) -> Result<Response, PageError> {
    let me = visit.member()?;
    let lang = visit.lang();
    let tz = visit.tz();
    let p = ui::pick(lang, &ui::map::FR, &ui::map::EN);
    let now = Utc::now();
    // An empty field is "today"; anything else must be a day, or the page says so and shows
    // today's map (never a guess at what was meant).
    let (at, chosen, problem) = if raw.trim().is_empty() {
        (now, false, None)
    } else {
        match noon_of(raw, tz) {
            Some(at) => (at, true, None),
            None => (now, false, Some(p.bad_date)),
        }
    };
    let data: MapData = gql::run(&visit.web, Some(me), lang, MAP, json!({ "at": at })).await?;
    let page = MapPage {
        chrome: visit.frame(Nav::Map),
        p,
        field: time::field(at, tz),
        hint: p.date_hint.replace("{tz}", tz.name()),
        heading: format!(
            "{} {}",
            if chosen { p.map_at } else { p.today_is },
            time::day(at, tz, lang)
        ),
        chosen,
        problem,
        units: blocks(&data, lang, tz, p),
    };
    Ok(chrome::html(StatusCode::OK, &page))
}

/// Noon of the day a date field names, in the movement's time zone: a mandate that starts that
/// day counts, one that ended the day before does not (mandates start and end at the day's
/// boundaries).
fn noon_of(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let midnight = time::parse_field(raw, tz, false)?;
    let day = midnight.with_timezone(&tz).date_naive();
    tz.from_local_datetime(&day.and_hms_opt(12, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The rows grouped by unit, in the order of the units (the tree, from the Agora down). Every
/// active unit gets its block, even one without a domain, so that none is silently missing.
fn blocks(data: &MapData, lang: Lang, tz: Tz, p: &'static ui::map::Map) -> Vec<UnitBlock> {
    data.units
        .iter()
        .map(|u| {
            let agora = u.kind == "AGORA";
            let domains: Vec<DomainLine> = data
                .authority_map
                .iter()
                .filter(|r| r.unit_id == u.id)
                .map(|r| line(r, agora, lang, tz, p))
                .collect();
            UnitBlock {
                name: u.name.clone(),
                agora,
                count: ui::count(lang, domains.len(), p.domain_one, p.domain_many),
                domains,
            }
        })
        .collect()
}

fn line(row: &Row, agora: bool, lang: Lang, tz: Tz, p: &'static ui::map::Map) -> DomainLine {
    let holders = row
        .holders
        .iter()
        .map(|h| {
            format!(
                "{} ({}), {} {}",
                h.member_name,
                role(&h.role, p),
                p.until,
                time::day(h.until, tz, lang)
            )
        })
        .collect();
    let step = |s: &Step| {
        if s.unit_kind == "AGORA" {
            format!("{} ({})", s.unit_name, p.all_members)
        } else if s.holders.is_empty() {
            format!("{} ({})", s.unit_name, p.no_holder_there)
        } else {
            format!("{} ({})", s.unit_name, s.holders.join(", "))
        }
    };
    let mut route = row.unheld_route.iter().map(step);
    let unheld = match route.next() {
        _ if !row.holders.is_empty() || agora => None,
        None => Some(p.no_route.to_owned()),
        Some(first) => {
            let then: Vec<String> = route.collect();
            Some(if then.is_empty() {
                format!("{} {first}.", p.unheld)
            } else {
                format!(
                    "{} {first}. {} {}.",
                    p.unheld,
                    p.then,
                    then.join(p.then_sep)
                )
            })
        }
    };
    DomainLine {
        domain: row.domain.clone(),
        holders,
        unheld,
    }
}

fn role(raw: &str, p: &'static ui::map::Map) -> &'static str {
    match raw {
        "REFERENT" => p.referent,
        _ => p.holder,
    }
}
