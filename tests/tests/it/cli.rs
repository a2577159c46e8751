//! Placeholder: the command-line tests are being written.
