//! CSV exports of decisions, mandates and tensions, for spreadsheets: UTF-8 with a byte-order
//! mark (so that Excel reads the accents), `;` between fields (what French Excel expects),
//! CRLF line ends, headers in French, instants in ISO 8601 (UTC). Fields are quoted by the
//! `csv` crate when needed, so a newline or a quote stays inside its cell. A cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return is neutralised with a leading `'`: a
//! spreadsheet would otherwise run it as a formula (CSV injection, as OWASP describes it).

use governance_core::mandate::{MandateStatus, Role};
use governance_core::meeting::MeetingKind;
use governance_core::reading::ReadScope;
use governance_core::tension::{Space, TensionStatus, TensionSubject};
use governance_core::{Decider, DecisionRecord, Instant, Movement};

/// The byte-order mark every export starts with.
pub const BOM: &str = "\u{FEFF}";

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Decisions,
    Mandates,
    Tensions,
}

impl What {
    /// The name used on the command line and in addresses (`/export/decisions.csv`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "decisions" => Some(What::Decisions),
            "mandates" => Some(What::Mandates),
            "tensions" => Some(What::Tensions),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            What::Decisions => "decisions",
            What::Mandates => "mandates",
            What::Tensions => "tensions",
        }
    }
}

/// A cell as a spreadsheet may safely read it: one that would start a formula gets a `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// `2026-03-12T13:05:00Z`: ISO 8601 in UTC, to the second, which spreadsheets read as a date.
fn instant(at: Instant) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Rows written to CSV text, after the BOM.
fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into memory fails only if a row's length differs from the header's, which the
    // functions below never do.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(row.iter().map(|c| neutralise(c).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

fn role_fr(role: Role) -> &'static str {
    match role {
        Role::Holder => "titulaire",
        Role::Referent => "référent·e",
    }
}

/// The decisions `scope` admits (R17: the caller's read scope, from the core), oldest first.
pub fn decisions(movement: &Movement, scope: ReadScope, now: Instant) -> String {
    let header = [
        "identifiant",
        "décidée le",
        "titre",
        "unité",
        "domaine",
        "décision",
        "motivation",
        "décidée par",
        "mode",
        "diffusion",
    ];
    let rows = movement
        .decisions()
        .iter()
        .filter(|d| d.decided_at() <= now && scope.admits(d.visibility))
        .map(|d: &DecisionRecord| {
            let who: Vec<String> = d
                .responsible()
                .iter()
                .map(|m| movement.member_name(*m))
                .collect();
            vec![
                d.id().to_string(),
                instant(d.decided_at()),
                d.title.as_str().to_owned(),
                movement.unit_name(d.unit()),
                d.domain().as_str().to_owned(),
                d.statement.as_str().to_owned(),
                d.rationale.as_str().to_owned(),
                who.join(", "),
                match d.decider {
                    Decider::Holder { .. } => "mandat".to_owned(),
                    Decider::Body { .. } => "réunion".to_owned(),
                },
                if ReadScope::PublishedOnly.admits(d.visibility) {
                    "publique".to_owned()
                } else {
                    "interne".to_owned()
                },
            ]
        });
    write(&header, rows)
}

/// Every mandate, with its status at `now`.
pub fn mandates(movement: &Movement, now: Instant) -> String {
    let header = [
        "identifiant",
        "titulaire",
        "unité",
        "rôle",
        "domaines",
        "début",
        "fin",
        "engagement",
        "révocation",
        "statut",
    ];
    let rows = movement
        .mandates()
        .iter()
        .filter(|m| m.is_known_at(now))
        .map(|m| {
            let domains = match &m.scope {
                governance_core::mandate::Scope::AllDomains => "tous".to_owned(),
                governance_core::mandate::Scope::Domains(ds) => {
                    ds.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
                }
            };
            vec![
                m.id.to_string(),
                movement.member_name(m.holder),
                movement.unit_name(m.unit),
                role_fr(m.role).to_owned(),
                domains,
                instant(m.period.starts_at()),
                instant(m.period.ends_at()),
                m.committed_at.map(instant).unwrap_or_default(),
                m.revocation.map(|r| instant(r.at)).unwrap_or_default(),
                match m.status_at(now) {
                    MandateStatus::InForce => "en vigueur",
                    MandateStatus::PendingCommitment => "en attente d'engagement",
                    MandateStatus::NotStarted => "pas commencé",
                    MandateStatus::Expired => "expiré",
                    MandateStatus::Revoked => "révoqué",
                }
                .to_owned(),
            ]
        });
    write(&header, rows)
}

/// Every tension, with where it stands.
pub fn tensions(movement: &Movement, now: Instant) -> String {
    let header = [
        "identifiant",
        "soulevée le",
        "soulevée par",
        "titre",
        "description",
        "sujet",
        "espace",
        "statut",
        "réunion",
        "issue",
    ];
    let rows = movement
        .tensions()
        .iter()
        .filter(|t| t.raised_at <= now)
        .map(|t| {
            let about = match &t.subject {
                TensionSubject::Unit(u) => movement.unit_name(*u),
                TensionSubject::Role { unit, role } => {
                    format!("{} ({})", movement.unit_name(*unit), role_fr(*role))
                }
                TensionSubject::Rule(r) => r.to_string(),
            };
            let space = match t.space {
                Space::Referent(u) => format!("référent·e de {}", movement.unit_name(u)),
                Space::Gouvernance => "Gouvernance".to_owned(),
                Space::Fonctionnement => "Fonctionnement".to_owned(),
                Space::Coordination => "Coordination".to_owned(),
                Space::Agora => "Agora".to_owned(),
            };
            let (status, meeting, outcome) = match &t.status {
                TensionStatus::Open => ("ouverte", String::new(), String::new()),
                TensionStatus::Scheduled { meeting } => {
                    let m = movement.meeting(*meeting);
                    let label = m
                        .map(|m| {
                            let kind = match m.kind {
                                MeetingKind::Agora => "Agora".to_owned(),
                                MeetingKind::Gouvernance => "Gouvernance".to_owned(),
                                MeetingKind::Fonctionnement => "Fonctionnement".to_owned(),
                                MeetingKind::Unit(u) => movement.unit_name(u),
                            };
                            format!("{kind}, {}", instant(m.held_at))
                        })
                        .unwrap_or_else(|| meeting.to_string());
                    ("à l'ordre du jour", label, String::new())
                }
                TensionStatus::Processed { outcome, .. } => {
                    ("traitée", String::new(), outcome.as_str().to_owned())
                }
                TensionStatus::Withdrawn { .. } => ("retirée", String::new(), String::new()),
            };
            vec![
                t.id.to_string(),
                instant(t.raised_at),
                movement.member_name(t.raised_by),
                t.title.as_str().to_owned(),
                t.description.as_str().to_owned(),
                about,
                space,
                status.to_owned(),
                meeting,
                outcome,
            ]
        });
    write(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starts_are_neutralised_and_nothing_else() {
        for bad in ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for fine in ["Budget 2026", "", "2026-01-01T00:00:00Z", "é=mc2"] {
            assert_eq!(neutralise(fine), fine);
        }
    }
}
