//! One integration-test binary for Gouvernail.
