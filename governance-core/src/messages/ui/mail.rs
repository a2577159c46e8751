//! The words of the e-mail pages: a member's preferences (digest cadence, reminders) and the
//! one-click unsubscribe reached from every message.

/// The sentences of the preferences and unsubscribe pages.
#[derive(Debug)]
pub struct Mail {
    pub title: &'static str,
    pub intro: &'static str,
    pub cadence_legend: &'static str,
    pub daily: &'static str,
    pub weekly: &'static str,
    pub never: &'static str,
    pub reminders: &'static str,
    pub units_note: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub unsubscribe_title: &'static str,
    pub unsubscribe_intro: &'static str,
    pub unsubscribe_confirm: &'static str,
    pub unsubscribed: &'static str,
    pub unsubscribe_invalid: &'static str,
}

pub const FR: Mail = Mail {
    title: "Mes e-mails",
    intro: "Choisissez ce que Gouvernail vous envoie par e-mail.",
    cadence_legend: "Le résumé des décisions que vous n'avez pas lues",
    daily: "Chaque jour",
    weekly: "Chaque semaine",
    never: "Jamais",
    reminders: "Les rappels (fin de mandat, compte rendu en retard) et les convocations",
    units_note: "Le résumé couvre les unités où vous avez un mandat (toutes, si vous n'en avez aucun) ; l'API permet d'en choisir d'autres.",
    save: "Enregistrer",
    saved: "Vos préférences sont enregistrées.",
    unsubscribe_title: "Ne plus recevoir d'e-mails",
    unsubscribe_intro: "Confirmez, et Gouvernail ne vous enverra plus ni résumé, ni rappel, ni convocation. Vous pourrez changer d'avis à tout moment dans « Mes e-mails ».",
    unsubscribe_confirm: "Ne plus recevoir d'e-mails",
    unsubscribed: "C'est fait : vous ne recevrez plus d'e-mails de Gouvernail, sauf les liens de connexion que vous demanderez.",
    unsubscribe_invalid: "Ce lien de désabonnement n'est pas valable.",
};

pub const EN: Mail = Mail {
    title: "My e-mails",
    intro: "Choose what Gouvernail sends you by e-mail.",
    cadence_legend: "The digest of the decisions you have not read",
    daily: "Every day",
    weekly: "Every week",
    never: "Never",
    reminders: "Reminders (a mandate ending, a report overdue) and convocations",
    units_note: "The digest covers the units where you hold a mandate (all of them if you hold none); the API lets you choose others.",
    save: "Save",
    saved: "Your preferences are saved.",
    unsubscribe_title: "Stop receiving e-mails",
    unsubscribe_intro: "Confirm, and Gouvernail will send you no more digests, reminders or convocations. You can change your mind at any time in \"My e-mails\".",
    unsubscribe_confirm: "Stop receiving e-mails",
    unsubscribed: "Done: you will receive no more e-mails from Gouvernail, except the sign-in links you ask for.",
    unsubscribe_invalid: "This unsubscribe link is not valid.",
};
