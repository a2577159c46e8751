//! The words of *Tensions*.

/// The sentences of the page *Tensions*.
#[derive(Debug)]
pub struct Tensions {
    pub title: &'static str,
}

pub const FR: Tensions = Tensions { title: "Tensions" };

pub const EN: Tensions = Tensions { title: "Tensions" };
