//! Who is calling: staff with a password, owners with a voting code; what each may do.

pub mod caller;
pub mod client_addr;
pub mod codes;
pub mod jwt;
pub mod password;
pub mod ratelimit;
pub mod revocation;

pub use caller::{Caller, OwnerCaller, StaffCaller};
