//! *Tensions*: the list, newest first, filtered by status; the form to raise one about a unit,
//! a role or a rule, routed to a space (R13), under the rule that a tension names no person
//! (R14: the core judges it, the page explains it and shows the core's refusal beside the text);
//! a tension's page (its route, meeting, outcome and decisions), and its withdrawal by the
//! person who raised it.

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql;
use super::super::time;
use super::super::visit::Visit;
use super::{CsrfForm, parse_id};
use crate::api::Code;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use governance_core::MemberId;
use governance_core::messages::ui;
use serde::Deserialize;
use serde_json::json;

/// The API's bounds (`governance_core::text`): a title and a rule are `Label`s, a description a
/// `Text`.
const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 20_000;
/// Decisions a tension's page names at most (one query each).
const MAX_DECISIONS: usize = 20;

const LIST: &str = "query Tensions($status: TensionStatus, $now: DateTime!) {
  tensions(status: $status) { id title raisedBy raisedAt status about }
  units(activeAt: $now) { id name }
}";

const RAISE: &str = "mutation Raise($input: RaiseTensionInput!) {
  raiseTension(input: $input) { tension { id } }
}";

const ONE: &str = "query Tension {
  me { name }
  tensions { id title description raisedBy raisedAt about space spaceUnitId status meetingId
    outcome decisionIds }
  units { id name }
}";

const MEETING: &str = "query Meeting($id: UUID!) { meeting(id: $id) { id heldAt bodyName kind } }";

const DECISION: &str = "query Decision($id: UUID!) { decision(id: $id) { id title } }";

const WITHDRAW: &str = "mutation Withdraw($id: UUID!) {
  withdrawTension(tensionId: $id) { tension { id } }
}";

#[derive(Debug, Deserialize)]
struct ListData {
    tensions: Vec<TensionRow>,
    units: Vec<UnitRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TensionRow {
    id: String,
    title: String,
    raised_by: String,
    raised_at: DateTime<Utc>,
    status: String,
    about: String,
}

#[derive(Debug, Deserialize)]
struct UnitRow {
    id: String,
    name: String,
}

/// A line of the list, already worded.
#[derive(Debug)]
struct Line {
    id: String,
    title: String,
    meta: String,
    status: &'static str,
}

/// The status filter, as the URL says it (`?etat=ouverte`).
#[derive(Debug, Default, Deserialize)]
pub(in crate::web) struct Filter {
    #[serde(default)]
    etat: String,
    #[serde(default)]
    fait: String,
}

/// The French words of the URL, and the API's statuses they mean.
const STATUSES: [(&str, &str); 4] = [
    ("ouverte", "OPEN"),
    ("inscrite", "SCHEDULED"),
    ("traitee", "PROCESSED"),
    ("retiree", "WITHDRAWN"),
];

fn status_word(p: &'static ui::tensions::Tensions, status: &str) -> &'static str {
    match status {
        "OPEN" => p.open,
        "SCHEDULED" => p.scheduled,
        "PROCESSED" => p.processed,
        "WITHDRAWN" => p.withdrawn,
        _ => "",
    }
}

/// What the raise form holds, as typed.
#[derive(Debug, Default, Deserialize)]
pub(in crate::web) struct RaiseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    titre: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sujet: String,
    #[serde(default)]
    unite: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    regle: String,
    #[serde(default)]
    espace: String,
}

impl RaiseForm {
    /// Every field cut to the API's bound, unknown choices reset to the defaults.
    fn bounded(self) -> Self {
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let pick = |s: &str, allowed: &[&str]| {
            allowed
                .iter()
                .find(|a| **a == s)
                .map_or(allowed[0], |a| a)
                .to_owned()
        };
        RaiseForm {
            csrf: String::new(),
            titre: cut(&self.titre, TITLE_MAX),
            description: cut(&self.description, TEXT_MAX),
            sujet: pick(&self.sujet, &["unite", "role", "regle"]),
            unite: cut(self.unite.trim(), 36),
            role: pick(&self.role, &["REFERENT", "HOLDER"]),
            regle: cut(&self.regle, TITLE_MAX),
            espace: pick(
                &self.espace,
                &[
                    "defaut",
                    "referent",
                    "gouvernance",
                    "fonctionnement",
                    "coordination",
                    "agora",
                ],
            ),
        }
    }

