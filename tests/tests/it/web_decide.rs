//! The pages *Décider* and *Tensions*, through a browser's eyes: a signed-in member's forms,
//! posted as a browser posts them. The page offers only one's own perimeters, but the API is
//! the rule: what is posted outside them is refused by the core, in French, with its route.

use crate::app::TestApp;
use crate::helpers::{TestDb, on_both_backends};
use serde_json::{Value, json};
use std::time::Duration;

// The effects of the form, on both databases: what they write is the store's to keep.
on_both_backends!(
    r6_web_assign_mandate_through_the_form,
    r6_web_assign_mandate_without_the_mandates_domain_is_refused_by_the_core,
    r1_web_admit_member_under_structure_through_the_form,
    csrf_web_decide_a_forged_token_on_a_form_with_effects_writes_nothing,
);

/// A member's browser: the session cookie, kept by hand (no cookie jar), no redirect followed.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

/// An answer: its status, where it redirects, and its text with the HTML entities undone.
struct Page {
    status: u16,
    location: String,
    text: String,
}

impl Page {
    /// The value of the page's first CSRF field.
    fn csrf(&self) -> String {
        let at = self
            .text
            .find("name=\"csrf\" value=\"")
            .expect("a CSRF field");
        let rest = &self.text[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    /// The `value` of the option whose label is `label`.
    fn option(&self, label: &str) -> String {
        let end = self
            .text
            .find(&format!("\">{label}</option>"))
            .unwrap_or_else(|| panic!("no option {label}"));
        let start = self.text[..end].rfind("value=\"").unwrap() + "value=\"".len();
        self.text[start..end].to_owned()
    }
}

fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Browser {
    async fn sign_in(app: &TestApp, who: &str) -> Self {
        let ids = app.ids(who).await;
        let member = governance_core::MemberId::from_uuid(ids.member(who).parse().unwrap());
        let base = format!("http://{}", app.addr);
        let link = graphql_server::web::issue_link(
            &app.store,
            app.org,
            member,
            &base,
            Duration::from_secs(600),
        )
        .await
        .unwrap();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let res = client.get(&link).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect::<Vec<_>>()
            .join("; ");
        assert!(cookie.contains("gouvernail_session="), "{cookie}");
        Self {
            client,
            base,
            cookie,
        }
    }

    async fn read(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = unescape(&res.text().await.unwrap());
        Page {
            status,
            location,
            text,
        }
    }

    async fn get(&self, path: &str) -> Page {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        Self::read(res).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept-language", "fr")
            .form(form)
            .send()
            .await
            .unwrap();
        Self::read(res).await
    }
}

async fn revision(app: &TestApp) -> i64 {
    app.gql(Some("Awa"), "{ revision }", json!({})).await["data"]["revision"]
        .as_i64()
        .unwrap()
}

/// Today's date for a date field: the start of the UTC day in Paris is never in the future.
fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn r8_web_a_holder_records_a_decision_with_consultations_and_it_is_in_the_record() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let gaspard = Browser::sign_in(&app, "Gaspard").await;
    let form = gaspard.get("/decider").await;
    assert_eq!(form.status, 200);
    // Only his own perimeters are offered (R5): his Pôle's domains, nobody else's.
    let scope = form.option("Pôle Finances et Logistique — matériel");
    assert!(!form.text.contains("Comité Événements — lieux"));
    let awa = form.option("Awa Diallo");
    let bruno = form.option("Bruno Lefèvre");
    let day = today();
    let done = gaspard
        .post(
            "/decider",
            &[
                ("csrf", &form.csrf()),
                ("portee", &scope),
                ("titre", "Achat de deux barnums"),
                ("enonce", "Le pôle achète deux barnums pour les fêtes."),
                ("motifs", "Les prêts de la mairie sont incertains."),
                ("visibilite", "membres"),
                ("portee_decision", "unite"),
                ("c0_membre", &awa),
                ("c0_avis", "SUPPORT"),
                ("c0_date", &day),
                ("c0_dit", "Bonne idée, on en a besoin."),
                ("c1_membre", &bruno),
                ("c1_avis", "CONCERN"),
                ("c1_date", &day),
                ("c1_dit", "Attention au budget de l'été."),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert!(
        done.location.starts_with("/decisions/"),
        "{}",
        done.location
    );
    assert!(done.location.ends_with("?fait=1"), "{}", done.location);

    let shown = gaspard.get(&done.location).await;
    assert_eq!(shown.status, 200);
    assert!(shown.text.contains("la décision est enregistrée"));
    assert!(shown.text.contains("Achat de deux barnums"));
    assert!(shown.text.contains("Awa Diallo"));
    assert!(shown.text.contains("Attention au budget de l'été."));

    let record = gaspard.get("/releve").await;
    assert!(record.text.contains("Achat de deux barnums"));
    let id = done.location["/decisions/".len()..done.location.len() - "?fait=1".len()].to_owned();
    let v = app
        .gql(
            Some("Awa"),
            "query($id: UUID!) { decision(id: $id) { consultations { memberName stance said } } }",
            json!({ "id": id }),
        )
        .await;
    let consulted = &v["data"]["decision"]["consultations"];
    assert_eq!(consulted.as_array().unwrap().len(), 2, "{v}");
    assert_eq!(consulted[1]["stance"], "CONCERN");
}

#[tokio::test]
async fn r9_web_a_decision_wider_than_the_holder_is_refused_with_its_route_and_escalates() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let helene = Browser::sign_in(&app, "Hélène").await;
    let form = helene.get("/decider").await;
    let scope = form.option("Comité Événements — lieux");
    let before = revision(&app).await;
    let fields = |action: &'static str, csrf: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("portee".to_owned(), scope.clone()),
            (
                "titre".to_owned(),
                "Une fête pour tout le mouvement".to_owned(),
            ),
            (
                "enonce".to_owned(),
                "Chaque unité tient un stand.".to_owned(),
            ),
            ("portee_decision".to_owned(), "mouvement".to_owned()),
            ("action".to_owned(), action.to_owned()),
        ]
    };
    let refused = helene
        .post_owned("/decider", &fields("enregistrer", &form.csrf()))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("role=\"alert\""));
    assert!(
        refused.text.contains("doit remonter en Coordination"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("<li>Coordination</li>"));
    assert!(refused.text.contains("value=\"escalader\""));
    assert!(refused.text.contains("Faire remonter en Coordination"));
    // What she typed is still there.
    assert!(refused.text.contains("Chaque unité tient un stand."));
    assert_eq!(revision(&app).await, before, "nothing recorded");

    let escalated = helene
        .post_owned("/decider", &fields("escalader", &refused.csrf()))
        .await;
    assert_eq!(escalated.status, 303, "{}", escalated.text);
    assert_eq!(escalated.location, "/decider?fait=escalade");
    let v = app
        .gql(Some("Awa"), "{ inbox { title bodyName } }", json!({}))
        .await;
    let inbox = v["data"]["inbox"].as_array().unwrap();
    assert!(
        inbox
            .iter()
            .any(|e| e["title"] == "Une fête pour tout le mouvement"
                && e["bodyName"] == "Coordination"),
        "{v}"
    );
    let back = helene.get(&escalated.location).await;
    assert!(back.text.contains("la proposition attend la réponse"));
}

