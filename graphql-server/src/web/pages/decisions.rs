//! *Relevé de décisions*: search, filters by unit, domain and period, pages; a decision's own
//! page (statement, rationale, who decided, consultations, links, its supersession chain and
//! whether it is in force today); and *Public*, the same record as an outsider reads it:
//! published decisions only (R17), since the API answers an outsider with nothing else.

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql;
use super::super::time;
use super::super::visit::Visit;
use super::parse_id;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use governance_core::messages::ui;
use serde::Deserialize;
use serde_json::json;

/// Decisions per page.
const PAGE: i64 = 25;

const LIST: &str = "query List($first: Int!, $after: String, $text: String, $unitId: UUID,
    $domain: String, $from: DateTime, $until: DateTime) {
  decisions(first: $first, after: $after, text: $text, unitId: $unitId, domain: $domain,
      from: $from, until: $until) {
    pageInfo { hasNextPage endCursor }
    nodes { id title domain unitName decidedAt visibility decidedBy }
  }
}";

/// The same list when words are given: ranked by relevance, each with its snippet.
const SEARCH: &str = "query Search($first: Int!, $after: String, $query: String!, $unitId: UUID,
    $domain: String, $from: DateTime, $until: DateTime) {
  search(first: $first, after: $after, query: $query, unitId: $unitId, domain: $domain,
      from: $from, until: $until) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      snippet { text highlighted }
      decision { id title domain unitName decidedAt visibility decidedBy }
    }
  }
}";

const UNITS: &str = "query Units { units { id name } }";

/// The record's filters, as the form sends them (every field optional, all text).
#[derive(Debug, Default, Deserialize)]
pub(in crate::web) struct Filters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    unite: String,
    #[serde(default)]
    domaine: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    apres: String,
}

#[derive(Debug, Deserialize)]
struct ListData {
    decisions: Connection,
}

