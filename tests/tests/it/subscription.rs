//! Placeholder: the subscription test is being written.
