//! Benchmark of the search index (ADR 0008) on a movement of generated French decision records:
//! how long it takes to build, what it weighs, and how long a query takes: two words (a common
//! and a rare one, two common ones), a quoted phrase, and the newest-first filter that
//! `decisions(text:)` runs. Criterion means first, then per-query percentiles (the target, p99
//! ≤ 5 ms for two words over 100 000 decisions, is on the p99), three runs interleaved.
//!
//! Run with `cargo bench -p graphql-server --bench search`; the method and the results are in the
//! "Search" section of `docs/benchmarks.md`. Without `--bench` (as under `cargo test --benches`)
//! it builds 2 000 decisions and runs each query a few times, as a smoke test.
//! `BENCH_SEARCH_DECISIONS` sets the number of decisions, `BENCH_SEARCH_QUERIES` the timed
//! queries per kind and run (default 10 000).

use criterion::Criterion;
use governance_core::reading::ReadScope;
use governance_core::{
    Decider, DecisionDraft, DecisionId, Event, Label, Movement, Text, Visibility,
};
use graphql_server::store::DecisionFilter;
use graphql_server::store::search::{Query, SearchIndex};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A seeded xorshift64*: every run generates the same records and queries.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words of a movement's records, roughly from the most to the least common.
const WORDS: &str = "le la les de des du et à un une pour dans sur avec par au aux en est sont
    collectif pôle comité coordination agora mandat décision budget fête quartier réunion
    assemblée tournée parc pétition mairie voisins samedi dimanche soirée été hiver printemps
    automne matériel barnum sono affiches tracts communication presse réseaux sociaux site
    adhésion cotisation trésorerie dépense recette subvention association local salle clé
    horaires calendrier ordre jour compte rendu relevé vote consentement objection réserve
    soutien proposition tension escalade délégation représentant référent secrétaire animation
    facilitation accueil nouveaux membres formation atelier débat conférence projection concert
    repas buvette cuisine vaisselle ménage rangement installation transport camion vélo marché
    brocante jardin potager arbres tilleuls école enfants parents jeunes anciens solidarité
    entraide collecte dons vêtements livres jouets bibliothèque lecture chorale musique danse
    théâtre cinéma exposition photos peinture fresque mur rue place fontaine banc éclairage
    sécurité assurance contrat devis facture remboursement avance caisse banque virement chèque
    signature procuration quorum présence absence retard annulation report décidé décidée
    adopte adoptée valide validée refuse refusée propose proposée organise organisée prépare
    préparée achète achetée loue louée prête prêtée invite invitée accueille accueillie
    relaie relayée signe signée publie publiée annonce annoncée confie confiée renouvelle
    renouvelé révoque révoquée remplace remplacée modifie modifiée prolonge prolongée
    nord sud est ouest centre gare marché halle église stade piscine médiathèque maison
    associations commerçants habitants locataires propriétaires bailleur syndic copropriété
    charges loyers travaux chantier nuisances bruit propreté déchets tri compost recyclage";

/// The vocabulary: the words above, then rare words made of syllables, as a long tail.
fn vocabulary() -> Vec<String> {
    let mut v: Vec<String> = WORDS.split_whitespace().map(str::to_owned).collect();
    let syllables = [
        "ba", "lo", "mi", "ran", "té", "vou", "cha", "nel", "pi", "sor", "gu", "dé", "fon", "li",
        "mar", "zo",
    ];
    for a in syllables {
        for b in syllables {
            for c in ["ne", "lle", "rie", "tte", "ment", "ard", "ière", "on"] {
                v.push(format!("{a}{b}{c}"));
            }
        }
    }
    v
}

/// A word index with a Zipf-like law: rank r drawn with probability about 1/r.
fn zipf(rng: &mut Rng, n: usize) -> usize {
    let r = ((n as f64).ln() * rng.unit()).exp() as usize;
    r.saturating_sub(1).min(n - 1)
}

fn sentence(rng: &mut Rng, vocab: &[String], min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let words: Vec<&str> = (0..n)
        .map(|_| vocab[zipf(rng, vocab.len())].as_str())
        .collect();
    let mut s = words.join(" ");
    if !s.is_empty() {
        s.push('.');
    }
    s
}

/// The demo movement, then `n` decisions of its last holder's kind, generated.
fn movement(n: usize, rng: &mut Rng, vocab: &[String]) -> Movement {
    let (mut movement, _) = governance_core::demo::tilleuls().into_parts();
    let template = movement
        .decisions()
        .iter()
        .rev()
        .find(|d| matches!(d.decider, Decider::Holder { .. }) && d.effects.is_empty())
        .expect("the demo has a holder's decision")
        .draft()
        .clone();
    let start = movement.last_event_at().unwrap_or(template.decided_at);
    for i in 0..n {
        let mut d: DecisionDraft = template.clone();
        d.id = DecisionId::from_uuid(uuid::Uuid::from_u128(0x5ea7c4 << 64 | i as u128));
        d.title = Label::from_stored(&sentence(rng, vocab, 4, 10));
        d.statement = Text::from_stored(&sentence(rng, vocab, 15, 45));
        d.rationale = Text::from_stored(&sentence(rng, vocab, 0, 30));
        d.decided_at = start + chrono::Duration::seconds(i as i64);
        d.links.clear();
        d.tension = None;
        d.escalation = None;
        d.visibility = if rng.below(4) == 0 {
            Visibility::ALL[1]
        } else {
            Visibility::ALL[0]
        };
        movement
            .apply(Event::Decision(Box::new(d)))
            .expect("a generated decision follows the charter");
    }
    movement
}