#[derive(Debug, Deserialize)]
struct SearchData {
    search: Found,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Found {
    total_count: usize,
    page_info: PageInfo,
    nodes: Vec<Hit>,
}

#[derive(Debug, Deserialize)]
struct Hit {
    snippet: Vec<Segment>,
    decision: Row,
}

/// A piece of a hit's snippet; the template marks the highlighted ones (`<mark>`), escaped.
#[derive(Debug, Deserialize)]
struct Segment {
    text: String,
    highlighted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection {
    page_info: PageInfo,
    nodes: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    id: String,
    title: String,
    domain: String,
    unit_name: String,
    decided_at: DateTime<Utc>,
    visibility: String,
    decided_by: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct UnitsData {
    units: Vec<UnitOption>,
}

#[derive(Debug, Deserialize)]
struct UnitOption {
    id: String,
    name: String,
}

/// The rows a list or a search gave, with their snippets; the search's total; where it ends.
type Listed = (Vec<(Row, Vec<Segment>)>, Option<usize>, PageInfo);

#[derive(Debug)]
struct Line {
    id: String,
    title: String,
    meta: String,
    published: bool,
    /// The passage that matched, when the list is a search's.
    snippet: Vec<Segment>,
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct ListPage {
    chrome: Chrome,
    p: &'static ui::decisions::Decisions,
    public: bool,
    heading: &'static str,
    intro: &'static str,
    count: String,
    rows: Vec<Line>,
    units: Vec<UnitOption>,
    q: String,
    unite: String,
    domaine: String,
    du: String,
    au: String,
    /// The link to the next page, keeping the filters (a path within the movement).
    next: Option<String>,
    /// A filter the server could not read (a malformed date), said plainly.
    problem: Option<String>,
}

impl ListPage {
    fn selected(&self, id: &str) -> bool {
        self.unite == id
    }
}

pub(in crate::web) async fn list(visit: Visit, Query(f): Query<Filters>) -> Response {
    let page = async {
        let me = visit.member()?;
        render_list(&visit, Some(me), f).await
    }
    .await;
    visit.answer(page)
}

pub(in crate::web) async fn public(visit: Visit, Query(f): Query<Filters>) -> Response {
    let page = render_list(&visit, None, f).await;
    visit.answer(page)
}

/// Builds the page for a member, or for an outsider (`reader: None`, the public page): the same
/// query, answered by the API with what that reader may read.
async fn render_list(
    visit: &Visit,
    reader: Option<governance_core::MemberId>,
    f: Filters,
) -> Result<Response, PageError> {
    let lang = visit.lang();
    let tz = visit.tz();
    let p = ui::pick(lang, &ui::decisions::FR, &ui::decisions::EN);
    let bounded = |s: &str, n: usize| s.trim().chars().take(n).collect::<String>();
    // Cut to what the search accepts, at a character's edge, rather than refused.
    let mut q = bounded(&f.q, 200);
    while q.len() > crate::store::search::MAX_QUERY_BYTES {
        q.pop();
    }
    let domaine = bounded(&f.domaine, 100);
    let unite = uuid::Uuid::parse_str(f.unite.trim()).ok();
    let from = time::parse_field(&f.du, tz, false);
    let until = time::parse_field(&f.au, tz, true);
    let problem = ((!f.du.trim().is_empty() && from.is_none())
        || (!f.au.trim().is_empty() && until.is_none()))
    .then(|| p.bad_date.to_owned());
    let after = (!f.apres.trim().is_empty()).then(|| bounded(&f.apres, 200));
    let vars = json!({
        "first": PAGE,
        "after": after,
        "query": &q,
        "unitId": unite,
        "domain": (!domaine.is_empty()).then_some(&domaine),
        "from": from,
        "until": until,
    });
    // A cursor or domain that does not parse, or a search of too many words, is the reader's
    // typo: show the page's own error.
    let typo = |r: gql::Refused| {
        use crate::api::Code;
        if matches!(
            r.code,
            Code::Validation | Code::BadRequest | Code::LimitExceeded
        ) {
            PageError::Refused(r)
        } else {
            r.into()
        }
    };
    let searching = !q.is_empty();
    let (found, total, page_info): Listed = if searching {
        let data: SearchData = gql::run(&visit.web, reader, lang, SEARCH, vars)
            .await
            .map_err(typo)?;
        let s = data.search;
        (
            s.nodes
                .into_iter()
                .map(|h| (h.decision, h.snippet))
                .collect(),
            Some(s.total_count),
            s.page_info,
        )
    } else {
        let data: ListData = gql::run(&visit.web, reader, lang, LIST, vars)
            .await
            .map_err(typo)?;
        let d = data.decisions;
        (
            d.nodes.into_iter().map(|r| (r, Vec::new())).collect(),
            None,
            d.page_info,
        )
    };
    let units: UnitsData = if reader.is_some() {
        gql::run(&visit.web, reader, lang, UNITS, json!({})).await?
    } else {
        UnitsData { units: Vec::new() }
    };
    let rows: Vec<Line> = found
        .into_iter()
        .map(|(d, snippet)| Line {
            snippet,
            id: d.id.clone(),
            title: d.title.clone(),
            meta: format!(
                "{} · {} · {} · {}",
                d.unit_name,
                d.domain,
                time::day(d.decided_at, tz, lang),
                d.decided_by.join(", ")
            ),
            published: d.visibility == "PUBLISHED",
        })
        .collect();
    let base = if reader.is_some() {
        "/releve"
    } else {
        "/public"
    };
    let next = match (&page_info.has_next_page, &page_info.end_cursor) {
        (true, Some(cursor)) => Some(format!(
            "{base}?{}",
            serde_urlencoded::to_string([
                ("q", q.as_str()),
                ("unite", f.unite.trim()),
                ("domaine", domaine.as_str()),
                ("du", f.du.trim()),
                ("au", f.au.trim()),
                ("apres", cursor.as_str()),
            ])
            .unwrap_or_default()
        )),
        _ => None,
    };
    let public = reader.is_none();
    let page = ListPage {
        chrome: visit.frame(if public { Nav::Public } else { Nav::Decisions }),
        p,
        public,
        heading: if public { p.public_title } else { p.title },
        intro: match (searching, public) {
            (true, _) => p.ranked,
            (false, true) => p.public_intro,
            (false, false) => p.intro,
        },
        count: match total {
            Some(n) => ui::count(lang, n, p.found_one, p.found_many),
            None => ui::count(lang, rows.len(), p.one, p.many),
        },
        rows,
        units: units.units,
        q,
        unite: unite.map(|u| u.to_string()).unwrap_or_default(),
        domaine,
        du: f.du.trim().chars().take(10).collect(),
        au: f.au.trim().chars().take(10).collect(),
        next,
        problem,
    };
    Ok(chrome::html(StatusCode::OK, &page))
}

const ONE: &str = "query One($id: UUID!) {
  decision(id: $id) {
    id title statement rationale domain unitName decidedAt effectiveFrom visibility decidedBy
    byBody inForce
    consultations { memberName consultedAt stance said }
    links { kind decisionId title }
    linkedFrom { kind decisionId title }
    supersessionChain { id title decidedAt }
  }
}";

/// What an outsider may read of a published decision: the API keeps consultations, links and
/// the supersession chain for members (R17), so the public page does not ask for them.
const ONE_PUBLIC: &str = "query OnePublic($id: UUID!) {
  decision(id: $id) {
    id title statement rationale domain unitName decidedAt effectiveFrom visibility decidedBy
    byBody
  }
}";

#[derive(Debug, Deserialize)]
struct OneData {
    decision: Full,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Full {
    id: String,
    title: String,
    statement: String,
    rationale: String,
    domain: String,
    unit_name: String,
    decided_at: DateTime<Utc>,
    effective_from: DateTime<Utc>,
    visibility: String,
    decided_by: Vec<String>,
    by_body: bool,
    /// Unknown to an outsider's page (see `ONE_PUBLIC`).
    #[serde(default)]
    in_force: Option<bool>,
    #[serde(default)]
    consultations: Vec<Consulted>,
    #[serde(default)]
    links: Vec<LinkRow>,
    #[serde(default)]
    linked_from: Vec<LinkRow>,
    #[serde(default)]
    supersession_chain: Vec<ChainRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Consulted {
    member_name: String,
    consulted_at: DateTime<Utc>,
    stance: String,
    said: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkRow {
    kind: String,
    decision_id: String,
    title: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChainRow {
    id: String,
    title: String,
    decided_at: DateTime<Utc>,
}

#[derive(Debug)]
struct Said {
    who: String,
    when: String,
    stance: &'static str,
    said: String,
}

#[derive(Debug)]
struct Linked {
    kind: &'static str,
    id: String,
    title: String,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct OnePage {
    chrome: Chrome,
    p: &'static ui::decisions::Decisions,
    d: Full,
    decided_on: String,
    effective: String,
    published: bool,
    consultations: Vec<Said>,
    links: Vec<Linked>,
    linked_from: Vec<Linked>,
    chain: Vec<(String, String, String)>,
}

/// The words of a consulted person's stance, from the catalogue.
fn stance(p: &'static ui::decisions::Decisions, s: &str) -> &'static str {
    match s {
        "SUPPORT" => p.support,
        "CONCERN" => p.concern,
        "OBJECTION" => p.objection,
        _ => "",
    }
}

/// The words of a link between two decisions (R12), from the catalogue.
fn link_kind(p: &'static ui::decisions::Decisions, k: &str) -> &'static str {
    match k {
        "AMENDS" => p.amends,
        "SUPERSEDES" => p.supersedes,
        "REVOKES" => p.revokes,
        _ => "",
    }
}

pub(in crate::web) async fn show(
    visit: Visit,
    Path(id): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let page = async {
        let id = parse_id(&id)?;
        let lang = visit.lang();
        let tz = visit.tz();
        let document = if visit.reader().is_some() {
            ONE
        } else {
            ONE_PUBLIC
        };
        let data: OneData = gql::run(
            &visit.web,
            visit.reader(),
            lang,
            document,
            json!({ "id": id }),
        )
        .await?;
        let d = data.decision;
        let p = ui::pick(lang, &ui::decisions::FR, &ui::decisions::EN);
        let links = |rows: &[LinkRow]| {
            rows.iter()
                .map(|l| Linked {
                    kind: link_kind(p, &l.kind),
                    id: l.decision_id.clone(),
                    title: l.title.clone(),
                })
                .collect::<Vec<_>>()
        };
        let mut chrome = visit.frame(if visit.reader().is_some() {
            Nav::Decisions
        } else {
            Nav::Public
        });
        // Right after *Décider* recorded it (`?fait=1`).
        chrome.flash =
            (query.as_deref() == Some("fait=1")).then(|| super::decide::recorded(lang).to_owned());
        let page = OnePage {
            chrome,
            p,
            decided_on: time::day_time(d.decided_at, tz, lang),
            effective: time::day(d.effective_from, tz, lang),
            published: d.visibility == "PUBLISHED",
            consultations: d
                .consultations
                .iter()
                .map(|c| Said {
                    who: c.member_name.clone(),
                    when: time::day(c.consulted_at, tz, lang),
                    stance: stance(p, &c.stance),
                    said: c.said.clone(),
                })
                .collect(),
            links: links(&d.links),
            linked_from: links(&d.linked_from),
            chain: d
                .supersession_chain
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.title.clone(),
                        time::day(c.decided_at, tz, lang),
                    )
                })
                .collect(),
            d,
        };
        Ok::<_, PageError>(chrome::html(StatusCode::OK, &page))
    }
    .await;
    visit.answer(page)
}
