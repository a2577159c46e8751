//! *Décider*: the form a holder records a decision with, offering only the perimeters of their
//! own mandates in force (R3, R5); "Vérifier" asks the API whether they may decide there now,
//! "Enregistrer" records it (R8–R12), and a refusal that names a route offers to escalate the
//! same proposal (R9). The select is a convenience, not the rule: whatever unit and domain the
//! form carries, the API decides, and its refusal is shown beside what the person typed.
//! Below the consultations, the effects a plain form can carry (admit or remove a member,
//! assign or revoke a mandate, archive a unit, R6): the rest of `EffectInput` is the API's.
//! Long because: one form with three actions (check, record, escalate) whose every field is
//! read back and kept on a refusal; the effects' fieldsets are the part to split out next.

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql::{self, Refused};
use super::super::time;
use super::super::visit::Visit;
use crate::api::Code;
use askama::Template;
use axum::Form;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use governance_core::MemberId;
use governance_core::messages::{Lang, ui};
use serde::Deserialize;
use serde_json::json;

/// Consultation rows offered (R8): enough for the domains the demo asks two for, and more.
const ROWS: usize = 4;
/// The API's bounds (`governance_core::text`): a title is a `Label`, long texts are `Text`s,
/// a domain a `Domain`.
const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 20_000;
const DOMAIN_MAX: usize = 80;
/// An e-mail address as the API bounds it, and domains typed for one mandate.
const EMAIL_MAX: usize = 254;
const DOMAINS_MAX: usize = 40;

const FORM_DATA: &str = "query DecideForm($now: DateTime!) {
  me { id mandates { unit { id name domains } domains status committedAt } }
  members(activeAt: $now) { id name }
  units(activeAt: $now) { id name }
  mandates(activeAt: $now) { id holder { name } unit { name } domains }
}";

const CHECK: &str = "query Check($me: UUID!, $unitId: UUID!, $domain: String!) {
  mayDecide(memberId: $me, unitId: $unitId, domain: $domain) {
    allowed reason until escalateTo { unitName }
  }
}";

const RECORD: &str = "mutation Record($input: RecordDecisionInput!) {
  recordDecision(input: $input) { decision { id } }
}";

const ESCALATE: &str = "mutation Escalate($input: RecordDecisionInput!) {
  escalateDecision(input: $input) { escalation { id } }
}";

#[derive(Debug, Deserialize)]
struct FormData {
    me: Me,
    members: Vec<Person>,
    units: Vec<Person>,
    mandates: Vec<InForce>,
}

