//! gouvernail
fn main() {}
