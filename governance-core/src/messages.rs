//! Every message a person reads about a refusal, in English and in French, in one place: the
//! general message of each code (the core's and the edge's), and the precise wording of each
//! refusal. Names are resolved against the movement so that people read "Pôle Communication",
//! not a UUID.

pub mod ui;

use crate::code::Code;
use crate::denial::DenialReason;
use crate::error::{DecisionError, GovernanceError};
use crate::movement::Movement;
use crate::settings::EscalationBody;
use crate::time::Instant;

/// The language of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// Picks French when an `Accept-Language` header prefers it, English otherwise.
    pub fn from_accept_language(header: &str) -> Self {
        let first = header
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

/// The general message of `code`: what the API says when nothing more precise is known (the
/// edge's errors, and the fallback of every refusal).
pub fn code_message(code: Code, lang: Lang) -> &'static str {
    use Code as C;
    let (en, fr) = match code {
        C::NotAMember => (
            "not a member of the movement at that date",
            "pas membre du mouvement à cette date",
        ),
        C::NoMandate => ("holds no mandate", "aucun mandat"),
        C::NotCommitted => (
            "the mandate is not committed to yet: it grants nothing before the holder's formal commitment",
            "le mandat n'a pas encore fait l'objet d'un engagement formel : il ne donne aucun pouvoir avant",
        ),
        C::MandateNotStarted => ("the mandate has not started", "le mandat n'a pas commencé"),
        C::MandateExpired => ("the mandate has expired", "le mandat a expiré"),
        C::MandateRevoked => ("the mandate was revoked", "le mandat a été révoqué"),
        C::OutOfScope => (
            "outside the perimeter of every mandate held",
            "hors du périmètre de tout mandat détenu",
        ),
        C::ConsultationRequired => (
            "this decision needs more consultations first",
            "cette décision demande d'abord d'autres consultations",
        ),
        C::EscalationRequired => (
            "this decision reaches beyond your perimeter and must go up",
            "cette décision dépasse votre périmètre et doit remonter",
        ),
        C::Validation => (
            "the input is not acceptable",
            "la saisie n'est pas acceptable",
        ),
        C::NotFound => ("not found", "introuvable"),
        C::Conflict => (
            "the change contradicts the current state",
            "le changement contredit l'état actuel",
        ),
        C::MeetingRequired => (
            "a decision taken as a group needs a held meeting of the deciding body",
            "une décision collective se prend dans une réunion tenue de l'instance qui décide",
        ),
        C::MeetingWrongUnit => (
            "the meeting is not a meeting of the deciding unit",
            "cette réunion n'est pas une réunion de l'unité qui décide",
        ),
        C::MeetingNotConvened => (
            "the meeting is not convened: its petition lacks signatures",
            "cette Agora n'est pas convoquée : la pétition manque de signatures",
        ),
        C::MeetingNotHeld => (
            "the meeting is not taking place",
            "la réunion n'a pas lieu en ce moment",
        ),
        C::MinutesClosed => (
            "the meeting's relevé is closed",
            "le relevé de décisions de cette réunion est clos",
        ),
        C::NotEntitled => (
            "you may not convene this body or add to its agenda",
            "vous ne pouvez pas convoquer cette instance ni compléter son ordre du jour",
        ),
        C::NoticeTooShort => (
            "the meeting starts too soon after its convocation",
            "la réunion commence trop tôt après sa convocation",
        ),
        C::NotAnAttendee => (
            "only the meeting's signed participants do this",
            "seules les personnes qui ont signé la feuille d'émargement peuvent le faire",
        ),
        C::SignatureNotOwn => (
            "only the person who attends signs their presence or gives their proxy",
            "chacun·e signe sa propre présence ou donne son propre pouvoir, jamais pour quelqu'un d'autre",
        ),
        C::ProxyRefused => ("proxy refused", "pouvoir refusé"),
        C::QuorumNotReached => ("quorum not reached", "quorum non atteint"),
        C::NotOnAgenda => (
            "the decision is not on the meeting's published agenda",
            "cette décision ne figure pas à l'ordre du jour publié de la réunion",
        ),
        C::Unauthenticated => (
            "a member's token is required for this",
            "il faut le jeton d'un·e membre pour cela",
        ),
        C::LimitExceeded => (
            "the request exceeds a limit of this server",
            "la requête dépasse une limite du serveur",
        ),
        C::RateLimited => (
            "too many requests; wait a little and try again",
            "trop de requêtes ; attendez un peu et réessayez",
        ),
        C::Timeout => (
            "the request took too long and was stopped",
            "la requête a pris trop de temps et a été interrompue",
        ),
        C::RevisionNotReached => (
            "this server has not reached that revision yet",
            "ce serveur n'a pas encore atteint cette révision",
        ),
        C::IntrospectionDisabled => (
            "introspection is disabled on this server",
            "l'introspection est désactivée sur ce serveur",
        ),
        C::BadRequest => (
            "the request is not a valid GraphQL request",
            "la requête n'est pas une requête GraphQL valide",
        ),
        C::NoticesMissed => (
            "this subscription fell behind and missed notices; read what was recorded with \
             catchUp, then subscribe again",
            "cet abonnement a pris du retard et a manqué des avis ; lisez ce qui a été \
             enregistré avec catchUp, puis abonnez-vous de nouveau",
        ),
        C::ReadOnlyToken => (
            "this token may only read: a mutation needs a token of the member's own",
            "ce jeton ne permet que la lecture : une mutation demande un jeton complet",
        ),
        C::Internal => (
            "an internal error occurred; it was logged",
            "une erreur interne est survenue ; elle a été journalisée",
        ),
    };
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

fn date(at: Instant, lang: Lang) -> String {
    match lang {
        Lang::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        Lang::Fr => at.format("%d/%m/%Y à %H:%M UTC").to_string(),
    }
}

fn body(to: EscalationBody, lang: Lang) -> &'static str {
    match (to, lang) {
        (EscalationBody::Coordination, _) => "Coordination",
        (EscalationBody::Agora, _) => "Agora",
    }
}