impl Browser {
    async fn post_owned(&self, path: &str, form: &[(String, String)]) -> Page {
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(path, &refs).await
    }
}

#[tokio::test]
async fn csrf_web_decide_and_tensions_refuse_a_forged_or_missing_token_and_record_nothing() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let gaspard = Browser::sign_in(&app, "Gaspard").await;
    let form = gaspard.get("/decider").await;
    let scope = form.option("Pôle Finances et Logistique — matériel");
    let units = app.ids("Gaspard").await;
    let unit = units.unit("Pôle Finances et Logistique");
    let before = revision(&app).await;
    for csrf in [None, Some("0".repeat(64))] {
        let mut decision = vec![
            ("portee", scope.as_str()),
            ("titre", "Une décision forgée"),
            ("action", "enregistrer"),
        ];
        let mut tension = vec![
            ("titre", "Une tension forgée"),
            ("sujet", "unite"),
            ("unite", unit),
        ];
        let mut bare = vec![];
        if let Some(c) = &csrf {
            decision.push(("csrf", c));
            tension.push(("csrf", c));
            bare.push(("csrf", c.as_str()));
        }
        assert_eq!(gaspard.post("/decider", &decision).await.status, 403);
        assert_eq!(gaspard.post("/tensions", &tension).await.status, 403);
        let some = "01a236f7-850d-72d9-9071-f08990d4916b";
        let withdraw = format!("/tensions/{some}/retrait");
        assert_eq!(gaspard.post(&withdraw, &bare).await.status, 403);
    }
    assert_eq!(revision(&app).await, before, "nothing recorded");
    let record = gaspard.get("/releve").await;
    assert!(!record.text.contains("Une décision forgée"));
}

