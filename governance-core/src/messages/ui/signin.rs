//! The words of signing in by e-mail link: the form, the answer that never says whether an
//! address is known, and the message sent.

/// The sentences of the sign-in pages and message.
#[derive(Debug)]
pub struct Signin {
    pub title: &'static str,
    pub intro: &'static str,
    pub email_label: &'static str,
    pub email_hint: &'static str,
    pub send: &'static str,
    pub sent_title: &'static str,
    pub sent: &'static str,
    pub link_invalid_title: &'static str,
    pub link_invalid: &'static str,
    pub ask_again: &'static str,
    pub mail_subject: &'static str,
    pub mail_greeting: &'static str,
    pub mail_body: &'static str,
    pub mail_ignore: &'static str,
    pub signed_out: &'static str,
}

pub const FR: Signin = Signin {
    title: "Se connecter",
    intro: "Indiquez votre adresse e-mail : si elle est celle d'un·e membre, vous recevrez un lien pour vous connecter, sans mot de passe.",
    email_label: "Adresse e-mail",
    email_hint: "Par exemple : ines@tilleuls.example",
    send: "Recevoir un lien de connexion",
    sent_title: "Regardez votre boîte aux lettres",
    sent: "Si cette adresse est celle d'un·e membre, un lien de connexion vient de lui être envoyé. Il sert une seule fois et expire dans 15 minutes.",
    link_invalid_title: "Ce lien ne fonctionne plus",
    link_invalid: "Ce lien de connexion a déjà servi, a expiré, ou n'existe pas. Demandez-en un nouveau.",
    ask_again: "Demander un nouveau lien",
    mail_subject: "Votre lien de connexion à Gouvernail",
    mail_greeting: "Bonjour",
    mail_body: "Pour vous connecter, ouvrez ce lien. Il sert une seule fois et expire dans 15 minutes :",
    mail_ignore: "Si vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter sans ce lien.",
    signed_out: "Vous êtes déconnecté·e.",
};

pub const EN: Signin = Signin {
    title: "Sign in",
    intro: "Enter your e-mail address: if it belongs to a member, you will receive a link to sign in, without a password.",
    email_label: "E-mail address",
    email_hint: "For example: ines@tilleuls.example",
    send: "Send me a sign-in link",
    sent_title: "Check your mailbox",
    sent: "If this address belongs to a member, a sign-in link has just been sent to it. It works once and expires in 15 minutes.",
    link_invalid_title: "This link no longer works",
    link_invalid: "This sign-in link was already used, has expired, or does not exist. Ask for a new one.",
    ask_again: "Ask for a new link",
    mail_subject: "Your sign-in link to Gouvernail",
    mail_greeting: "Hello",
    mail_body: "To sign in, open this link. It works once and expires in 15 minutes:",
    mail_ignore: "If you asked for nothing, ignore this message: nobody can sign in without this link.",
    signed_out: "You are signed out.",
};