/// Why someone may not decide, in words.
pub fn denial_reason(m: &Movement, reason: &DenialReason, lang: Lang) -> String {
    use DenialReason as R;
    match (reason, lang) {
        (R::NotAMember, Lang::En) => "not a member of the movement at that date".into(),
        (R::NotAMember, Lang::Fr) => "pas membre du mouvement à cette date".into(),
        (R::UnknownUnit { unit }, Lang::En) => format!("unit {unit} does not exist at that date"),
        (R::UnknownUnit { unit }, Lang::Fr) => format!("l'unité {unit} n'existe pas à cette date"),
        (R::NoMandate, Lang::En) => "holds no mandate".into(),
        (R::NoMandate, Lang::Fr) => "aucun mandat".into(),
        (R::NotCommitted { .. }, Lang::En) => {
            "the mandate is not committed to yet: it grants nothing before the holder's formal commitment".into()
        }
        (R::NotCommitted { .. }, Lang::Fr) => {
            "le mandat n'a pas encore fait l'objet d'un engagement formel : il ne donne aucun pouvoir avant".into()
        }
        (R::NotStarted { starts_at, .. }, Lang::En) => {
            format!("the mandate starts on {}", date(*starts_at, lang))
        }
        (R::NotStarted { starts_at, .. }, Lang::Fr) => {
            format!("le mandat ne commence que le {}", date(*starts_at, lang))
        }
        (R::Expired { ended_at, .. }, Lang::En) => {
            format!("the mandate expired on {}", date(*ended_at, lang))
        }
        (R::Expired { ended_at, .. }, Lang::Fr) => {
            format!("le mandat a expiré le {}", date(*ended_at, lang))
        }
        (R::Revoked { at, .. }, Lang::En) => {
            format!("the mandate was revoked on {}", date(*at, lang))
        }
        (R::Revoked { at, .. }, Lang::Fr) => {
            format!("le mandat a été révoqué le {}", date(*at, lang))
        }
        (R::OutOfScope { unit, domain }, Lang::En) => format!(
            "{domain} in {} is outside the perimeter of every mandate held",
            m.unit_name(*unit)
        ),
        (R::OutOfScope { unit, domain }, Lang::Fr) => format!(
            "« {domain} » dans {} est hors du périmètre de tout mandat détenu",
            m.unit_name(*unit)
        ),
    }
}