#[tokio::test]
async fn r5_web_a_unit_or_domain_not_held_is_refused_by_the_core_not_by_the_select() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Gaspard").await;
    let gaspard = Browser::sign_in(&app, "Gaspard").await;
    let form = gaspard.get("/decider").await;
    let before = revision(&app).await;
    // A perimeter the select never offered him: the Pôle Communication's social networks.
    let elsewhere = format!("{}|réseaux sociaux", ids.unit("Pôle Communication"));
    let fields = [
        ("csrf", form.csrf()),
        ("portee", elsewhere.clone()),
        ("titre", "Trois publications par jour".to_owned()),
        ("action", "enregistrer".to_owned()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = gaspard.post("/decider", &refs).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("role=\"alert\""));
    assert!(
        refused.text.contains("<li>Pôle Communication</li>"),
        "{}",
        refused.text
    );
    assert!(!refused.text.contains("value=\"escalader\""));
    assert!(refused.text.contains("Trois publications par jour"));
    // "Vérifier" asks the same core and says the same.
    let mut check = refs.clone();
    check[3] = ("action", "verifier");
    let checked = gaspard.post("/decider", &check).await;
    assert_eq!(checked.status, 200);
    assert!(checked.text.contains("<li>Pôle Communication</li>"));
    assert_eq!(revision(&app).await, before, "nothing recorded");

    // A member without a mandate is told why, instead of an empty form (R3, R5).
    let leo = Browser::sign_in(&app, "Léo").await;
    let page = leo.get("/decider").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text
            .contains("Vous ne détenez aucun mandat en vigueur")
    );
    assert!(!page.text.contains("name=\"titre\""));
    // And what he posts anyway is the core's to refuse.
    let scope = format!("{}|matériel", ids.unit("Pôle Finances et Logistique"));
    let posted = leo
        .post(
            "/decider",
            &[
                ("csrf", &page.csrf()),
                ("portee", &scope),
                ("titre", "Achat en douce"),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(posted.status, 422, "{}", posted.text);
    assert!(posted.text.contains("role=\"alert\""));
    assert_eq!(revision(&app).await, before, "nothing recorded");
}

#[tokio::test]
async fn r14_web_a_tension_naming_a_member_is_refused_with_the_rule_and_the_text_kept() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let karima = Browser::sign_in(&app, "Karima").await;
    let page = karima.get("/tensions").await;
    assert!(page.text.contains("jamais sur une personne"));
    let unit = page.option("Comité Accueil");
    let before = revision(&app).await;
    let refused = karima
        .post(
            "/tensions",
            &[
                ("csrf", &page.csrf()),
                ("titre", "Inès ne répond jamais aux nouveaux"),
                ("description", "Trois personnes attendent depuis mai."),
                ("sujet", "unite"),
                ("unite", &unit),
                ("espace", "defaut"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("role=\"alert\""));
    assert!(
        refused
            .text
            .contains("pas sur une personne : elle nomme Inès Haddad"),
        "{}",
        refused.text
    );
    assert!(
        refused
            .text
            .contains("value=\"Inès ne répond jamais aux nouveaux\"")
    );
    assert!(
        refused
            .text
            .contains("Trois personnes attendent depuis mai.")
    );
    assert_eq!(revision(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn r13_web_a_tension_raised_through_the_form_is_listed_and_its_raiser_withdraws_it() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let karima = Browser::sign_in(&app, "Karima").await;
    let page = karima.get("/tensions").await;
    let unit = page.option("Comité Accueil");
    let done = karima
        .post(
            "/tensions",
            &[
                ("csrf", &page.csrf()),
                ("titre", "Le livret d'accueil date de janvier"),
                ("description", "Les horaires ont changé depuis."),
                ("sujet", "role"),
                ("unite", &unit),
                ("role", "REFERENT"),
                ("espace", "fonctionnement"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.location, "/tensions?fait=1");
    let list = karima.get(&done.location).await;
    assert!(list.text.contains("la tension est soulevée"));
    assert!(list.text.contains("Le livret d'accueil date de janvier"));
    let open = karima.get("/tensions?etat=ouverte").await;
    assert!(open.text.contains("Le livret d'accueil date de janvier"));
    let withdrawn = karima.get("/tensions?etat=retiree").await;
    assert!(
        !withdrawn
            .text
            .contains("Le livret d'accueil date de janvier")
    );

    let v = app
        .gql(Some("Karima"), "{ tensions { id title } }", json!({}))
        .await;
    let id = v["data"]["tensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Le livret d'accueil date de janvier")
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .expect("the tension is stored");
    let one = karima.get(&format!("/tensions/{id}")).await;
    assert_eq!(one.status, 200);
    assert!(one.text.contains("La réunion de fonctionnement"));
    assert!(one.text.contains("Comité Accueil (référent·e)"));
    assert!(one.text.contains("Retirer cette tension"));

    // Another member sees no button, and posting anyway is refused by the API.
    let leo = Browser::sign_in(&app, "Léo").await;
    let theirs = leo.get(&format!("/tensions/{id}")).await;
    assert!(!theirs.text.contains("Retirer cette tension"));
    let forged = leo
        .post(
            &format!("/tensions/{id}/retrait"),
            &[("csrf", &theirs.csrf())],
        )
        .await;
    assert_eq!(forged.status, 422, "{}", forged.text);
    assert_status(&app, &id, "OPEN").await;

    let gone = karima
        .post(&format!("/tensions/{id}/retrait"), &[("csrf", &one.csrf())])
        .await;
    assert_eq!(gone.status, 303, "{}", gone.text);
    assert_eq!(gone.location, format!("/tensions/{id}?fait=retrait"));
    let after = karima.get(&gone.location).await;
    assert!(after.text.contains("la tension est retirée"));
    assert!(!after.text.contains("Retirer cette tension"));
    assert_status(&app, &id, "WITHDRAWN").await;
}

async fn assert_status(app: &TestApp, id: &str, status: &str) {
    let v: Value = app
        .gql(Some("Karima"), "{ tensions { id status } }", json!({}))
        .await;
    let t = v["data"]["tensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(t["status"], status, "{v}");
}

/// A date field `days` from today.
fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The mandates a member holds, as `(unit, domains, role)`.
async fn mandates_of(app: &TestApp, holder: &str) -> Vec<Value> {
    let v = app
        .gql(
            Some("Awa"),
            "query($h: UUID!) { mandates(holderId: $h) { unit { name } domains role } }",
            json!({ "h": holder }),
        )
        .await;
    v["data"]["mandates"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The fields of a decision assigning Léo a mandate in the Comité Accueil, from `form`.
fn assign_leo(form: &Page, scope: &str, csrf: &str) -> Vec<(String, String)> {
    [
        ("csrf", csrf.to_owned()),
        ("portee", scope.to_owned()),
        ("titre", "Léo parraine les nouveaux".to_owned()),
        ("confier_membre", form.option("Léo Garnier")),
        ("confier_unite", form.option("Comité Accueil")),
        ("confier_domaines", "parrainage".to_owned()),
        ("confier_role", "titulaire".to_owned()),
        ("confier_fin", in_days(180)),
        ("action", "enregistrer".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn r6_web_assign_mandate_through_the_form(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ids = app.ids("Léo").await;
    let leo = ids.member("Léo").to_owned();
    let awa = Browser::sign_in(&app, "Awa").await;
    let form = awa.get("/decider").await;
    assert!(form.text.contains("Confier un mandat"));
    assert!(form.text.contains("passez par l'API"));
    let scope = form.option("Coordination — mandats");
    let fields = assign_leo(&form, &scope, &form.csrf());
    // "Vérifier" records nothing and keeps every effect field as typed.
    let mut check = fields.clone();
    check.last_mut().unwrap().1 = "verifier".to_owned();
    let checked = awa.post_owned("/decider", &check).await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    assert!(checked.text.contains("value=\"parrainage\""));
    assert!(
        checked
            .text
            .contains(&format!("value=\"{}\"", in_days(180)))
    );
    assert!(
        checked
            .text
            .contains(&format!("value=\"{leo}\" selected>Léo Garnier"))
    );
    assert!(mandates_of(&app, &leo).await.is_empty());

    let done = awa.post_owned("/decider", &fields).await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert!(
        done.location.starts_with("/decisions/"),
        "{}",
        done.location
    );
    let held = mandates_of(&app, &leo).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["unit"]["name"], "Comité Accueil");
    assert_eq!(held[0]["domains"], json!(["parrainage"]));
    assert_eq!(held[0]["role"], "HOLDER");
}

async fn r6_web_assign_mandate_without_the_mandates_domain_is_refused_by_the_core(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ids = app.ids("Léo").await;
    let leo = ids.member("Léo").to_owned();
    let gaspard = Browser::sign_in(&app, "Gaspard").await;
    let form = gaspard.get("/decider").await;
    // His own perimeter, but not the domain mandates are assigned in.
    let scope = form.option("Pôle Finances et Logistique — matériel");
    let before = revision(&app).await;
    let refused = gaspard
        .post_owned("/decider", &assign_leo(&form, &scope, &form.csrf()))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("role=\"alert\""));
    assert!(
        refused.text.contains("demande l'autorité sur « mandats »"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("<li>"), "the route: {}", refused.text);
    // What he typed is kept.
    assert!(refused.text.contains("value=\"parrainage\""));
    assert!(refused.text.contains("value=\"Léo parraine les nouveaux\""));
    assert_eq!(revision(&app).await, before, "nothing recorded");
    assert!(mandates_of(&app, &leo).await.is_empty());
}

async fn r1_web_admit_member_under_structure_through_the_form(db: TestDb) {
    let app = TestApp::demo(db).await;
    let awa = Browser::sign_in(&app, "Awa").await;
    let form = awa.get("/decider").await;
    let scope = form.option("Coordination — structure");
    let done = awa
        .post(
            "/decider",
            &[
                ("csrf", &form.csrf()),
                ("portee", &scope),
                ("titre", "Adhésion de Nadia Benhamou"),
                ("admettre_nom", "Nadia Benhamou"),
                ("admettre_courriel", "nadia@tilleuls.example"),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let v = app
        .gql(Some("Awa"), "{ members { name email } }", json!({}))
        .await;
    assert!(
        v["data"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "Nadia Benhamou" && m["email"] == "nadia@tilleuls.example"),
        "{v}"
    );
}

async fn csrf_web_decide_a_forged_token_on_a_form_with_effects_writes_nothing(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ids = app.ids("Léo").await;
    let leo = ids.member("Léo").to_owned();
    let awa = Browser::sign_in(&app, "Awa").await;
    let form = awa.get("/decider").await;
    let scope = form.option("Coordination — mandats");
    let before = revision(&app).await;
    let mut fields = assign_leo(&form, &scope, &"0".repeat(64));
    fields.push(("admettre_nom".to_owned(), "Nadia Benhamou".to_owned()));
    fields.push((
        "admettre_courriel".to_owned(),
        "nadia@tilleuls.example".to_owned(),
    ));
    let forged = awa.post_owned("/decider", &fields).await;
    assert_eq!(forged.status, 403, "{}", forged.text);
    fields.remove(0);
    assert_eq!(awa.post_owned("/decider", &fields).await.status, 403);
    assert_eq!(revision(&app).await, before, "nothing recorded");
    assert!(mandates_of(&app, &leo).await.is_empty());
    let v = app
        .gql(Some("Awa"), "{ members { name } }", json!({}))
        .await;
    assert!(!v.to_string().contains("Nadia Benhamou"));
}
