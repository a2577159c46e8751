//! The words of *Réunions*.

/// The sentences of the page *Réunions*.
#[derive(Debug)]
pub struct Meetings {
    pub title: &'static str,
}

pub const FR: Meetings = Meetings { title: "Réunions" };

pub const EN: Meetings = Meetings { title: "Meetings" };
