//! The `gouvernail` binary: thin glue over the library.

fn main() {}