/// Why a decision was refused, in words.
pub fn decision_error(m: &Movement, error: &DecisionError, lang: Lang) -> String {
    use DecisionError as E;
    let fr = lang == Lang::Fr;
    match error {
        E::Denied(d) => denial_reason(m, &d.reason, lang),
        E::ConsultationRequired {
            domain,
            required,
            done,
        } => {
            if fr {
                format!(
                    "une décision en « {domain} » demande de consulter {required} personne(s) d'abord ; {done} consultée(s)"
                )
            } else {
                format!(
                    "a decision in {domain} needs {required} consultation(s) first; {done} done"
                )
            }
        }
        E::EscalationRequired { to, .. } => {
            if fr {
                format!(
                    "cette décision dépasse votre périmètre : elle doit remonter en {}",
                    body(*to, lang)
                )
            } else {
                format!(
                    "this decision reaches beyond your perimeter: it must go to the {}",
                    body(*to, lang)
                )
            }
        }
        E::BodyNotCompetent { unit, domain, .. } => {
            if fr {
                format!(
                    "aucun·e participant·e n'a de mandat en vigueur sur « {domain} » dans {}",
                    m.unit_name(*unit)
                )
            } else {
                format!(
                    "no participant holds a mandate in force over {domain} in {}",
                    m.unit_name(*unit)
                )
            }
        }
        E::EffectOutOfAuthority {
            effect,
            unit,
            domain,
        } => {
            if fr {
                format!(
                    "l'effet {effect} demande l'autorité sur « {domain} » de {}",
                    m.unit_name(*unit)
                )
            } else {
                format!(
                    "the effect {effect} needs authority over {domain} of {}",
                    m.unit_name(*unit)
                )
            }
        }
        other if fr => french_decision_detail(other),
        other => other.to_string(),
    }
}

fn french_decision_detail(error: &DecisionError) -> String {
    use DecisionError as E;
    match error {
        E::NotYourMandate => "ce mandat n'est pas le vôtre".into(),
        E::WrongMandate => "le mandat indiqué ne couvre pas cette décision ; un autre de vos mandats la couvre".into(),
        E::NoParticipants => "une décision prise en réunion doit lister ses participant·e·s".into(),
        E::DuplicateParticipant(_) => "une personne est listée deux fois parmi les participant·e·s".into(),
        E::ParticipantNotMember(_) => "un·e participant·e n'est pas membre à la date de la décision".into(),
        E::ConsulteeNotMember(_) => "une personne consultée n'est pas membre".into(),
        E::ConsultationAfterDecision => "une consultation doit précéder la décision".into(),
        E::UnknownLinkTarget(_) => "la décision liée n'existe pas".into(),
        E::LinkTargetEnded(_) => "la décision liée est déjà remplacée ou révoquée".into(),
        E::LinkOutOfAuthority(_) => "vous ne pouvez pas modifier, remplacer ou révoquer cette décision".into(),
        E::Retroactive => "une décision ne peut pas s'appliquer avant d'être prise".into(),
        E::EffectivePeriod => "la période d'application se termine avant de commencer".into(),
        E::Duplicate(_) => "cette décision existe déjà".into(),
        E::NotFounded => "le mouvement n'est pas encore fondé : la première décision est la fondation par l'Agora".into(),
        E::InvalidFounding(_) => "la décision de fondation est incomplète".into(),
        E::MeetingNotHeld(_) => "la réunion n'a pas encore eu lieu".into(),
        E::UnknownTension(_) => "la tension indiquée n'existe pas".into(),
        E::MeetingRequired => "une décision collective se prend dans une réunion tenue de l'instance qui décide".into(),
        E::MeetingWrongUnit { .. } => "cette réunion n'est pas une réunion de l'unité qui décide".into(),
        E::QuorumNotReached { present, required } => format!(
            "quorum non atteint : {present} participant·e(s), il en faut {required}"
        ),
        E::NotOnAgenda => "cette décision ne figure pas à l'ordre du jour publié de la réunion".into(),
        E::ParticipantsMismatch => "les participant·e·s d'une décision de réunion sont exactement les personnes qui ont signé la feuille d'émargement ou donné pouvoir".into(),
        E::SecretaryNotSigned => "une décision de réunion est enregistrée par une personne qui a signé la feuille d'émargement".into(),
        E::SettingsNeedMeeting => "les règles de fonctionnement ne changent qu'en réunion (R19)".into(),
        E::Denied(_)
        | E::ConsultationRequired { .. }
        | E::EscalationRequired { .. }
        | E::BodyNotCompetent { .. }
        | E::EffectOutOfAuthority { .. } => error.to_string(),
    }
}

