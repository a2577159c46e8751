//! Plain-text renderings that a person reads: the authority map as a table, and a verdict in one
//! line. Snapshot tests pin them, so a change to the rules shows up in review as a table diff.

use crate::denial::{Competent, EscalationStep, Verdict};
use crate::mandate::Role;
use crate::movement::Movement;
use crate::queries::AuthorityMap;
use crate::time::Instant;
use crate::unit::UnitKind;
use std::fmt::Write;

fn day(at: Instant) -> String {
    if at.time() == chrono::NaiveTime::MIN {
        at.format("%Y-%m-%d").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

fn depth(movement: &Movement, unit: crate::id::UnitId) -> usize {
    let mut d = 0;
    let mut current = movement.unit(unit).and_then(|u| u.parent);
    while let Some(p) = current {
        d += 1;
        current = movement.unit(p).and_then(|u| u.parent);
    }
    d
}

fn holder(movement: &Movement, c: &Competent) -> String {
    let role = match c.role {
        Role::Referent => ", referent",
        Role::Holder => "",
    };
    format!(
        "{}{role} (since {}, until {})",
        movement.member_name(c.member),
        day(c.since),
        day(c.until)
    )
}

/// One step of a route, as "Coordination (Awa Diallo)".
pub fn step(movement: &Movement, s: &EscalationStep) -> String {
    if s.kind == UnitKind::Agora {
        return format!("{} (all members)", movement.unit_name(s.unit));
    }
    let names: Vec<String> = s
        .holders
        .iter()
        .map(|h| movement.member_name(h.member))
        .collect();
    if names.is_empty() {
        format!("{} (nobody in force)", movement.unit_name(s.unit))
    } else {
        format!("{} ({})", movement.unit_name(s.unit), names.join(", "))
    }
}

/// A route as "Pôle Communication (nobody in force) → Coordination (Awa Diallo) → Agora".
pub fn route(movement: &Movement, route: &[EscalationStep]) -> String {
    route
        .iter()
        .map(|s| step(movement, s))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The authority map as a table: one line per unit and domain, units indented by depth.
pub fn authority_map(movement: &Movement, map: &AuthorityMap) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "who may decide what on {}", day(map.at));
    let _ = writeln!(out);
    let _ = writeln!(out, "| unit | domain | who may decide |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for row in &map.rows {
        let unit = format!(
            "{}{}",
            "· ".repeat(depth(movement, row.unit)),
            movement.unit_name(row.unit)
        );
        let who = if Some(row.unit) == movement.agora() {
            "the Agora, as the assembly of all members".to_owned()
        } else if row.holders.is_empty() {
            format!("nobody → {}", route(movement, &row.route_if_unheld))
        } else {
            row.holders
                .iter()
                .map(|h| holder(movement, h))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(out, "| {unit} | {} | {who} |", row.domain);
    }
    out
}

/// A verdict in one line: "allowed under …" or "CODE: reason → route".
pub fn verdict(movement: &Movement, verdict: &Verdict) -> String {
    match verdict {
        Ok(c) => format!("allowed: {}", holder(movement, c)),
        Err(denial) => format!(
            "{}: {} → {}",
            denial.reason.code(),
            crate::messages::denial_reason(movement, &denial.reason, crate::messages::Lang::En),
            route(movement, &denial.escalate_to)
        ),
    }
}
