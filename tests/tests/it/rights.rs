//! The rights matrix: each kind of caller (an outsider, a member without mandate, a holder, a
//! referent, a Coordination member) against every query and mutation, as a snapshot. A change
//! to who may read or write what shows up in review as a change of this table.

use crate::app::{TestApp, code};
use crate::helpers::TestDb;
use serde_json::{Value, json};

/// The callers, as the demo's members: Léo holds no mandate, Gaspard holds one, Karima is a
/// referent, Awa is the Coordination's referent.
const CALLERS: [(&str, Option<&str>); 5] = [
    ("outsider", None),
    ("member", Some("Léo")),
    ("holder", Some("Gaspard")),
    ("referent", Some("Karima")),
    ("coordination", Some("Awa")),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rights_matrix_of_every_operation_and_kind_of_caller() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Awa").await;
    let look = app
        .gql(
            Some("Awa"),
            "{ tensions { id title } meetings { id kind heldAt } decisions(first: 50) { edges { node { id title visibility } } } missingReports { mandateId coversFrom coversUntil } }",
            json!({}),
        )
        .await;
    let find = |list: &Value, key: &str, value: &str| -> String {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x[key] == value)
            .unwrap_or_else(|| panic!("no {value}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let accueil = find(
        &look["data"]["tensions"],
        "title",
        "Les nouveaux ne savent pas à qui s'adresser",
    );
    let meetings = look["data"]["meetings"].as_array().unwrap();
    let next_fonctionnement = meetings
        .iter()
        .rev()
        .find(|m| m["kind"] == "fonctionnement")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let edges: Vec<Value> = look["data"]["decisions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let published = edges
        .iter()
        .find(|d| d["visibility"] == "PUBLISHED")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let internal = edges.iter().find(|d| d["visibility"] == "MEMBERS").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let due = &look["data"]["missingReports"][0];
    let finances = ids.unit("Pôle Finances et Logistique").to_owned();
    let accueil_unit = ids.unit("Comité Accueil").to_owned();
    let events = ids.unit("Comité Événements").to_owned();
    let elise_mandate = ids.mandate("Élise@Pôle Communication").to_owned();
    let leo = ids.member("Léo").to_owned();
    let later = (chrono::Utc::now() + chrono::Duration::days(20)).to_rfc3339();
    let later_end =
        (chrono::Utc::now() + chrono::Duration::days(20) + chrono::Duration::hours(2)).to_rfc3339();
    let awa = ids.member("Awa").to_owned();

    let operations: Vec<(&str, String, Value)> = vec![
        ("query me", "{ me { name } }".into(), json!({})),
        ("query organization", "{ organization { name settings { maxMandateMonths } } }".into(), json!({})),
        ("query units", "{ units { name } }".into(), json!({})),
        ("query unit", "query($u: UUID!) { unit(id: $u) { name } }".into(), json!({"u": finances})),
        ("query members", "{ members { name } }".into(), json!({})),
        ("query member", "query($m: UUID!) { member(id: $m) { name } }".into(), json!({"m": leo})),
        ("query mandates", "{ mandates { id } }".into(), json!({})),
        ("query mayDecide", "query($m: UUID!, $u: UUID!) { mayDecide(memberId: $m, unitId: $u, domain: \"dépenses\") { code } }".into(), json!({"m": leo, "u": finances})),
        ("query whoMayDecide", "query($u: UUID!) { whoMayDecide(unitId: $u, domain: \"dépenses\") { memberName } }".into(), json!({"u": finances})),
        ("query authorityMap", "{ authorityMap { domain } }".into(), json!({})),
        ("query decisions", "{ decisions(first: 5) { edges { node { title } } } }".into(), json!({})),
        ("query search", "{ search(query: \"fête\", first: 5) { totalCount edges { node { decision { title } } } } }".into(), json!({})),
        ("query decision (published)", "query($d: UUID!) { decision(id: $d) { title } }".into(), json!({"d": published})),
        ("query decision (internal)", "query($d: UUID!) { decision(id: $d) { title } }".into(), json!({"d": internal})),
        ("query decision.consultations (published)", "query($d: UUID!) { decision(id: $d) { consultations { said } } }".into(), json!({"d": published})),
        ("query decisionsInForce", "query($u: UUID!) { decisionsInForce(unitId: $u, domain: \"programmation\") { title } }".into(), json!({"u": events})),
        ("query catchUp", "{ catchUp { title } }".into(), json!({})),
        ("query tensions", "{ tensions { title } }".into(), json!({})),
        ("query meetings", "{ meetings { kind } }".into(), json!({})),
        ("query accountReports", "{ accountReports { summary } }".into(), json!({})),
        ("query missingReports", "{ missingReports { holderName } }".into(), json!({})),
        ("query expiringMandates", "{ expiringMandates(withinDays: 31) { id } }".into(), json!({})),
        ("query powerDistribution", "{ powerDistribution { topSharePercent } }".into(), json!({})),
        ("query auditLog", "{ auditLog(first: 3) { revision } }".into(), json!({})),
        ("query verifyChain", "{ verifyChain { intact } }".into(), json!({})),
        ("query chainHead", "{ chainHead { revision } }".into(), json!({})),
        ("query revision", "{ revision }".into(), json!({})),
        (
            "mutation recordDecision (matériel, Pôle Finances)",
            "mutation($u: UUID!) { recordDecision(input: {unitId: $u, domain: \"matériel\", title: \"Achat de gobelets\"}) { revision } }".into(),
            json!({"u": finances}),
        ),
        ("mutation commitToMandate (Élise's)", "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision } }".into(), json!({"m": elise_mandate})),
        (
            "mutation raiseTension",
            "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Le planning d'accueil est introuvable\"}) { revision } }".into(),
            json!({"u": accueil_unit}),
        ),
        ("mutation scheduleTension", "mutation($t: UUID!, $m: UUID!) { scheduleTension(tensionId: $t, meetingId: $m) { revision } }".into(), json!({"t": accueil, "m": next_fonctionnement})),
        ("mutation processTension", "mutation($t: UUID!) { processTension(tensionId: $t, outcome: \"Un binôme d'accueil\") { revision } }".into(), json!({"t": accueil})),
        ("mutation withdrawTension", "mutation($t: UUID!) { withdrawTension(tensionId: $t) { revision } }".into(), json!({"t": accueil})),
        (
            "mutation conveneMeeting (Gouvernance, in 20 days)",
            "mutation($at: DateTime!, $end: DateTime!) { conveneMeeting(input: {kind: {gouvernance: true}, startsAt: $at, endsAt: $end, place: \"Local\"}) { revision } }".into(),
            json!({"at": later, "end": later_end}),
        ),
        ("mutation signAttendance (not started)", "mutation($m: UUID!) { signAttendance(meetingId: $m) { revision } }".into(), json!({"m": next_fonctionnement})),
        ("mutation giveProxy (to Awa, none below the Agora)", "mutation($m: UUID!, $to: UUID!) { giveProxy(meetingId: $m, toMemberId: $to) { revision } }".into(), json!({"m": next_fonctionnement, "to": awa})),
        ("mutation closeMinutes (not started)", "mutation($m: UUID!) { closeMinutes(meetingId: $m) { revision } }".into(), json!({"m": next_fonctionnement})),
        ("query inbox", "{ inbox { title } }".into(), json!({})),
        ("query meetingCadence", "{ meetingCadence { kind overdue } }".into(), json!({})),
        (
            "mutation submitAccountReport (Karima's mandate)",
            "mutation($m: UUID!, $f: DateTime!, $t: DateTime!) { submitAccountReport(mandateId: $m, coversFrom: $f, coversUntil: $t, summary: \"Accueil de six personnes\") { revision } }".into(),
            json!({"m": due["mandateId"], "f": due["coversFrom"], "t": due["coversUntil"]}),
        ),
        ("mutation markRead", "mutation { markRead }".into(), json!({})),
        ("query calendarFeeds", "{ calendarFeeds { hasKey } }".into(), json!({})),
        ("query exportCsv (decisions)", "{ exportCsv(what: DECISIONS) }".into(), json!({})),
        ("query exportCsv (mandates)", "{ exportCsv(what: MANDATES) }".into(), json!({})),
        ("query exportCsv (tensions)", "{ exportCsv(what: TENSIONS) }".into(), json!({})),
        ("mutation regenerateCalendarKey", "mutation { regenerateCalendarKey { memberFeedUrl } }".into(), json!({})),
        ("query mailPreferences", "{ mailPreferences { cadence } }".into(), json!({})),
        ("mutation setMailPreferences", "mutation { setMailPreferences(cadence: WEEKLY) { cadence } }".into(), json!({})),
        ("query webhooks", "{ webhooks { id } }".into(), json!({})),
        ("query outbox", "{ outbox { key } }".into(), json!({})),
        ("query deadLetters", "{ deadLetters { key } }".into(), json!({})),
        ("mutation registerWebhook (loopback target)", "mutation { registerWebhook(url: \"http://127.0.0.1:9/\") { secret } }".into(), json!({})),
        ("mutation disableWebhook (unknown)", "mutation($id: UUID!) { disableWebhook(id: $id) }".into(), json!({"id": uuid::Uuid::nil()})),
    ];

    let mut results: Vec<Vec<String>> = vec![Vec::new(); operations.len()];
    for (_, who) in CALLERS {
        for (i, (_, query, vars)) in operations.iter().enumerate() {
            results[i].push(code(&app.gql(who, query, vars.clone()).await));
        }
    }
    let mut table = String::from(
        "| operation | outsider | member | holder | referent | coordination |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for ((name, _, _), row) in operations.iter().zip(&results) {
        table.push_str(&format!("| {name} | {} |\n", row.join(" | ")));
    }
    insta::assert_snapshot!(table);
}