/// Any refusal, in words. Detailed where a person needs the detail to act, and otherwise a
/// sentence per error code.
pub fn governance_error(m: &Movement, error: &GovernanceError, lang: Lang) -> String {
    match (error, lang) {
        (GovernanceError::Decision(e), _) => decision_error(m, e, lang),
        (other, Lang::En) => other.to_string(),
        (other, Lang::Fr) => french_error(m, other),
    }
}

/// A text that failed validation, in French (the English is the error's own `Display`).
pub fn text_error_fr(error: &crate::text::TextError) -> String {
    use crate::text::TextError as E;
    match error {
        E::Empty { field } => format!("le champ « {field} » ne doit pas être vide"),
        E::TooLong { field, len, max } => {
            format!("le champ « {field} » est trop long ({len} caractères, {max} au plus)")
        }
        E::InvalidEmail { value } => format!("« {value} » n'est pas une adresse e-mail valide"),
        E::ControlCharacter { field } => {
            format!("le champ « {field} » contient un caractère de contrôle")
        }
        E::BidiControl { field } => {
            format!("le champ « {field} » contient un caractère qui inverse le sens de lecture")
        }
        E::NotVisible { field } => {
            format!("le champ « {field} » ne contient aucun caractère visible")
        }
    }
}

/// A period that failed validation, in French.
pub fn period_error_fr(error: &crate::time::PeriodError) -> String {
    match error {
        crate::time::PeriodError::EndsBeforeStart { .. } => {
            "une période doit finir après avoir commencé".to_owned()
        }
    }
}

