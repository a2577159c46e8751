//! The words of *Coordination*.

/// The sentences of the page *Coordination*.
#[derive(Debug)]
pub struct Coordination {
    pub title: &'static str,
}

pub const FR: Coordination = Coordination {
    title: "Coordination",
};

pub const EN: Coordination = Coordination {
    title: "Coordination",
};
