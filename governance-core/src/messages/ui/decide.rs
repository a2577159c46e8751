//! The words of *Décider*.

/// The sentences of the page *Décider*.
#[derive(Debug)]
pub struct Decide {
    pub title: &'static str,
}

pub const FR: Decide = Decide { title: "Décider" };

pub const EN: Decide = Decide { title: "Decide" };