    /// The `RaiseTensionInput` it means, or the sentence saying what to fix first.
    fn input(&self, p: &'static ui::tensions::Tensions) -> Result<serde_json::Value, &'static str> {
        if self.titre.trim().is_empty() {
            return Err(p.missing_title);
        }
        let unit = uuid::Uuid::parse_str(&self.unite).ok();
        let about = match self.sujet.as_str() {
            "regle" if self.regle.trim().is_empty() => return Err(p.missing_rule),
            "regle" => json!({ "rule": self.regle }),
            "role" => json!({ "role": { "unitId": unit.ok_or(p.bad_unit)?, "role": self.role } }),
            _ => json!({ "unit": unit.ok_or(p.bad_unit)? }),
        };
        let space = match self.espace.as_str() {
            "referent" => json!({ "referent": unit.ok_or(p.bad_unit)? }),
            "defaut" => serde_json::Value::Null,
            other => json!({ other: true }),
        };
        Ok(json!({
            "about": about,
            "space": space,
            "title": self.titre,
            "description": self.description,
        }))
    }
}

#[derive(Template)]
#[template(path = "tensions.html")]
struct ListPage {
    chrome: Chrome,
    p: &'static ui::tensions::Tensions,
    etat: String,
    statuses: Vec<(&'static str, &'static str)>,
    count: String,
    rows: Vec<Line>,
    units: Vec<UnitRow>,
    form: RaiseForm,
    /// Why the tension was not recorded, in the page's language (the R14 refusal among others).
    refusal: Option<String>,
}

impl ListPage {
    fn is_etat(&self, word: &str) -> bool {
        self.etat == word
    }
}

pub(in crate::web) async fn list(visit: Visit, Query(f): Query<Filter>) -> Response {
    let page = async {
        let me = visit.member()?;
        let p = ui::pick(visit.lang(), &ui::tensions::FR, &ui::tensions::EN);
        let flash = (f.fait == "1").then_some(p.raised);
        render_list(
            &visit,
            me,
            StatusCode::OK,
            &f.etat,
            RaiseForm::default().bounded(),
            None,
            flash,
        )
        .await
    }
    .await;
    visit.answer(page)
}

async fn render_list(
    visit: &Visit,
    me: MemberId,
    status: StatusCode,
    etat: &str,
    form: RaiseForm,
    refusal: Option<String>,
    flash: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = visit.lang();
    let tz = visit.tz();
    let p = ui::pick(lang, &ui::tensions::FR, &ui::tensions::EN);
    // An unknown status in the URL shows them all.
    let wanted = STATUSES.iter().find(|(word, _)| *word == etat);
    let data: ListData = gql::run(
        &visit.web,
        Some(me),
        lang,
        LIST,
        json!({ "status": wanted.map(|(_, s)| s), "now": Utc::now() }),
    )
    .await?;
    let rows: Vec<Line> = data
        .tensions
        .iter()
        .map(|t| Line {
            id: t.id.clone(),
            title: t.title.clone(),
            meta: format!(
                "{} · {} {} · {}",
                t.about,
                p.raised_by,
                t.raised_by,
                time::day(t.raised_at, tz, lang)
            ),
            status: status_word(p, &t.status),
        })
        .collect();
    let mut chrome = visit.frame(Nav::Tensions);
    chrome.flash = flash.map(str::to_owned);
    let page = ListPage {
        chrome,
        p,
        etat: wanted.map(|(w, _)| (*w).to_owned()).unwrap_or_default(),
        statuses: STATUSES
            .iter()
            .map(|(word, s)| (*word, status_word(p, s)))
            .collect(),
        count: ui::count(lang, rows.len(), p.one, p.many),
        rows,
        units: data.units,
        form,
        refusal,
    };
    Ok(chrome::html(status, &page))
}

/// "Soulever la tension". A refusal (R14 among others) shows the form again, as typed.
pub(in crate::web) async fn raise(visit: Visit, Form(form): Form<RaiseForm>) -> Response {
    let done = async {
        let me = visit.member()?;
        visit.check_form(&form.csrf)?;
        let lang = visit.lang();
        let p = ui::pick(lang, &ui::tensions::FR, &ui::tensions::EN);
        let form = form.bounded();
        let refused = StatusCode::UNPROCESSABLE_ENTITY;
        let input = match form.input(p) {
            Ok(i) => i,
            Err(why) => {
                let why = Some(why.to_owned());
                return render_list(&visit, me, refused, "", form, why, None).await;
            }
        };
        let r = gql::run::<serde_json::Value>(
            &visit.web,
            Some(me),
            lang,
            RAISE,
            json!({ "input": input }),
        )
        .await;
        match r {
            Ok(_) => Ok(visit.redirect("/tensions?fait=1")),
            Err(r)
                if !matches!(
                    r.code,
                    Code::Unauthenticated | Code::RateLimited | Code::Internal | Code::Timeout
                ) =>
            {
                render_list(&visit, me, refused, "", form, Some(r.message), None).await
            }
            Err(r) => Err(r.into()),
        }
    }
    .await;
    visit.answer(done)
}

#[derive(Debug, Deserialize)]
struct OneData {
    me: MeName,
    tensions: Vec<Full>,
    units: Vec<UnitRow>,
}

#[derive(Debug, Deserialize)]
struct MeName {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Full {
    id: String,
    title: String,
    description: String,
    raised_by: String,
    raised_at: DateTime<Utc>,
    about: String,
    space: String,
    space_unit_id: Option<String>,
    status: String,
    meeting_id: Option<String>,
    outcome: Option<String>,
    decision_ids: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct MeetingData {
    meeting: Option<MeetingRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MeetingRow {
    id: String,
    held_at: DateTime<Utc>,
    body_name: Option<String>,
    kind: String,
}

#[derive(Debug, Deserialize)]
struct DecisionData {
    decision: DecisionRow,
}

#[derive(Debug, Deserialize)]
struct DecisionRow {
    id: String,
    title: String,
}

#[derive(Template)]
#[template(path = "tension.html")]
struct OnePage {
    chrome: Chrome,
    p: &'static ui::tensions::Tensions,
    t: Full,
    status: &'static str,
    raised_on: String,
    space: String,
    /// The meeting it is on the agenda of: link and words.
    meeting: Option<(String, String)>,
    decisions: Vec<DecisionRow>,
    /// Whether the reader raised it and it may still be withdrawn.
    may_withdraw: bool,
}

fn space_words(p: &'static ui::tensions::Tensions, t: &Full, units: &[UnitRow]) -> String {
    match t.space.as_str() {
        "REFERENT" => {
            let unit = t
                .space_unit_id
                .as_ref()
                .and_then(|id| units.iter().find(|u| &u.id == id))
                .map(|u| u.name.as_str())
                .unwrap_or_default();
            format!("{} {unit}", p.referent_of)
        }
        "GOUVERNANCE" => p.space_gouvernance.to_owned(),
        "FONCTIONNEMENT" => p.space_fonctionnement.to_owned(),
        "COORDINATION" => p.space_coordination.to_owned(),
        "AGORA" => p.space_agora.to_owned(),
        _ => String::new(),
    }
}

pub(in crate::web) async fn show(
    visit: Visit,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let page = async {
        let me = visit.member()?;
        let id = parse_id(&id)?.to_string();
        let lang = visit.lang();
        let tz = visit.tz();
        let p = ui::pick(lang, &ui::tensions::FR, &ui::tensions::EN);
        let data: OneData = gql::run(&visit.web, Some(me), lang, ONE, json!({})).await?;
        let t = data
            .tensions
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(PageError::NotFound)?;
        let meeting = match &t.meeting_id {
            Some(m) => {
                let d: MeetingData =
                    gql::run(&visit.web, Some(me), lang, MEETING, json!({ "id": m })).await?;
                d.meeting.map(|m| {
                    // The recurring meetings by their name; a unit's meeting by its unit.
                    let name = match m.kind.as_str() {
                        "fonctionnement" => p.space_fonctionnement.to_owned(),
                        "gouvernance" => p.space_gouvernance.to_owned(),
                        "agora" => p.space_agora.to_owned(),
                        _ => m.body_name.unwrap_or(m.kind),
                    };
                    (
                        format!("/reunions/{}", m.id),
                        format!("{name} · {}", time::day_time(m.held_at, tz, lang)),
                    )
                })
            }
            None => None,
        };
        let mut decisions = Vec::new();
        for d in t.decision_ids.iter().take(MAX_DECISIONS) {
            let r: Result<DecisionData, _> =
                gql::run(&visit.web, Some(me), lang, DECISION, json!({ "id": d })).await;
            // A decision the reader may not read is left out rather than failing the page.
            if let Ok(r) = r {
                decisions.push(r.decision);
            }
        }
        let mut chrome = visit.frame(Nav::Tensions);
        chrome.flash = query
            .as_deref()
            .filter(|q| q.contains("fait=retrait"))
            .map(|_| p.withdrawn_flash.to_owned());
        let page = OnePage {
            chrome,
            p,
            status: status_word(p, &t.status),
            raised_on: time::day(t.raised_at, tz, lang),
            space: space_words(p, &t, &data.units),
            meeting,
            decisions,
            may_withdraw: t.raised_by == data.me.name
                && matches!(t.status.as_str(), "OPEN" | "SCHEDULED"),
            t,
        };
        Ok::<_, PageError>(chrome::html(StatusCode::OK, &page))
    }
    .await;
    visit.answer(page)
}

/// "Retirer cette tension": only its raiser may (the API checks it, the page only offers it).
pub(in crate::web) async fn withdraw(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    super::press(&visit, &form.csrf, &id, WITHDRAW, |id| {
        format!("/tensions/{id}?fait=retrait")
    })
    .await
}

pub(super) fn routes() -> axum::Router<super::super::Shared> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/tensions", get(list).post(raise))
        .route("/tensions/{id}", get(show))
        .route("/tensions/{id}/retrait", post(withdraw))
}
