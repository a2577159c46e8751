//! Group decisions over HTTP (R10), on SQLite and on PostgreSQL: the takeover of the issue,
//! refused step by step with its codes and nothing stored; then the honest path of a meeting
//! (convene, give a proxy, sign, reach the quorum, decide, close) accepted.
//!
//! The server's clock is the wall clock, and a meeting can only be signed while it takes
//! place, after its notice. So the movement of these tests, the *Collectif du Canal*, is
//! written through the engine with its past relative to now: founded forty days ago, with an
//! Agora convened then that is in session right now.

use crate::app::{TestApp, code};
use crate::helpers::{TestDb, on_both_backends};
use chrono::{Duration, SecondsFormat, Utc};
use governance_core::builder::MovementBuilder;
use governance_core::meeting::{AgendaItem, MeetingKind};
use governance_core::{Impact, OrganizationId, Role, UnitKind};
use serde_json::{Value, json};

on_both_backends!(
    r10_the_takeover_is_refused_at_every_step_and_stores_nothing,
    r10_an_honest_agora_convenes_signs_reaches_its_quorum_decides_and_closes,
);

const RECORD: &str = "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { decision { id decidedBy } revision } }";

fn stamp(at: chrono::DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn iso(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The Collectif du Canal: eight members; Awa is the Coordination's referent, Bruno holds its
/// budget and mandates, Chloé is the referent of the Comité Quartier, where Djamel holds the
/// rounds; Léo, Fatou, Julien and Karima hold nothing. An Agora, convened by Awa thirty-nine
/// days ago with the annual budget on its agenda, started ten minutes ago and lasts three
/// hours; Fatou gave Awa her proxy for it.
fn canal() -> MovementBuilder {
    let now = Utc::now();
    let founded = now - Duration::days(40);
    let at = |d: Duration| stamp(founded + d);
    let mut b = MovementBuilder::with_ids(
        OrganizationId::from_uuid(uuid::Uuid::now_v7()),
        "Collectif du Canal",
        0,
        Box::new(uuid::Uuid::now_v7),
    );
    let mut effects = vec![b.new_unit(
        "Agora",
        UnitKind::Agora,
        None,
        &["charte", "règles", "budget annuel"],
    )];
    let people = [
        "Awa", "Bruno", "Chloé", "Djamel", "Léo", "Fatou", "Julien", "Karima",
    ];
    for p in people {
        let email = format!("{}@canal.example", p.to_lowercase().replace('é', "e"));
        effects.push(b.new_member(&format!("{p} Canal"), &email));
    }
    effects.push(governance_core::Effect::ChangeSettings(Box::new(
        governance_core::demo::settings(),
    )));
    effects.push(b.new_unit(
        "Coordination",
        UnitKind::Coordination,
        Some("Agora"),
        &["structure", "mandats", "règles", "budget"],
    ));
    effects.push(b.new_unit(
        "Comité Quartier",
        UnitKind::Comite,
        Some("Coordination"),
        &["tournées", "argumentaires"],
    ));
    let start = at(Duration::zero());
    let end = at(Duration::days(300));
    effects.push(b.new_mandate(
        "awa",
        "Awa",
        "Coordination",
        None,
        Role::Referent,
        &start,
        &end,
    ));
    effects.push(b.new_mandate(
        "bruno",
        "Bruno",
        "Coordination",
        Some(&["budget", "mandats"]),
        Role::Holder,
        &start,
        &end,
    ));
    effects.push(b.new_mandate(
        "chloe",
        "Chloé",
        "Comité Quartier",
        None,
        Role::Referent,
        &start,
        &end,
    ));
    effects.push(b.new_mandate(
        "djamel",
        "Djamel",
        "Comité Quartier",
        Some(&["tournées"]),
        Role::Holder,
        &start,
        &end,
    ));
    b.decision_draft(
        "fondation",
        "Agora",
        "charte",
        "Fondation du Collectif du Canal",
        &start,
    )
    .founding("assemblee", &people)
    .impact(Impact::MovementWide)
    .effects(effects)
    .record()
    .unwrap();
    for key in ["awa", "bruno", "chloe", "djamel"] {
        b.commit(key, &at(Duration::hours(1))).unwrap();
    }
    let agora_start = now - Duration::minutes(10);
    b.convene(
        "agora",
        MeetingKind::Agora,
        &stamp(agora_start),
        &stamp(agora_start + Duration::hours(3)),
        "Péniche du Canal",
        vec![AgendaItem::Domain(governance_core::builder::domain(
            "budget annuel",
        ))],
        "Awa",
        &at(Duration::days(1)),
    )
    .unwrap();
    b.proxy("agora", "Fatou", "Awa", &at(Duration::days(2)))
        .unwrap();
    // The Comité Quartier meets too, convened by Chloé three days ago, in session now.
    let comite_start = now - Duration::minutes(5);
    let comite = MeetingKind::Unit(b.unit("Comité Quartier"));
    b.convene(
        "comite",
        comite,
        &stamp(comite_start),
        &stamp(comite_start + Duration::hours(2)),
        "Local du Comité",
        vec![],
        "Chloé",
        &stamp(now - Duration::days(3)),
    )
    .unwrap();
    b
}

/// A server over the Collectif du Canal, with a token for each member.
async fn canal_app(db: TestDb) -> (TestApp, MovementBuilder) {
    let b = canal();
    let store = db.open().await;
    let org = b.movement().organization().clone();
    let mut events = b.events().to_vec().into_iter();
    store
        .found(org.clone(), events.next().unwrap(), None)
        .await
        .unwrap();
    for e in events {
        store.append(org.id, e, None, None).await.unwrap();
    }
    let app = TestApp::over(
        db,
        store,
        org.id,
        &[
            "Awa", "Bruno", "Chloé", "Djamel", "Léo", "Fatou", "Julien", "Karima",
        ],
    )
    .await;
    (app, b)
}

async fn revision(app: &TestApp) -> i64 {
    app.gql(Some("Awa"), "{ revision }", json!({})).await["data"]["revision"]
        .as_i64()
        .unwrap()
}

fn data<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut cur = &v["data"];
    for p in path.split('.') {
        cur = &cur[p];
    }
    assert!(!cur.is_null(), "no {path} in {v}");
    cur
}

async fn r10_the_takeover_is_refused_at_every_step_and_stores_nothing(db: TestDb) {
    let (app, b) = canal_app(db).await;
    let id = |k: &str| b.member(k).as_uuid().to_string();
    let unit = |k: &str| b.unit(k).as_uuid().to_string();
    let before = revision(&app).await;
    let map_before = app
        .gql(
            Some("Awa"),
            "{ authorityMap { unitName domain holders { memberName until } } }",
            json!({}),
        )
        .await;

    // 1. Léo alone "as the Agora": revokes Awa, lifts every consultation, lengthens mandates
    // to ten years and gives himself the Coordination until 2035.
    let settings = json!({"maxMandateMonths": 120, "requiredConsultations": [], "movementWideGoesTo": "COORDINATION",
        "agoraDomains": [], "accountReportEveryMonths": 3, "fonctionnementEveryMonths": 2, "mandateAssigner": "ANCESTOR",
        "mandatesDomain": "mandats", "structureDomain": "structure", "rulesDomain": "règles"});
    let coup = json!({"unitId": unit("Agora"), "domain": "règles", "title": "Nouvelles règles", "impact": {"kind": "MOVEMENT_WIDE"},
    "participantIds": [id("Léo")],
    "effects": [
        {"revokeMandate": b.mandate("awa").as_uuid()},
        {"changeSettings": settings},
        {"assignMandate": {"holderId": id("Léo"), "unitId": unit("Coordination"), "role": "REFERENT", "endsAt": "2035-01-01T00:00:00Z"}},
    ]});
    let alone = app.gql(Some("Léo"), RECORD, json!({"input": coup})).await;
    assert_eq!(code(&alone), "MEETING_REQUIRED", "{alone}");
    // 2. The same in the Agora in session, where nobody has signed in yet (so it has not
    // taken place); then in the founding assembly, closed since the founding.
    let mut in_session = coup.clone();
    in_session["meetingId"] = json!(b.meeting("agora").as_uuid());
    let unsigned = app
        .gql(Some("Léo"), RECORD, json!({"input": in_session}))
        .await;
    assert_eq!(code(&unsigned), "MEETING_NOT_HELD", "{unsigned}");
    let mut founding = coup.clone();
    founding["meetingId"] = json!(b.meeting("assemblee").as_uuid());
    let closed = app
        .gql(Some("Léo"), RECORD, json!({"input": founding}))
        .await;
    assert_eq!(code(&closed), "MINUTES_CLOSED", "{closed}");
    // 3. He lists Awa and Bruno as co-deciders of the Coordination, without their knowledge.
    let listed = app
        .gql(Some("Léo"), RECORD, json!({"input": {"unitId": unit("Coordination"), "domain": "mandats", "title": "Révocation",
            "participantIds": [id("Léo"), id("Awa"), id("Bruno")], "effects": [{"revokeMandate": b.mandate("bruno").as_uuid()}]}}))
        .await;
    assert_eq!(code(&listed), "MEETING_REQUIRED", "{listed}");
    // 4. He convenes a Coordination meeting of his own: he is not entitled.
    let starts = Utc::now() + Duration::days(3);
    let convene = "mutation($k: MeetingKindInput!, $s: DateTime!, $e: DateTime!) { conveneMeeting(input: {kind: $k, startsAt: $s, endsAt: $e, place: \"Chez Léo\"}) { meeting { id status } } }";
    let own = app
        .gql(Some("Léo"), convene, json!({"k": {"unit": unit("Coordination")}, "s": iso(starts), "e": iso(starts + Duration::hours(1))}))
        .await;
    assert_eq!(code(&own), "NOT_ENTITLED", "{own}");
    // 5. Djamel, a holder, as a "group" of one in his Comité to skip consultations.
    let one = app
        .gql(Some("Djamel"), RECORD, json!({"input": {"unitId": unit("Comité Quartier"), "domain": "tournées", "title": "Tournée",
            "participantIds": [id("Djamel")]}}))
        .await;
    assert_eq!(code(&one), "MEETING_REQUIRED", "{one}");
    // 6. He signs in for someone else: the API has no such argument; he can only sign himself,
    // and a proxy can be given only in one's own name and before the start.
    let late_proxy = app
        .gql(Some("Julien"), "mutation($m: UUID!, $to: UUID!) { giveProxy(meetingId: $m, toMemberId: $to) { revision } }",
            json!({"m": b.meeting("agora").as_uuid(), "to": id("Léo")}))
        .await;
    assert_eq!(code(&late_proxy), "PROXY_REFUSED", "{late_proxy}");
    // Nothing was stored, and who decides what is unchanged.
    assert_eq!(revision(&app).await, before);
    let map_after = app
        .gql(
            Some("Awa"),
            "{ authorityMap { unitName domain holders { memberName until } } }",
            json!({}),
        )
        .await;
    assert_eq!(map_before, map_after);
    // 7. Signed in, he is one of eight: a quorum needs two, and the charter is not on the
    // agenda anyway.
    let signed = app
        .gql(
            Some("Léo"),
            "mutation($m: UUID!) { signAttendance(meetingId: $m) { revision } }",
            json!({"m": b.meeting("agora").as_uuid()}),
        )
        .await;
    assert_eq!(code(&signed), "OK", "{signed}");
    let short = app
        .gql(Some("Léo"), RECORD, json!({"input": in_session}))
        .await;
    assert_eq!(code(&short), "QUORUM_NOT_REACHED", "{short}");
    assert_eq!(
        revision(&app).await,
        before + 1,
        "only his signature was stored"
    );
    // 8. An Agora convened by him is a petition: not convened until a quarter of the members
    // sign it, each for themselves; nobody signs in to it before.
    let in_twenty = Utc::now() + Duration::days(20);
    let petition = app
        .gql(Some("Léo"), convene, json!({"k": {"agora": true}, "s": iso(in_twenty), "e": iso(in_twenty + Duration::hours(2))}))
        .await;
    assert_eq!(
        data(&petition, "conveneMeeting.meeting.status"),
        "PETITION",
        "{petition}"
    );
    let pid = data(&petition, "conveneMeeting.meeting.id").clone();
    let sign_in = app
        .gql(
            Some("Léo"),
            "mutation($m: UUID!) { signAttendance(meetingId: $m) { revision } }",
            json!({"m": pid}),
        )
        .await;
    assert_eq!(code(&sign_in), "MEETING_NOT_CONVENED", "{sign_in}");
    let twice = app
        .gql(
            Some("Léo"),
            "mutation($m: UUID!) { signPetition(meetingId: $m) { revision } }",
            json!({"m": pid}),
        )
        .await;
    assert_eq!(code(&twice), "CONFLICT", "{twice}");
    let julien = app
        .gql(Some("Julien"), "mutation($m: UUID!) { signPetition(meetingId: $m) { meeting { status petitionSignatures { name } } } }", json!({"m": pid}))
        .await;
    assert_eq!(
        data(&julien, "signPetition.meeting.status"),
        "CONVENED",
        "{julien}"
    );
}

async fn r10_an_honest_agora_convenes_signs_reaches_its_quorum_decides_and_closes(db: TestDb) {
    let (app, b) = canal_app(db).await;
    let unit = |k: &str| b.unit(k).as_uuid().to_string();
    let agora = b.meeting("agora").as_uuid();
    let sign = "mutation($m: UUID!) { signAttendance(meetingId: $m) { meeting { status attendance { count quorum quorumReached present { name } represented { memberName byName } guests { name } } } } }";
    let budget = json!({"unitId": unit("Agora"), "domain": "budget annuel", "title": "Budget annuel adopté", "meetingId": agora,
        "impact": {"kind": "MOVEMENT_WIDE"}, "statement": "Le budget de l'année est adopté."});

    // Léo signs first: one of eight, a quarter is two; Fatou's proxy counts only once Awa,
    // who carries it, has signed.
    let leo = app.gql(Some("Léo"), sign, json!({"m": agora})).await;
    assert_eq!(
        data(&leo, "signAttendance.meeting.status"),
        "IN_SESSION",
        "{leo}"
    );
    assert_eq!(data(&leo, "signAttendance.meeting.attendance.count"), 1);
    assert_eq!(data(&leo, "signAttendance.meeting.attendance.quorum"), 2);
    let early = app.gql(Some("Léo"), RECORD, json!({"input": budget})).await;
    assert_eq!(code(&early), "QUORUM_NOT_REACHED", "{early}");
    // A secretary who has not signed cannot record for the meeting.
    let unsigned = app
        .gql(Some("Bruno"), RECORD, json!({"input": budget}))
        .await;
    assert_eq!(code(&unsigned), "NOT_AN_ATTENDEE", "{unsigned}");
    let awa = app.gql(Some("Awa"), sign, json!({"m": agora})).await;
    let attendance = data(&awa, "signAttendance.meeting.attendance");
    assert_eq!(attendance["count"], 3, "{awa}");
    assert_eq!(attendance["quorumReached"], true);
    assert_eq!(attendance["represented"][0]["memberName"], "Fatou Canal");
    assert_eq!(attendance["represented"][0]["byName"], "Awa Canal");
    let again = app.gql(Some("Awa"), sign, json!({"m": agora})).await;
    assert_eq!(code(&again), "CONFLICT", "{again}");
    // Off the agenda, the Agora does not decide.
    let mut charter = budget.clone();
    charter["domain"] = json!("charte");
    let off = app
        .gql(Some("Awa"), RECORD, json!({"input": charter}))
        .await;
    assert_eq!(code(&off), "NOT_ON_AGENDA", "{off}");
    // Awa records the decision as the meeting's secretary: its participants are the signed
    // and the represented, who share it (R10).
    let decided = app.gql(Some("Awa"), RECORD, json!({"input": budget})).await;
    assert_eq!(code(&decided), "OK", "{decided}");
    let mut by: Vec<String> = data(&decided, "recordDecision.decision.decidedBy")
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    by.sort();
    assert_eq!(by, ["Awa Canal", "Fatou Canal", "Léo Canal"]);
    // Léo, who signed but recorded nothing, does not close it; Awa, its chair, does.
    let close = "mutation($m: UUID!) { closeMinutes(meetingId: $m) { meeting { status closedAt decisions { title } secretaries } } }";
    let by_leo = app.gql(Some("Léo"), close, json!({"m": agora})).await;
    assert_eq!(code(&by_leo), "NOT_AN_ATTENDEE", "{by_leo}");
    let closed = app.gql(Some("Awa"), close, json!({"m": agora})).await;
    assert_eq!(
        data(&closed, "closeMinutes.meeting.status"),
        "CLOSED",
        "{closed}"
    );
    assert_eq!(
        data(&closed, "closeMinutes.meeting.decisions")[0]["title"],
        "Budget annuel adopté"
    );
    let after = app.gql(Some("Awa"), RECORD, json!({"input": budget})).await;
    assert_eq!(code(&after), "MINUTES_CLOSED", "{after}");

    // The Comité Quartier's meeting in session: Chloé and Djamel sign, Djamel records the
    // Comité's decision, Chloé closes the relevé.
    let comite_now = b.meeting("comite").as_uuid();
    for who in ["Chloé", "Djamel"] {
        let signed = app.gql(Some(who), sign, json!({"m": comite_now})).await;
        assert_eq!(code(&signed), "OK", "{signed}");
    }
    let rounds = app
        .gql(
            Some("Djamel"),
            RECORD,
            json!({"input": {"unitId": unit("Comité Quartier"), "domain": "tournées",
            "title": "Tournée du samedi matin", "meetingId": comite_now}}),
        )
        .await;
    assert_eq!(code(&rounds), "OK", "{rounds}");
    assert_eq!(
        data(&rounds, "recordDecision.decision.decidedBy"),
        &json!(["Chloé Canal", "Djamel Canal"])
    );
    let closed = app
        .gql(Some("Chloé"), close, json!({"m": comite_now}))
        .await;
    assert_eq!(
        data(&closed, "closeMinutes.meeting.status"),
        "CLOSED",
        "{closed}"
    );

    // A Comité meeting, convened with notice by its referent: Djamel gives Chloé his proxy,
    // which no meeting below the Agora accepts by default, and the convocation shows on the
    // cadence of meetings and in the list.
    let starts = Utc::now() + Duration::days(2) + Duration::minutes(5);
    let convened = app
        .gql(Some("Chloé"), "mutation($u: UUID!, $s: DateTime!, $e: DateTime!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $s, endsAt: $e, place: \"Local\", agenda: [{domain: \"tournées\"}]}) { meeting { id status agendaItems { kind title } } } }",
            json!({"u": unit("Comité Quartier"), "s": iso(starts), "e": iso(starts + Duration::hours(2))}))
        .await;
    assert_eq!(
        data(&convened, "conveneMeeting.meeting.status"),
        "CONVENED",
        "{convened}"
    );
    assert_eq!(
        data(&convened, "conveneMeeting.meeting.agendaItems")[0]["title"],
        "tournées"
    );
    let comite = data(&convened, "conveneMeeting.meeting.id").clone();
    let proxy = app
        .gql(Some("Djamel"), "mutation($m: UUID!, $to: UUID!) { giveProxy(meetingId: $m, toMemberId: $to) { revision } }",
            json!({"m": comite, "to": b.member("Chloé").as_uuid()}))
        .await;
    assert_eq!(code(&proxy), "PROXY_REFUSED", "{proxy}");
    // At the Agora, proxies are given and withdrawn before the start.
    let in_twenty = Utc::now() + Duration::days(20);
    let next_agora = app
        .gql(Some("Awa"), "mutation($s: DateTime!, $e: DateTime!) { conveneMeeting(input: {kind: {agora: true}, startsAt: $s, endsAt: $e, place: \"Péniche\", agenda: [{domain: \"charte\"}]}) { meeting { id status } } }",
            json!({"s": iso(in_twenty), "e": iso(in_twenty + Duration::hours(3))}))
        .await;
    assert_eq!(
        data(&next_agora, "conveneMeeting.meeting.status"),
        "CONVENED",
        "{next_agora}"
    );
    let next = data(&next_agora, "conveneMeeting.meeting.id").clone();
    let given = app
        .gql(Some("Karima"), "mutation($m: UUID!, $to: UUID!) { giveProxy(meetingId: $m, toMemberId: $to) { meeting { proxies { fromName toName withdrawnAt } } } }",
            json!({"m": next, "to": b.member("Julien").as_uuid()}))
        .await;
    assert_eq!(
        data(&given, "giveProxy.meeting.proxies")[0]["toName"],
        "Julien Canal",
        "{given}"
    );
    let chained = app
        .gql(Some("Julien"), "mutation($m: UUID!, $to: UUID!) { giveProxy(meetingId: $m, toMemberId: $to) { revision } }",
            json!({"m": next, "to": b.member("Léo").as_uuid()}))
        .await;
    assert_eq!(code(&chained), "PROXY_REFUSED", "{chained}");
    let withdrawn = app
        .gql(Some("Karima"), "mutation($m: UUID!) { withdrawProxy(meetingId: $m) { meeting { proxies { withdrawnAt } } } }", json!({"m": next}))
        .await;
    assert!(!data(&withdrawn, "withdrawProxy.meeting.proxies")[0]["withdrawnAt"].is_null());
    let cadence = app
        .gql(
            Some("Léo"),
            "{ meetingCadence { kind overdue } meetings { kind status } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&cadence, "meetingCadence").as_array().unwrap().len(),
        2,
        "{cadence}"
    );
}