fn french_error(m: &Movement, error: &GovernanceError) -> String {
    use crate::account::AccountReportError as A;
    use crate::mandate::MandateError as Ma;
    use crate::meeting::MeetingError as Me;
    use crate::member::MemberError as Mb;
    use crate::tension::TensionError as T;
    use crate::unit::UnitError as U;
    use GovernanceError as G;
    match error {
        G::Decision(e) => decision_error(m, e, Lang::Fr),
        G::Unit(U::Unknown(_)) => "unité introuvable".into(),
        G::Unit(U::Duplicate(_)) => "cette unité existe déjà".into(),
        G::Unit(U::Archived(u)) => format!("{} est archivée", m.unit_name(*u)),
        G::Unit(U::MisplacedKind { .. }) => {
            "cette unité ne peut pas être placée là : un Comité relève d'un Pôle ou de la Coordination, un Pôle de la Coordination".into()
        }
        G::Unit(U::SecondSingleton(_)) => "le mouvement a déjà sa Coordination et son Agora".into(),
        G::Unit(U::PermanentUnit(_)) => "l'Agora et la Coordination ne peuvent pas être archivées".into(),
        G::Unit(U::HasActiveChildren { unit }) => {
            format!("{} a encore des sous-unités actives : archivez-les d'abord", m.unit_name(*unit))
        }
        G::Unit(U::NoDomains(_)) => "une unité a au moins un domaine de décision".into(),
        G::Member(Mb::Unknown(_)) => "membre introuvable".into(),
        G::Member(Mb::Duplicate(_)) => "ce ou cette membre existe déjà".into(),
        G::Member(Mb::EmailTaken(e)) => format!("l'adresse {e} est déjà celle d'un·e autre membre"),
        G::Member(Mb::NotAMember(p)) => format!("{} n'est pas membre à cette date", m.member_name(*p)),
        G::Mandate(Ma::Unknown(_)) => "mandat introuvable".into(),
        G::Mandate(Ma::Duplicate(_)) => "ce mandat existe déjà".into(),
        G::Mandate(Ma::TooLong { max_months }) => format!("un mandat dure au plus {max_months} mois"),
        G::Mandate(Ma::Retroactive) => "un mandat ne peut pas commencer avant la décision qui l'attribue".into(),
        G::Mandate(Ma::DomainNotInUnit { domain }) => format!("« {domain} » n'est pas un domaine de cette unité"),
        G::Mandate(Ma::EmptyScope) => "un mandat couvre au moins un domaine".into(),
        G::Mandate(Ma::InTheAgora) => "l'Agora est l'assemblée de tous les membres : personne ne la détient par mandat".into(),
        G::Mandate(Ma::AlreadyRevoked(_)) => "ce mandat est déjà révoqué".into(),
        G::Mandate(Ma::AlreadyOver(_)) => "ce mandat est déjà terminé".into(),
        G::Mandate(Ma::AlreadyCommitted(_)) => "l'engagement sur ce mandat est déjà pris".into(),
        G::Mandate(Ma::NotTheHolder(_)) => "seule la personne titulaire du mandat peut s'y engager".into(),
        G::Settings(e) => format!("règles de fonctionnement invalides ({e})"),
        G::Tension(T::Unknown(_)) => "tension introuvable".into(),
        G::Tension(T::Duplicate(_)) => "cette tension existe déjà".into(),
        G::Tension(T::NamesAPerson { name }) => format!(
            "une tension porte sur le fonctionnement, pas sur une personne : elle nomme {name} ; décrivez le rôle ou la règle en cause"
        ),
        G::Tension(T::InvalidTransition { from, to }) => {
            format!("une tension à l'état « {from} » ne peut pas passer à « {to} »")
        }
        G::Tension(T::NotTheRaiser(_)) => "seule la personne qui a soulevé la tension peut la retirer".into(),
        G::Tension(T::NotResponsible(_)) => {
            "seules les personnes présentes à sa réunion, ou la personne référente de son unité, traitent cette tension".into()
        }
        G::Tension(T::MeetingNotHeld { .. }) => "la réunion où cette tension est inscrite n'a pas encore eu lieu".into(),
        G::Tension(T::NeedsMeeting(_)) => "cette tension se traite en réunion : inscrivez-la d'abord à l'ordre du jour".into(),
        G::Tension(T::WrongSpace { .. }) => "cette réunion n'est pas l'espace où la tension a été orientée".into(),
        G::Meeting(Me::Unknown(_)) => "réunion introuvable".into(),
        G::Meeting(Me::Duplicate(_)) => "cette réunion existe déjà".into(),
        G::Meeting(Me::NotAnAttendee { member, .. }) => {
            format!("{} n'a pas participé à cette réunion", m.member_name(*member))
        }
        G::Meeting(Me::NotYetHeld(_)) => "cette réunion n'a pas encore eu lieu".into(),
        G::Meeting(Me::AlreadyHeld(_)) => "cette réunion a déjà eu lieu".into(),
        G::Meeting(Me::InThePast(_)) => "une réunion se planifie avant d'avoir lieu, pas après".into(),
        G::Meeting(Me::NotEntitled { .. }) => {
            "seule une personne référente ou titulaire d'un mandat en vigueur de l'unité convoque sa réunion (pour l'Agora : de la Coordination, ou une pétition des membres)".into()
        }
        G::Meeting(Me::NoticeTooShort { days }) => {
            format!("une convocation doit être envoyée au moins {days} jour(s) avant la réunion")
        }
        G::Meeting(Me::Duration { max_hours }) => {
            format!("une réunion dure entre une minute et {max_hours} heure(s)")
        }
        G::Meeting(Me::TooFarAhead { years }) => {
            format!("une réunion se convoque au plus {years} ans à l'avance")
        }
        G::Meeting(Me::NotConvened(_)) => "cette Agora n'est pas convoquée : la pétition manque de signatures".into(),
        G::Meeting(Me::Legacy(_)) => "cette réunion a été planifiée selon les anciennes règles : convoquez-la à nouveau".into(),
        G::Meeting(Me::SignatureNotOwn) => "chacun·e signe sa propre présence ou donne son propre pouvoir, jamais pour quelqu'un d'autre".into(),
        G::Meeting(Me::OutsideWindow { .. }) => "la feuille d'émargement se signe pendant la réunion".into(),
        G::Meeting(Me::AlreadySigned(_)) => "cette signature est déjà enregistrée".into(),
        G::Meeting(Me::Proxy(r)) => {
            use crate::meeting::ProxyRefusal as P;
            match r {
                P::TooLate => "un pouvoir se donne ou se retire avant le début de la réunion".into(),
                P::ToSelf => "un pouvoir se donne à une autre personne".into(),
                P::OverCap(n) => format!("cette personne porte déjà le nombre maximal de pouvoirs ({n})"),
                P::Chained => "un pouvoir ne se transmet pas : pas de pouvoir en cascade".into(),
                P::AlreadyGiven => "un pouvoir est déjà donné pour cette réunion".into(),
                P::NoneGiven => "aucun pouvoir à retirer".into(),
                P::NotInCollege => "les deux personnes doivent faire partie des participant·e·s de cette instance".into(),
            }
        }
        G::Meeting(Me::MinutesClosed(_)) => "le relevé de décisions de cette réunion est clos".into(),
        G::Meeting(Me::NotChairOrSecretary(_)) => "seule la présidence ou le secrétariat de la réunion clôt son relevé".into(),
        G::Meeting(Me::NotAPetition(_)) => "cette réunion n'est pas une pétition en cours".into(),
        G::Meeting(Me::AgoraAsUnit) => "l'Agora se convoque comme Agora, pas comme réunion d'unité".into(),
        G::Meeting(Me::AgendaItem) => "ce point ne peut pas figurer à l'ordre du jour de cette réunion".into(),
        G::Meeting(Me::AgendaTooLong { max }) => format!("l'ordre du jour compte au plus {max} points"),
        G::Meeting(Me::Superseded) => "cet événement relève des anciennes règles : une réunion se convoque et chacun·e signe sa présence".into(),
        G::Escalation(e) => {
            use crate::escalation::EscalationError as Es;
            match e {
                Es::Unknown(_) => "remontée introuvable".into(),
                Es::Duplicate(_) => "cette remontée existe déjà".into(),
                Es::NotTheProposer => "seule la personne qui propose la décision la fait remonter".into(),
                Es::NothingToEscalate => "cette décision relève de votre mandat : enregistrez-la directement".into(),
                Es::AlreadyAnswered(_) => "cette remontée a déjà reçu sa réponse".into(),
                Es::WrongBody(_) => "une remontée reçoit sa réponse de l'instance où elle est remontée".into(),
            }
        }
        G::RulesDowngrade { .. } => "un événement ne peut pas être jugé selon des règles plus anciennes que les précédents".into(),
        G::AccountReport(A::Duplicate(_)) => "ce compte rendu existe déjà".into(),
        G::AccountReport(A::NotTheHolder(_)) => "seule la personne titulaire du mandat en rend compte".into(),
        G::AccountReport(A::OutsideMandate) => "un compte rendu ne couvre que la durée du mandat".into(),
        G::AccountReport(A::CoversFuture) => "un compte rendu ne peut pas couvrir l'avenir".into(),
        G::Text(e) => text_error_fr(e),
        G::Period(e) => period_error_fr(e),
        G::OutOfOrder { .. } => "les événements s'enregistrent dans l'ordre du temps".into(),
    }
}
