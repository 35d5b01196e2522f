//! Publication of a closed assembly's result in two stages (preliminary with an objection
//! period, then final and signed), and the announcement (公告) as CSV and printable HTML.

pub mod announcement;
pub mod mask;
pub mod receipt;
pub mod roll;
pub mod share;
