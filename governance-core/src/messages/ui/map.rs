//! The words of *Qui décide quoi*.

/// The sentences of the page *Qui décide quoi*.
#[derive(Debug)]
pub struct Map {
    pub title: &'static str,
}

pub const FR: Map = Map {
    title: "Qui décide quoi",
};

pub const EN: Map = Map {
    title: "Who decides what",
};