/// The queries of one kind, as typed.
struct Kind {
    name: &'static str,
    queries: Vec<String>,
    /// Newest first, as `decisions(text:)`; otherwise ranked, with snippets, as `search`.
    filter: bool,
}

fn kinds(rng: &mut Rng, vocab: &[String]) -> Vec<Kind> {
    // Ranks 20–80 are the common content words (the first ~20 are stop words); past 1 000,
    // rare.
    let common = |rng: &mut Rng| vocab[20 + rng.below(60)].clone();
    let rare = |rng: &mut Rng| vocab[1_000 + rng.below(vocab.len() - 1_000)].clone();
    let mut out = Vec::new();
    let mut make = |name, filter, f: &mut dyn FnMut(&mut Rng) -> String| Kind {
        name,
        filter,
        queries: (0..200).map(|_| f(rng)).collect(),
    };
    out.push(make("common+rare", false, &mut |r| {
        format!("{} {}", common(r), rare(r))
    }));
    out.push(make("common+common", false, &mut |r| {
        format!("{} {}", common(r), common(r))
    }));
    out.push(make("phrase", false, &mut |r| {
        format!("\"{} {}\"", common(r), common(r))
    }));
    out.push(make("filter common+common", true, &mut |r| {
        format!("{} {}", common(r), common(r))
    }));
    out
}

fn run(
    index: &SearchIndex,
    movement: &Movement,
    filter: &DecisionFilter,
    kind: &Kind,
    q: &str,
) -> usize {
    let query = Query::parse(q).expect("a bounded query");
    if kind.filter {
        index.filter_page(&query, filter, 20, None).ids.len()
    } else {
        index.search(movement, &query, filter, 20, None).hits.len()
    }
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let n = env(
        "BENCH_SEARCH_DECISIONS",
        if benchmarking { 100_000 } else { 2_000 },
    );
    let per_kind = env(
        "BENCH_SEARCH_QUERIES",
        if benchmarking { 10_000 } else { 20 },
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let vocab = vocabulary();
    let started = Instant::now();
    let movement = movement(n, &mut rng, &vocab);
    println!(
        "movement of {} decisions generated in {:.2?} ({} words in the vocabulary)",
        movement.decisions().len(),
        started.elapsed(),
        vocab.len()
    );
    let started = Instant::now();
    let mut index = SearchIndex::default();
    index.follow(&movement);
    let built = started.elapsed();
    println!(
        "index built in {built:.2?}: {} records, {:.1} MB, {:.0} bytes per record",
        index.len(),
        index.heap_bytes() as f64 / 1e6,
        index.heap_bytes() as f64 / index.len() as f64
    );
    let kinds = kinds(&mut rng, &vocab);
    let member = DecisionFilter::default();
    let outsider = DecisionFilter {
        scope: ReadScope::PublishedOnly,
        ..DecisionFilter::default()
    };

    let mut criterion = Criterion::default()
        .warm_up_time(
            Duration::from_secs(if benchmarking { 2 } else { 0 }).max(Duration::from_millis(10)),
        )
        .measurement_time(
            Duration::from_secs(if benchmarking { 4 } else { 0 }).max(Duration::from_millis(10)),
        )
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group("search");
        for kind in &kinds {
            group.bench_function(kind.name, |b| {
                let mut next = 0;
                b.iter(|| {
                    let q = &kind.queries[next % kind.queries.len()];
                    next += 1;
                    black_box(run(&index, &movement, &member, kind, q))
                })
            });
        }
        group.finish();
    }
    criterion.final_summary();

    println!(
        "\n{:<22} {:<9} {:>6} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "query", "reader", "run", "p50", "p90", "p99", "max", "hits/q"
    );
    let runs = if benchmarking { 3 } else { 1 };
    for run_no in 1..=runs {
        for kind in &kinds {
            for (reader, filter) in [("member", &member), ("outsider", &outsider)] {
                // A warm-up pass over the queries, then each query timed on its own.
                for q in &kind.queries {
                    black_box(run(&index, &movement, filter, kind, q));
                }
                let mut times = Vec::with_capacity(per_kind);
                let mut hits = 0usize;
                for i in 0..per_kind {
                    let q = &kind.queries[i % kind.queries.len()];
                    let t = Instant::now();
                    hits += black_box(run(&index, &movement, filter, kind, q));
                    times.push(t.elapsed());
                }
                times.sort();
                println!(
                    "{:<22} {:<9} {:>6} {:>10.2?} {:>10.2?} {:>10.2?} {:>10.2?} {:>9.1}",
                    kind.name,
                    reader,
                    run_no,
                    percentile(&times, 50.0),
                    percentile(&times, 90.0),
                    percentile(&times, 99.0),
                    times.last().unwrap(),
                    hits as f64 / per_kind as f64
                );
            }
        }
    }
    // How many records the common words match, to say what the queries cost.
    let total: usize = kinds[1]
        .queries
        .iter()
        .map(|q| {
            index
                .search(&movement, &Query::parse(q).unwrap(), &member, 1, None)
                .total
        })
        .sum();
    println!(
        "common+common matches {:.0} records per query on average",
        total as f64 / kinds[1].queries.len() as f64
    );
}