/// A mandate in force, for the revoke select.
#[derive(Debug, Deserialize)]
struct InForce {
    id: String,
    holder: Named,
    unit: Named,
    domains: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Me {
    id: String,
    mandates: Vec<MandateRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MandateRow {
    unit: UnitRow,
    domains: Option<Vec<String>>,
    status: String,
    committed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
struct UnitRow {
    id: String,
    name: String,
    domains: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Person {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckData {
    may_decide: Verdict,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Verdict {
    allowed: bool,
    reason: String,
    until: Option<DateTime<Utc>>,
    escalate_to: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    unit_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordData {
    record_decision: Recorded,
}

#[derive(Debug, Deserialize)]
struct Recorded {
    decision: IdOnly,
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    id: String,
}

/// One perimeter offered: a unit and one of its domains.
#[derive(Debug)]
struct Scope {
    value: String,
    label: String,
}

/// One consultation row, as typed.
#[derive(Debug, Default, Clone)]
struct Row {
    member: String,
    stance: String,
    date: String,
    said: String,
}

/// The effects as typed (one of each at most); an empty field leaves its effect out.
#[derive(Debug, Default)]
struct Effects {
    admit_name: String,
    admit_email: String,
    remove: String,
    holder: String,
    unit: String,
    domains: String,
    referent: bool,
    starts: String,
    ends: String,
    revoke: String,
    archive: String,
}

/// What the person typed, kept to show it again after a check or a refusal.
#[derive(Debug, Default)]
struct Draft {
    scope: String,
    title: String,
    statement: String,
    rationale: String,
    published: bool,
    wide: bool,
    rows: Vec<Row>,
    effects: Effects,
}

/// The answer of "Vérifier".
#[derive(Debug)]
struct Checked {
    allowed: bool,
    reason: String,
    until: Option<String>,
    route: Vec<String>,
}

/// A refusal of "Enregistrer" (or of the escalation), in the page's language.
#[derive(Debug)]
struct Refusal {
    message: String,
    route: Vec<String>,
    /// The body an escalation would go to, when the API says escalation is the way (R9).
    escalate: Option<String>,
}

#[derive(Template)]
#[template(path = "decide.html")]
struct DecidePage {
    chrome: Chrome,
    p: &'static ui::decide::Decide,
    scopes: Vec<Scope>,
    members: Vec<Person>,
    /// Every member, me included (the holder and remove selects).
    everyone: Vec<Person>,
    units: Vec<Person>,
    /// Mandates in force: (id, "holder — unit — domains").
    in_force: Vec<(String, String)>,
    /// A mandate waits for the member's commitment (R4).
    pending: bool,
    draft: Draft,
    checked: Option<Checked>,
    refusal: Option<Refusal>,
}

impl DecidePage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }

    fn stances(&self) -> [(&'static str, &'static str); 3] {
        [
            ("SUPPORT", self.p.support),
            ("CONCERN", self.p.concern),
            ("OBJECTION", self.p.objection),
        ]
    }
}

pub(in crate::web) async fn show(visit: Visit, RawQuery(query): RawQuery) -> Response {
    let page = async {
        let me = visit.member()?;
        let p = ui::pick(visit.lang(), &ui::decide::FR, &ui::decide::EN);
        let today = time::field(Utc::now(), visit.tz());
        let draft = Draft {
            rows: vec![
                Row {
                    date: today,
                    ..Row::default()
                };
                ROWS
            ],
            ..Draft::default()
        };
        let flash = query
            .as_deref()
            .filter(|q| q.contains("fait=escalade"))
            .map(|_| p.escalated);
        render(&visit, me, StatusCode::OK, draft, None, None, flash).await
    }
    .await;
    visit.answer(page)
}

/// Builds the page around a draft, with the form's choices read from the API as `me`.
async fn render(
    visit: &Visit,
    me: MemberId,
    status: StatusCode,
    draft: Draft,
    checked: Option<Checked>,
    refusal: Option<Refusal>,
    flash: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = visit.lang();
    let data: FormData = gql::run(
        &visit.web,
        Some(me),
        lang,
        FORM_DATA,
        json!({ "now": Utc::now() }),
    )
    .await?;
    let mut scopes: Vec<Scope> = Vec::new();
    for m in data
        .me
        .mandates
        .iter()
        .filter(|m| m.status == "IN_FORCE" && m.committed_at.is_some())
    {
        // A mandate without domains covers every domain of its unit (a referent's, often).
        let domains = m.domains.as_ref().unwrap_or(&m.unit.domains);
        for d in domains {
            let value = format!("{}|{d}", m.unit.id);
            if !scopes.iter().any(|s| s.value == value) {
                scopes.push(Scope {
                    value,
                    label: format!("{} — {d}", m.unit.name),
                });
            }
        }
    }
    let pending = data
        .me
        .mandates
        .iter()
        .any(|m| m.status == "PENDING_COMMITMENT");
    let p = ui::pick(lang, &ui::decide::FR, &ui::decide::EN);
    let in_force = data
        .mandates
        .into_iter()
        .map(|m| {
            let domains = m
                .domains
                .map_or_else(|| p.every_domain.to_owned(), |d| d.join(", "));
            let label = format!("{} — {} — {domains}", m.holder.name, m.unit.name);
            (m.id, label)
        })
        .collect();
    let members = data
        .members
        .iter()
        .filter(|m| m.id != data.me.id)
        .map(|m| Person {
            id: m.id.clone(),
            name: m.name.clone(),
        })
        .collect();
    let mut chrome = visit.frame(Nav::Decide);
    chrome.flash = flash.map(str::to_owned);
    let page = DecidePage {
        chrome,
        p,
        scopes,
        members,
        everyone: data.members,
        units: data.units,
        in_force,
        pending,
        draft,
        checked,
        refusal,
    };
    Ok(chrome::html(status, &page))
}

/// The form's fields, as sent (names are French and stable: `portee`, `titre`, `c0_membre`...).
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn bounded(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Reads the draft back from the form, every field cut to the API's bound.
fn read_draft(fields: &Fields) -> Draft {
    Draft {
        scope: bounded(field(fields, "portee"), 40 + DOMAIN_MAX),
        title: bounded(field(fields, "titre"), TITLE_MAX),
        statement: bounded(field(fields, "enonce"), TEXT_MAX),
        rationale: bounded(field(fields, "motifs"), TEXT_MAX),
        published: field(fields, "visibilite") == "publiee",
        wide: field(fields, "portee_decision") == "mouvement",
        rows: (0..ROWS)
            .map(|i| Row {
                member: bounded(field(fields, &format!("c{i}_membre")), 36),
                stance: bounded(field(fields, &format!("c{i}_avis")), 10),
                date: bounded(field(fields, &format!("c{i}_date")), 10),
                said: bounded(field(fields, &format!("c{i}_dit")), TEXT_MAX),
            })
            .collect(),
        effects: Effects {
            admit_name: bounded(field(fields, "admettre_nom"), TITLE_MAX),
            admit_email: bounded(field(fields, "admettre_courriel"), EMAIL_MAX),
            remove: bounded(field(fields, "retirer_membre"), 36),
            holder: bounded(field(fields, "confier_membre"), 36),
            unit: bounded(field(fields, "confier_unite"), 36),
            domains: bounded(field(fields, "confier_domaines"), DOMAINS_MAX * DOMAIN_MAX),
            referent: field(fields, "confier_role") == "referent",
            starts: bounded(field(fields, "confier_debut"), 10),
            ends: bounded(field(fields, "confier_fin"), 10),
            revoke: bounded(field(fields, "revoquer_mandat"), 36),
            archive: bounded(field(fields, "archiver_unite"), 36),
        },
    }
}

/// The `EffectInput`s the filled fieldsets mean, or what to fix first. Only the shape is
/// checked here (ids, dates): whether the decision may carry them is the API's to say.
fn effects_of(
    e: &Effects,
    tz: chrono_tz::Tz,
    p: &'static ui::decide::Decide,
) -> Result<Vec<serde_json::Value>, &'static str> {
    let id = |raw: &str, why: &'static str| uuid::Uuid::parse_str(raw.trim()).map_err(|_| why);
    let mut out = Vec::new();
    if !e.admit_name.trim().is_empty() || !e.admit_email.trim().is_empty() {
        out.push(json!({ "admitMember": {
            "name": e.admit_name.trim(),
            "email": e.admit_email.trim(),
        } }));
    }
    if !e.remove.is_empty() {
        out.push(json!({ "removeMember": id(&e.remove, p.bad_effect_mandate)? }));
    }
    let assigning = [&e.holder, &e.unit, &e.domains, &e.starts, &e.ends]
        .iter()
        .any(|f| !f.trim().is_empty());
    if assigning {
        let holder = id(&e.holder, p.bad_effect_member)?;
        let unit = id(&e.unit, p.bad_effect_unit)?;
        let domains: Vec<String> = e
            .domains
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .take(DOMAINS_MAX)
            .map(|d| bounded(d, DOMAIN_MAX))
            .collect();
        let ends = time::parse_field(&e.ends, tz, true).ok_or(p.bad_effect_dates)?;
        // Today (or nothing) means "from the recording": the API refuses a start before it.
        let starts = if e.starts.trim().is_empty() || e.starts == time::field(Utc::now(), tz) {
            None
        } else {
            Some(time::parse_field(&e.starts, tz, false).ok_or(p.bad_effect_dates)?)
        };
        let mut input = json!({
            "holderId": holder,
            "unitId": unit,
            "role": if e.referent { "REFERENT" } else { "HOLDER" },
            "endsAt": ends,
        });
        if !domains.is_empty() {
            input["domains"] = json!(domains);
        }
        if let Some(at) = starts {
            input["startsAt"] = json!(at);
        }
        out.push(json!({ "assignMandate": input }));
    }
    if !e.revoke.is_empty() {
        out.push(json!({ "revokeMandate": id(&e.revoke, p.bad_effect_mandate)? }));
    }
    if !e.archive.is_empty() {
        out.push(json!({ "archiveUnit": id(&e.archive, p.bad_effect_mandate)? }));
    }
    Ok(out)
}

/// The unit and domain the form names.
fn scope_of(draft: &Draft) -> Option<(uuid::Uuid, String)> {
    let (unit, domain) = draft.scope.split_once('|')?;
    let unit = uuid::Uuid::parse_str(unit).ok()?;
    let domain = domain.trim();
    (!domain.is_empty()).then(|| (unit, domain.to_owned()))
}

/// The `RecordDecisionInput` the draft means, or the sentence saying what to fix first.
fn input_of(
    draft: &Draft,
    tz: chrono_tz::Tz,
    p: &'static ui::decide::Decide,
) -> Result<serde_json::Value, &'static str> {
    let (unit, domain) = scope_of(draft).ok_or(p.bad_scope)?;
    if draft.title.trim().is_empty() {
        return Err(p.missing_title);
    }
    let mut consultations = Vec::new();
    for row in &draft.rows {
        if row.member.is_empty() {
            // Words without a person would be lost silently: ask who said them.
            if !row.stance.is_empty() || !row.said.trim().is_empty() {
                return Err(p.bad_member);
            }
            continue;
        }
        let member = uuid::Uuid::parse_str(&row.member).map_err(|_| p.bad_member)?;
        let stance = match row.stance.as_str() {
            s @ ("SUPPORT" | "CONCERN" | "OBJECTION") => s,
            _ => return Err(p.missing_stance),
        };
        let at = time::parse_field(&row.date, tz, false).ok_or(p.bad_date)?;
        consultations.push(json!({
            "memberId": member,
            "consultedAt": at,
            "stance": stance,
            "said": row.said,
        }));
    }
    let effects = effects_of(&draft.effects, tz, p)?;
    Ok(json!({
        "effects": effects,
        "unitId": unit,
        "domain": domain,
        "title": draft.title,
        "statement": draft.statement,
        "rationale": draft.rationale,
        "visibility": if draft.published { "PUBLISHED" } else { "MEMBERS" },
        "impact": { "kind": if draft.wide { "MOVEMENT_WIDE" } else { "THIS_UNIT" } },
        "consultations": consultations,
    }))
}

/// A refusal the form shows inline; the few that are not about the form (signed out, too many
/// requests, the server unwell) get their own page.
fn inline(r: Refused) -> Result<Refusal, PageError> {
    match r.code {
        Code::Unauthenticated | Code::RateLimited | Code::Internal | Code::Timeout => Err(r.into()),
        code => {
            let route: Vec<String> = r.route.into_iter().map(|s| s.unit_name).collect();
            // The proposal waits with the route's first body (the Coordination, else the Agora).
            let escalate = (code == Code::EscalationRequired)
                .then(|| route.first().cloned().unwrap_or_default());
            Ok(Refusal {
                message: r.message,
                route,
                escalate,
            })
        }
    }
}

/// "Vérifier", "Enregistrer" or "Porter à ...": one form, three buttons (`action`).
pub(in crate::web) async fn submit(visit: Visit, Form(fields): Form<Fields>) -> Response {
    let done = async {
        let me = visit.member()?;
        visit.check_form(field(&fields, "csrf"))?;
        let lang = visit.lang();
        let tz = visit.tz();
        let p = ui::pick(lang, &ui::decide::FR, &ui::decide::EN);
        let mut draft = read_draft(&fields);
        // A row left without a date shows today's again, as the empty form did.
        let today = time::field(Utc::now(), tz);
        for row in draft.rows.iter_mut().filter(|r| r.date.is_empty()) {
            row.date.clone_from(&today);
        }
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let local = |message: &str| Refusal {
            message: message.to_owned(),
            route: Vec::new(),
            escalate: None,
        };
        match field(&fields, "action") {
            "verifier" => {
                let Some((unit, domain)) = scope_of(&draft) else {
                    let r = local(p.bad_scope);
                    return render(&visit, me, unprocessable, draft, None, Some(r), None).await;
                };
                let vars = json!({ "me": me.as_uuid(), "unitId": unit, "domain": domain });
                match gql::run::<CheckData>(&visit.web, Some(me), lang, CHECK, vars).await {
                    Ok(d) => {
                        let v = d.may_decide;
                        let checked = Checked {
                            allowed: v.allowed,
                            reason: v.reason,
                            until: v
                                .until
                                .filter(|_| v.allowed)
                                .map(|u| time::day(u, tz, lang)),
                            route: v.escalate_to.into_iter().map(|s| s.unit_name).collect(),
                        };
                        render(&visit, me, StatusCode::OK, draft, Some(checked), None, None).await
                    }
                    Err(r) => {
                        let r = inline(r)?;
                        render(&visit, me, unprocessable, draft, None, Some(r), None).await
                    }
                }
            }
            action @ ("enregistrer" | "escalader") => {
                let input = match input_of(&draft, tz, p) {
                    Ok(i) => i,
                    Err(why) => {
                        let r = local(why);
                        return render(&visit, me, unprocessable, draft, None, Some(r), None).await;
                    }
                };
                let vars = json!({ "input": input });
                let outcome = if action == "enregistrer" {
                    gql::run::<RecordData>(&visit.web, Some(me), lang, RECORD, vars)
                        .await
                        .map(|d| format!("/decisions/{}?fait=1", d.record_decision.decision.id))
                } else {
                    gql::run::<serde_json::Value>(&visit.web, Some(me), lang, ESCALATE, vars)
                        .await
                        .map(|_| "/decider?fait=escalade".to_owned())
                };
                match outcome {
                    Ok(to) => Ok(visit.redirect(&to)),
                    Err(r) => {
                        let r = inline(r)?;
                        render(&visit, me, unprocessable, draft, None, Some(r), None).await
                    }
                }
            }
            // An unknown action records nothing: show the form again as typed.
            _ => render(&visit, me, StatusCode::OK, draft, None, None, None).await,
        }
    }
    .await;
    visit.answer(done)
}

/// The flash a decision's page shows right after it was recorded here.
pub(in crate::web) fn recorded(lang: Lang) -> &'static str {
    ui::pick(lang, &ui::decide::FR, &ui::decide::EN).recorded
}

pub(super) fn routes() -> axum::Router<super::super::Shared> {
    axum::Router::new().route("/decider", axum::routing::get(show).post(submit))
}
