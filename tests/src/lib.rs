//! Shared helpers for the integration-test binary.
