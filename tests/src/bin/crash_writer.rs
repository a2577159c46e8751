//! The crash test's writer: records decisions on a SQLite database from several concurrent
//! writers (8, or the second argument), so that the store commits them in batches, and prints
//! `ack <decision id> <revision>` after each write is acknowledged, until it is killed.

use governance_core::builder::domain;
use governance_core::{Decider, DecisionDraft, DecisionId, Event, Impact, Label, Text, Visibility};
use graphql_server::store::{Store, StoreConfig};
use std::io::Write;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .expect("usage: crash-writer sqlite://PATH?mode=rwc");
    let store = Store::open(&StoreConfig::new(url))
        .await
        .expect("open the store");
    let org = match store.organizations().await.expect("list movements").first() {
        Some(o) => o.id,
        None => {
            let (org, events) = tests::demo_log();
            let mut events = events.into_iter();
            let founding = events.next().expect("the founding decision");
            store
                .found(org.clone(), founding, None)
                .await
                .expect("found");
            for e in events {
                store
                    .append(org.id, e, None, None)
                    .await
                    .expect("demo event");
            }
            org.id
        }
    };
    let (awa, coordination, mandate) = {
        let state = store.read(org, None).await.expect("read");
        let m = &state.movement;
        let awa = m
            .members()
            .find(|x| x.email.as_str() == "awa@tilleuls.example")
            .expect("Awa")
            .id;
        let coordination = m.coordination().expect("Coordination");
        let mandate = m.mandates_of(awa).next().expect("Awa's mandate").id;
        (awa, coordination, mandate)
    };
    let writers: u64 = std::env::args()
        .nth(2)
        .and_then(|w| w.parse().ok())
        .unwrap_or(8);
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for n in (0u64..).map(|k| k * writers + w) {
                    let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
                    let receipt = store
                        .append_with(org, Some(awa), None, move |_, at| {
                            Ok(Event::Decision(Box::new(DecisionDraft {
                                id,
                                unit: coordination,
                                domain: domain("budget"),
                                title: Label::parse("title", &format!("Dépense courante n° {n}"))
                                    .unwrap(),
                                statement: Text::default(),
                                rationale: Text::default(),
                                decided_at: at,
                                effective_from: None,
                                effective_until: None,
                                decider: Decider::Holder {
                                    member: awa,
                                    mandate: Some(mandate),
                                },
                                consultations: vec![],
                                impact: Impact::ThisUnit,
                                visibility: Visibility::Members,
                                links: vec![],
                                effects: vec![],
                                tension: None,
                                escalation: None,
                            })))
                        })
                        .await
                        .expect("record a decision");
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ack {id} {}", receipt.revision).expect("stdout");
                    out.flush().expect("stdout");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a writer");
    }
}
