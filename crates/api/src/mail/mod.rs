//! Notices by e-mail: settings, the messages (composed from the store, rendered with askama),
//! the transports (SMTP through lettre, or `.eml` files) and the outbox worker.
//!
//! A notice is rendered when its event happens and queued in the outbox in the event's own
//! transaction (`gongjue_store::outbox`); the worker sends it later. So an event that rolls
//! back sends nothing, and a notice survives any crash after its event committed.

pub mod compose;
pub mod render;
pub mod schedule;
pub mod settings;
pub mod transport;
pub mod worker;
