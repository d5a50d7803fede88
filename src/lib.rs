//! aitls: a private CA and server certificates for a stack of AI services, in one line.
//!
//! This library holds everything the `aitls` binary does that is not command-line glue:
//! name validation ([`names`]), key generation and certificate profiles ([`issue`]),
//! reading existing certificates ([`cert`]), the pure keep/renew/replace decision
//! ([`plan`]), the certificate directory with its lock and atomic writes ([`store`]) and
//! the read-decide-write pipelines that tie them together ([`provision`]), the AI
//! services' settings for a directory ([`services`]), and the two read-only views: would a
//! TLS client accept a certificate ([`verify`]), and what a certificate, CSR or key says
//! ([`inspect`]).
//!
//! The library never prints, never reads environment variables and never exits; only
//! [`store`] touches the disk.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cert;
pub mod error;
pub mod export;
pub mod fix;
pub mod inspect;
pub mod issue;
pub mod key_type;
pub mod names;
pub mod plan;
pub mod provision;
pub mod services;
pub mod sign;
pub mod store;
pub mod verify;

pub use error::{Error, ErrorKind};
