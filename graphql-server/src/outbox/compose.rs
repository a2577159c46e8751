//! The words of the e-mails, in French: a convocation, the reminders (a mandate ending, a
//! report overdue) and the digest. Each ends with the link that stops them. Plain text: no
//! markup a member's words could turn into a link or a trick.

use chrono::{DateTime, Datelike, Timelike, Utc};
use governance_core::messages::{Lang, ui};
use governance_core::{
    DecisionRecord, Mandate, Meeting, MeetingKind, Movement, Role, account::DueReport,
};

/// What every message needs to link back: the movement's address (`{base}/m/{slug}`) and the
/// recipient's unsubscribe key.
#[derive(Debug, Clone)]
pub(crate) struct Links {
    pub root: String,
    pub unsubscribe_key: String,
}

impl Links {
    pub fn unsubscribe(&self) -> String {
        format!("{}/desabonnement/{}", self.root, self.unsubscribe_key)
    }
}

/// An e-mail's subject and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mail {
    pub subject: String,
    pub body: String,
}

/// A member's words, on one line: newlines and control characters become spaces, so that a
/// title cannot forge a header-looking line or a fake link block in the text.
fn line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn when(movement: &Movement, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&movement.settings_at(at).time_zone);
    ui::day_time(
        Lang::Fr,
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
    )
}

fn day(movement: &Movement, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&movement.settings_at(at).time_zone);
    ui::day(Lang::Fr, local.year(), local.month(), local.day())
}

fn footer(links: &Links) -> String {
    format!(
        "\n-- \nGouvernail, {root}\nVos préférences : {root}/preferences\nNe plus recevoir ces messages (un clic) : {unsub}\n",
        root = links.root,
        unsub = links.unsubscribe()
    )
}

/// The name of a meeting as people say it.
pub(crate) fn meeting_name(movement: &Movement, kind: MeetingKind) -> String {
    match kind {
        MeetingKind::Agora => "l'Agora".to_owned(),
        MeetingKind::Gouvernance => "la réunion de Gouvernance".to_owned(),
        MeetingKind::Fonctionnement => "la réunion de Fonctionnement".to_owned(),
        MeetingKind::Unit(u) => format!("la réunion de {}", line(&movement.unit_name(u))),
    }
}

/// The convocation a member of the college receives (R10).
pub(crate) fn convened(movement: &Movement, meeting: &Meeting, name: &str, links: &Links) -> Mail {
    let what = meeting_name(movement, meeting.kind);
    let starts = when(movement, meeting.held_at);
    let mut body = format!(
        "Bonjour {},\n\nVous êtes convoqué·e à {what}, le {starts}",
        line(name)
    );
    if let Some(end) = meeting.ends_at {
        body.push_str(&format!(" (fin prévue le {})", when(movement, end)));
    }
    body.push_str(".\n");
    if let Some(place) = &meeting.place {
        body.push_str(&format!("Lieu : {}\n", line(place.as_str())));
    }
    let tensions = meeting.agenda.len();
    let items = meeting.items.len().max(tensions);
    if items > 0 {
        body.push_str(&format!("Ordre du jour : {items} point(s).\n"));
    }
    body.push_str(&format!(
        "\nL'ordre du jour, la feuille d'émargement et les pouvoirs : {}/reunions/{}\n",
        links.root, meeting.id
    ));
    body.push_str(&footer(links));
    Mail {
        subject: format!(
            "Convocation : {what}, le {}",
            day(movement, meeting.held_at)
        ),
        body,
    }
}

fn role_fr(role: Role) -> &'static str {
    match role {
        Role::Referent => "référent·e",
        Role::Holder => "mandat",
    }
}

/// To a holder, `days` before their mandate ends.
pub(crate) fn mandate_ends(
    movement: &Movement,
    mandate: &Mandate,
    name: &str,
    days: i64,
    links: &Links,
) -> Mail {
    let unit = line(&movement.unit_name(mandate.unit));
    let end = day(movement, mandate.effective_end());
    let body = format!(
        "Bonjour {},\n\nVotre mandat ({}) dans {unit} se termine le {end}, dans {days} jours.\n\
         Pour le renouveler, la décision revient à l'unité qui l'a confié ; pensez aussi à rendre \
         compte de votre mandat.\n\nVos mandats : {}/\n{}",
        line(name),
        role_fr(mandate.role),
        links.root,
        footer(links)
    );
    Mail {
        subject: format!("Votre mandat dans {unit} se termine le {end}"),
        body,
    }
}

/// To a holder, or to their unit's referent, when an account report is overdue (R15).
pub(crate) fn report_overdue(
    movement: &Movement,
    due: &DueReport,
    mandate: &Mandate,
    recipient: &str,
    to_holder: bool,
    links: &Links,
) -> Mail {
    let unit = line(&movement.unit_name(mandate.unit));
    let holder = line(&movement.member_name(due.holder));
    let period = format!(
        "du {} au {}",
        day(movement, due.covers.starts_at()),
        day(movement, due.covers.ends_at())
    );
    let (subject, intro) = if to_holder {
        (
            format!("Compte rendu en retard : votre mandat dans {unit}"),
            format!(
                "Le compte rendu de votre mandat dans {unit} pour la période {period} était \
                 attendu le {} et n'a pas été rendu.",
                day(movement, due.covers.ends_at())
            ),
        )
    } else {
        (
            format!("Compte rendu en retard : {holder}, dans {unit}"),
            format!(
                "En tant que référent·e de {unit} : le compte rendu du mandat de {holder} pour \
                 la période {period} était attendu le {} et n'a pas été rendu.",
                day(movement, due.covers.ends_at())
            ),
        )
    };
    let body = format!(
        "Bonjour {},\n\n{intro}\n\nRendre compte : {}/\n{}",
        line(recipient),
        links.root,
        footer(links)
    );
    Mail { subject, body }
}

/// The digest: the decisions a member has not read, in the units they follow.
pub(crate) fn digest(
    movement: &Movement,
    name: &str,
    decisions: &[&DecisionRecord],
    since: DateTime<Utc>,
    links: &Links,
) -> Mail {
    let mut body = format!(
        "Bonjour {},\n\n{} décision(s) enregistrée(s) depuis le {} que vous n'avez pas encore lue(s) :\n\n",
        line(name),
        decisions.len(),
        day(movement, since)
    );
    for d in decisions {
        body.push_str(&format!(
            "- {} ({}, {})\n  {}/decisions/{}\n",
            line(d.draft().title.as_str()),
            line(&movement.unit_name(d.unit())),
            day(movement, d.decided_at()),
            links.root,
            d.id()
        ));
    }
    body.push_str(&format!(
        "\nTout le relevé de décisions : {}/releve\n{}",
        links.root,
        footer(links)
    ));
    Mail {
        subject: format!(
            "Gouvernail : {} décision(s) depuis le {}",
            decisions.len(),
            day(movement, since)
        ),
        body,
    }
}
